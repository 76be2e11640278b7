using OpenList.DriverHost.Caching;
using OpenList.DriverHost.Config;
using OpenList.DriverHost.Drivers;

namespace OpenList.DriverHost.Mounts;

/// <summary>One enabled storage: its record, its driver, and whether the driver came up.</summary>
public sealed class Mount
{
    /// <param name="listings">Its listing cache; null caches nothing.</param>
    /// <param name="time">The clock its link cache runs on.</param>
    public Mount(StorageRecord record, IStorageDriver driver, MountListingCache? listings = null, TimeProvider? time = null)
    {
        Record = record;
        Driver = driver;
        Listings = listings ?? MountListingCache.Uncached(record.MountPath, driver);
        Links = new LinkCache(time ?? TimeProvider.System);
    }

    public StorageRecord Record { get; }

    public IStorageDriver Driver { get; }

    public string MountPath => Record.MountPath;

    /// <summary>Its directory listings, cached for <c>cache_expiration</c> unless that is 0 or the driver opts out.</summary>
    public MountListingCache Listings { get; }

    /// <summary>Its files' download links (drivers with <see cref="Drivers.Capabilities.ILinkProvider"/>).</summary>
    public LinkCache Links { get; }

    /// <summary>Null while healthy; otherwise why the driver is unusable and what to do, shown to clients as a 503.</summary>
    public string? Error { get; private set; }

    /// <summary>When the storage was last modified (virtual folder and root mtime, as OpenList does).</summary>
    public DateTimeOffset Modified => Record.Modified ?? DateTimeOffset.UnixEpoch;

    public void MarkFailed(string error) => Error = error;
}
