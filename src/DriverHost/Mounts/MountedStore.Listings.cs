using OpenList.DriverHost.Drivers;
using OpenList.DriverHost.Drivers.Errors;

namespace OpenList.DriverHost.Mounts;

/// <summary>How <see cref="MountedStore"/> reads through and writes through each mount's listing cache.</summary>
public sealed partial class MountedStore
{
    /// <summary>
    /// The entry at <paramref name="path"/>, or null when it is not there. A fresh cached listing of the parent
    /// answers without asking the storage (a name missing from it is missing); otherwise the driver is asked. A
    /// no-cache request always asks, and its answer corrects the cached parent listing.
    /// </summary>
    /// <exception cref="WebDav.Store.DavException">404 when the driver finds nothing there; any other driver error.</exception>
    private async Task<StorageEntry?> StatAsync(Mount mount, StoragePath path, CancellationToken ct)
    {
        var listings = mount.Listings;
        if (!listings.Enabled || path.IsRoot)
        {
            return await Call(mount, () => mount.Driver.StatAsync(path, ct)).ConfigureAwait(false);
        }

        if (!_reload)
        {
            return listings.Peek(path.Parent) is { } parent
                ? parent.Find(path.Name)
                : await Call(mount, () => mount.Driver.StatAsync(path, ct)).ConfigureAwait(false);
        }

        StorageEntry entry;
        try
        {
            entry = await mount.Driver.StatAsync(path, ct).ConfigureAwait(false);
        }
        catch (StorageException ex)
        {
            if (ex.Kind == StorageErrorKind.NotFound)
            {
                listings.Remove(path);
            }

            throw StorageErrorMapper.ToDav(ex, mount.MountPath);
        }

        listings.Upsert(entry);
        return entry;
    }

    /// <summary>The children of <paramref name="directory"/> from the mount's listing cache (reloaded for a no-cache request).</summary>
    private async Task<IReadOnlyList<StorageEntry>> ListCachedAsync(Mount mount, StoragePath directory, CancellationToken ct)
    {
        try
        {
            return (await mount.Listings.GetAsync(directory, _reload, ct).ConfigureAwait(false)).Children;
        }
        catch (StorageException ex)
        {
            throw StorageErrorMapper.ToDav(ex, mount.MountPath);
        }
    }

    /// <summary>
    /// Runs a driver write that returns the entry it made or changed at <paramref name="path"/>, and puts that entry
    /// into the cached parent listing. A failed write may have done part of its work, so the parent listing is
    /// forgotten rather than guessed at.
    /// </summary>
    private static async Task<StorageEntry> WriteAsync(Mount mount, StoragePath path, Func<Task<StorageEntry>> write)
    {
        StorageEntry entry;
        try
        {
            entry = await Call(mount, write).ConfigureAwait(false);
        }
        catch
        {
            mount.Listings.Invalidate(path.Parent);
            throw;
        }
        finally
        {
            mount.Links.Forget(path); // a link to the old bytes would serve them, or nothing
        }

        mount.Listings.Upsert(entry);
        return entry;
    }

    private static async Task DeleteEntryAsync(Mount mount, StoragePath path, CancellationToken ct)
    {
        try
        {
            await Call(mount, async () =>
            {
                await mount.Driver.DeleteAsync(path, ct).ConfigureAwait(false);
                return true;
            }).ConfigureAwait(false);
        }
        catch
        {
            // A recursive delete can stop half way: neither the parent nor anything below it is known any more.
            mount.Listings.Invalidate(path.Parent);
            mount.Listings.DropTree(path);
            throw;
        }
        finally
        {
            mount.Links.Forget(path);
        }

        mount.Listings.Remove(path);
    }

    /// <summary>A server-side copy to <paramref name="to"/>, recorded in the cached destination parent listing.</summary>
    private static async Task CopyTreeAsync(Mount mount, StoragePath to, Func<Task<StorageEntry>> copy)
    {
        try
        {
            await WriteAsync(mount, to, copy).ConfigureAwait(false);
        }
        finally
        {
            // Listings of an earlier folder of that name, or of the copy read while it was being made, are not the copy's.
            mount.Listings.DropTree(to);
            mount.Links.Forget(to);
        }
    }

    /// <summary>A server-side move, recorded as a removal from the source parent listing and an entry in the destination's.</summary>
    private static async Task MoveTreeAsync(Mount mount, StoragePath from, StoragePath to, Func<Task<StorageEntry>> move)
    {
        StorageEntry moved;
        try
        {
            moved = await Call(mount, move).ConfigureAwait(false);
        }
        catch
        {
            mount.Listings.Invalidate(from.Parent);
            mount.Listings.DropTree(from);
            mount.Listings.Invalidate(to.Parent);
            mount.Listings.DropTree(to);
            throw;
        }
        finally
        {
            mount.Links.Forget(from);
            mount.Links.Forget(to);
        }

        mount.Listings.Remove(from);
        mount.Listings.DropTree(to);
        mount.Listings.Upsert(moved);
    }
}
