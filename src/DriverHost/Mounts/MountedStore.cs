using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using OpenList.DriverHost.Downloads;
using OpenList.DriverHost.Drivers;
using OpenList.DriverHost.Drivers.Capabilities;
using OpenList.DriverHost.Drivers.Errors;
using OpenList.DriverHost.WebDav.Store;

namespace OpenList.DriverHost.Mounts;

/// <summary>
/// The mount table seen through one user's eyes (base path, read or read/write) as an <see cref="IDavStore"/>.
/// Joins the WebDAV layer and the drivers: translates paths, entries and errors, and falls back to stream copies
/// where a driver has no server-side copy or move. Listings and stats go through each mount's listing cache, and
/// writes update it (<c>MountedStore.Listings.cs</c>).
/// </summary>
public sealed partial class MountedStore : IDavStore
{
    private readonly MountTable _table;
    private readonly string _basePath;
    private readonly bool _canWrite;
    private readonly DownloadService _downloads;
    private readonly bool _reload;

    /// <param name="reload">Reload the listings this request reads instead of serving cached ones (PROPFIND with no-cache).</param>
    public MountedStore(MountTable table, string basePath, bool canWrite, DownloadService downloads, bool reload = false)
    {
        _table = table;
        _downloads = downloads;
        _basePath = basePath == "/" ? string.Empty : basePath.TrimEnd('/');
        _canWrite = canWrite;
        _reload = reload;
    }

    public async Task<DavItem?> GetItemAsync(DavPath path, CancellationToken cancellationToken)
    {
        var absolute = Absolute(path);
        if (_table.MountAt(absolute) is { } mountRoot)
        {
            return MountRootItem(path, mountRoot);
        }

        var hasMountsBelow = _table.HasMountsBelow(absolute);
        if (_table.Resolve(absolute) is { } owner)
        {
            if (owner.Mount.Error is not null)
            {
                return hasMountsBelow ? VirtualItem(path, absolute) : throw Unavailable(owner.Mount);
            }

            try
            {
                if (await StatAsync(owner.Mount, StoragePath.Parse(owner.Relative), cancellationToken).ConfigureAwait(false) is { } entry)
                {
                    return ToItem(path, entry);
                }
            }
            catch (DavException ex) when (ex.StatusCode == StatusCodes.Status404NotFound)
            {
                // not in the storage; still a virtual parent when a nested mount lies below
            }
        }

        return hasMountsBelow || path.IsRoot ? VirtualItem(path, absolute) : null;
    }

    public async IAsyncEnumerable<DavItem> ListAsync(DavPath collection, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var absolute = Absolute(collection);
        var virtualChildren = _table.VirtualChildren(absolute);
        var shadowed = new HashSet<string>(virtualChildren.Select(v => v.Name), StringComparer.Ordinal);
        foreach (var child in virtualChildren)
        {
            var childPath = collection.Combine(child.Name);
            yield return child.MountPoint is { } mount
                ? MountRootItem(childPath, mount)
                : new DavItem(childPath, true, 0, child.Modified, null, null) { IsReadOnly = true };
        }

        if (_table.Resolve(absolute) is not { } owner)
        {
            yield break;
        }

        if (owner.Mount.Error is not null)
        {
            if (virtualChildren.Count == 0)
            {
                throw Unavailable(owner.Mount);
            }

            yield break;
        }

        var directory = StoragePath.Parse(owner.Relative);
        if (owner.Mount.Listings.Enabled)
        {
            foreach (var entry in await ListCachedAsync(owner.Mount, directory, cancellationToken).ConfigureAwait(false))
            {
                if (!shadowed.Contains(entry.Name))
                {
                    yield return ToItem(collection.Combine(entry.Name), entry);
                }
            }

            yield break;
        }

        var driver = owner.Mount.Driver;
        await using var entries = driver.ListAsync(directory, cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            StorageEntry entry;
            try
            {
                if (!await entries.MoveNextAsync().ConfigureAwait(false))
                {
                    break;
                }

                entry = entries.Current;
            }
            catch (StorageException ex)
            {
                throw StorageErrorMapper.ToDav(ex, owner.Mount.MountPath);
            }

            if (!shadowed.Contains(entry.Name))
            {
                yield return ToItem(collection.Combine(entry.Name), entry);
            }
        }
    }

    public Task<DavContent> GetContentAsync(DavItem item, DavRequestInfo request, CancellationToken cancellationToken) =>
        GetContentAsync(item, request, DownloadRoute.WebDav, cancellationToken);

