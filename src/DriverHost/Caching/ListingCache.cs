using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using OpenList.DriverHost.Drivers;

namespace OpenList.DriverHost.Caching;

/// <summary>
/// The directory listings of every mount, in one memory-bounded cache (DESIGN.md §7). The bound counts entries (a
/// listing weighs its number of children plus one), so it caps memory however the folders are shaped; when it is
/// reached, MemoryCache drops expired and then least recently used listings. Mounts use it through
/// <see cref="MountListingCache"/>.
/// </summary>
/// <remarks>
/// MemoryCache keeps time with its own clock and cannot take a <see cref="TimeProvider"/>, so each listing carries
/// an expiry read from the host's TimeProvider and is treated as absent once past it. MemoryCache is given the same
/// lifetime as well, only so that listings nobody asks for again are reclaimed.
/// </remarks>
public sealed class ListingCache : IDisposable
{
    /// <summary>About half a million entries: some hundred megabytes at most, thousands of typical folders.</summary>
    public const long DefaultSizeLimit = 500_000;

    private readonly MemoryCache _cache;

    /// <param name="sizeLimit">Total weight of all listings (children plus one each).</param>
    public ListingCache(TimeProvider time, ILoggerFactory loggerFactory, long sizeLimit = DefaultSizeLimit)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sizeLimit);
        Time = time;
        Logger = loggerFactory.CreateLogger<ListingCache>();
        _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = sizeLimit });
    }

    internal TimeProvider Time { get; }

    internal ILogger Logger { get; }

    /// <summary>
    /// The listings of the storage mounted at <paramref name="mountPath"/>. Caching is off for it when
    /// <paramref name="expiration"/> is zero or its driver declares <c>CacheListings</c> false.
    /// </summary>
    public MountListingCache ForMount(string mountPath, IStorageDriver driver, TimeSpan expiration) =>
        new(this, mountPath, driver, expiration);

    /// <summary>The listing under <paramref name="key"/> unless it is missing or past its expiry.</summary>
    internal CachedListing? Get(ListingKey key) =>
        _cache.TryGetValue(key, out CachedListing? listing) && listing is not null && listing.Expires > Time.GetUtcNow() ? listing : null;

    internal void Set(ListingKey key, CachedListing listing)
    {
        var left = listing.Expires - Time.GetUtcNow();
        if (left <= TimeSpan.Zero)
        {
            _cache.Remove(key);
            return;
        }

        // When a listing does not fit, MemoryCache refuses it and drops the one it would replace: a miss, never stale.
        _cache.Set(key, listing, new MemoryCacheEntryOptions { Size = listing.Weight, AbsoluteExpirationRelativeToNow = left });
    }

    internal void Remove(ListingKey key) => _cache.Remove(key);

    /// <summary>Drops every listing whose key matches; a scan, which only deletes and moves of folders need.</summary>
    internal void RemoveWhere(Func<ListingKey, bool> match)
    {
        foreach (var key in _cache.Keys)
        {
            if (key is ListingKey listingKey && match(listingKey))
            {
                _cache.Remove(listingKey);
            }
        }
    }

    public void Dispose() => _cache.Dispose();
}

/// <summary>A cached listing's key: the mount's view (by identity, so a reloaded mount never sees old listings) and the directory.</summary>
internal readonly record struct ListingKey(MountListingCache Mount, string Directory);