    /// <summary>The download answer for a file reached through <paramref name="route"/> (WebDAV or a signed route).</summary>
    public async Task<DavContent> GetContentAsync(DavItem item, DavRequestInfo request, DownloadRoute route, CancellationToken cancellationToken)
    {
        var (mount, relative) = Owner(item.Path);
        var path = StoragePath.Parse(relative);
        return await Call(mount, () => _downloads.ContentAsync(mount, path, Absolute(item.Path), item.Length, request, route, cancellationToken)).ConfigureAwait(false);
    }

    public async Task<DavItem> PutAsync(DavPath path, Stream body, long? length, DateTimeOffset? lastModified, string? contentType, CancellationToken cancellationToken)
    {
        var (mount, relative) = Owner(path);
        var target = StoragePath.Parse(relative);
        var entry = await WriteAsync(mount, target, () => mount.Driver.PutAsync(target, body, length, new PutOptions(lastModified, contentType), cancellationToken)).ConfigureAwait(false);
        return ToItem(path, entry);
    }

    public async Task<DavItem> CreateCollectionAsync(DavPath path, CancellationToken cancellationToken)
    {
        var (mount, relative) = Owner(path);
        var target = StoragePath.Parse(relative);
        var entry = await WriteAsync(mount, target, () => mount.Driver.CreateDirectoryAsync(target, cancellationToken)).ConfigureAwait(false);
        return ToItem(path, entry);
    }

    public Task DeleteAsync(DavPath path, CancellationToken cancellationToken)
    {
        var (mount, relative) = Owner(path);
        return DeleteEntryAsync(mount, StoragePath.Parse(relative), cancellationToken);
    }

    public async Task CopyAsync(DavItem source, DavPath destination, bool recursive, CancellationToken cancellationToken)
    {
        var (fromMount, fromRelative) = Owner(source.Path);
        var (toMount, toRelative) = Owner(destination);
        var from = StoragePath.Parse(fromRelative);
        var to = StoragePath.Parse(toRelative);
        if (fromMount == toMount && (recursive || !source.IsCollection) && fromMount.Driver is IServerSideCopy copier)
        {
            try
            {
                await CopyTreeAsync(toMount, to, () => copier.CopyAsync(from, to, cancellationToken)).ConfigureAwait(false);
                return;
            }
            catch (DavException ex) when (ex.InnerException is StorageException { Kind: StorageErrorKind.NotSupported })
            {
                // The driver cannot copy this one on the server (123 Open: content it does not hold): copy the bytes.
            }
        }

        await StreamCopyAsync(fromMount, from, source.IsCollection, toMount, to, recursive, cancellationToken).ConfigureAwait(false);
    }

    public async Task MoveAsync(DavItem source, DavPath destination, CancellationToken cancellationToken)
    {
        var (fromMount, fromRelative) = Owner(source.Path);
        var (toMount, toRelative) = Owner(destination);
        var from = StoragePath.Parse(fromRelative);
        var to = StoragePath.Parse(toRelative);
        if (fromMount == toMount && fromMount.Driver is IServerSideMove mover)
        {
            await MoveTreeAsync(fromMount, from, to, () => mover.MoveAsync(from, to, cancellationToken)).ConfigureAwait(false);
            return;
        }

        await StreamCopyAsync(fromMount, from, source.IsCollection, toMount, to, recursive: true, cancellationToken).ConfigureAwait(false);
        await DeleteEntryAsync(fromMount, from, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> SetLastModifiedAsync(DavPath path, DateTimeOffset lastModified, CancellationToken cancellationToken)
    {
        var (mount, relative) = Owner(path);
        if (mount.Driver is not IModTimeSetter setter)
        {
            return false;
        }

        var target = StoragePath.Parse(relative);
        await WriteAsync(mount, target, () => setter.SetModTimeAsync(target, lastModified, cancellationToken)).ConfigureAwait(false);
        return true;
    }

    public async Task<DavQuota?> GetQuotaAsync(DavPath path, CancellationToken cancellationToken)
    {
        if (_table.Resolve(Absolute(path)) is not { } owner || owner.Mount.Error is not null || owner.Mount.Driver is not IQuotaProvider quota)
        {
            return null;
        }

        var q = await Call(owner.Mount, () => quota.GetQuotaAsync(cancellationToken)).ConfigureAwait(false);
        return new DavQuota(q.UsedBytes, q.AvailableBytes);
    }

    public bool CanWrite(DavPath path)
    {
        if (!_canWrite)
        {
            return false;
        }

        var absolute = Absolute(path);
        return _table.MountAt(absolute) is null
            && !_table.HasMountsBelow(absolute)
            && _table.Resolve(absolute) is { } owner
            && owner.Mount.Driver.Capabilities.CanWrite;
    }

    public string? RefusesName(DavPath path)
    {
        if (path.IsRoot || !SystemFiles.IsSystemFile(path.Name) || _table.Resolve(Absolute(path)) is not { } owner || !owner.Mount.Record.IgnoreSystemFiles)
        {
            return null;
        }

        return $"{path.Name} is a system file and {owner.Mount.MountPath} has ignore_system_files on";
    }

    private static async Task StreamCopyAsync(Mount fromMount, StoragePath from, bool isDirectory, Mount toMount, StoragePath to, bool recursive, CancellationToken ct)
    {
        if (!isDirectory)
        {
            var size = (await Call(fromMount, () => fromMount.Driver.StatAsync(from, ct)).ConfigureAwait(false)).Size;
            await using var read = await Call(fromMount, () => size == 0
                ? fromMount.Driver.OpenReadAsync(from, null, ct)
                : fromMount.Driver.OpenReadAsync(from, new ByteRange(0, size - 1), ct)).ConfigureAwait(false);
            await WriteAsync(toMount, to, () => toMount.Driver.PutAsync(to, read.Content, size, PutOptions.Default, ct)).ConfigureAwait(false);
            return;
        }

        // Listings kept from an earlier folder of that name are not this one's; entries created below are patched in.
        toMount.Listings.DropTree(to);
        await WriteAsync(toMount, to, () => toMount.Driver.CreateDirectoryAsync(to, ct)).ConfigureAwait(false);
        if (!recursive)
        {
            return;
        }

        var children = new List<StorageEntry>();
        try
        {
            await foreach (var child in fromMount.Driver.ListAsync(from, ct).ConfigureAwait(false))
            {
                children.Add(child);
            }
        }
        catch (StorageException ex)
        {
            throw StorageErrorMapper.ToDav(ex, fromMount.MountPath);
        }

        foreach (var child in children)
        {
            await StreamCopyAsync(fromMount, child.Path, child.IsDirectory, toMount, to.Combine(child.Name), recursive, ct).ConfigureAwait(false);
        }
    }

    private (Mount Mount, string Relative) Owner(DavPath path)
    {
        if (_table.Resolve(Absolute(path)) is not { } owner)
        {
            throw new DavException(StatusCodes.Status403Forbidden, $"{path} is not inside a storage");
        }

        if (owner.Mount.Error is not null)
        {
            throw Unavailable(owner.Mount);
        }

        return owner;
    }

    private static async Task<T> Call<T>(Mount mount, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (StorageException ex)
        {
            throw StorageErrorMapper.ToDav(ex, mount.MountPath);
        }
    }

    private static DavException Unavailable(Mount mount) =>
        new(StatusCodes.Status503ServiceUnavailable, $"{mount.MountPath}: {mount.Error}", retryAfter: TimeSpan.FromSeconds(30));

    private string Absolute(DavPath path) => _basePath.Length == 0 ? path.Value : path.IsRoot ? _basePath : _basePath + path.Value;

    private DavItem VirtualItem(DavPath path, string absolute) =>
        new(path, true, 0, VirtualModified(absolute), null, null) { IsReadOnly = true };

    private DateTimeOffset VirtualModified(string absolute) =>
        _table.VirtualChildren(absolute).Select(v => v.Modified).DefaultIfEmpty(DateTimeOffset.UnixEpoch).Max();

    private static DavItem MountRootItem(DavPath path, Mount mount) =>
        new(path, true, 0, mount.Modified, null, null) { IsReadOnly = true };

    internal static DavItem ToItem(DavPath path, StorageEntry entry)
    {
        string? etag = null;
        Dictionary<string, string>? checksums = null;
        if (!entry.IsDirectory)
        {
            etag = entry.Hashes.Count > 0
                ? "\"" + entry.Hashes.Values.Max(StringComparer.Ordinal) + "\""
                : "\"" + entry.LastModified.UtcTicks.ToString("x", CultureInfo.InvariantCulture) + "-" + entry.Size.ToString("x", CultureInfo.InvariantCulture) + "\"";
            if (entry.Hashes.Count > 0)
            {
                checksums = entry.Hashes.ToDictionary(h => h.Key.ToUpperInvariant(), h => h.Value);
            }
        }

        return new DavItem(path, entry.IsDirectory, entry.IsDirectory ? 0 : entry.Size, entry.LastModified, entry.Created, etag) { Checksums = checksums };
    }
}
