using System.Globalization;
using OpenList.DriverHost.Drivers.DiskTop.Models;
using OpenList.DriverHost.Drivers.Errors;

namespace OpenList.DriverHost.Drivers.DiskTop;

/// <summary>
/// Folder creation (<c>POST /v1/files/folder</c> by parent path), delete, server-side move and copy (<c>POST
/// /v1/files/manage</c> by id, cloud-apis.md §4.5). A move or copy keeps the name and a rename stays in its folder, so a
/// transfer that also renames is two calls, ordered so that no step meets a name already taken, and the first is
/// undone when the second fails.
/// </summary>
public sealed partial class DiskTopDriver
{
    public async Task<StorageEntry> CreateDirectoryAsync(StoragePath path, CancellationToken cancellationToken)
    {
        if (path.IsRoot)
        {
            return RootEntry;
        }

        var (parentExists, existing) = await LookupAsync(path, cancellationToken).ConfigureAwait(false);
        if (!parentExists)
        {
            throw new StorageException(StorageErrorKind.NotFound, $"parent folder not found: {path}");
        }

        if (existing is not null)
        {
            return existing.IsFolder ? ToEntry(path, existing) : throw StorageException.AlreadyExists(path);
        }

        DiskTopFolderCreated created;
        try
        {
            created = await _api.CreateFolderAsync(_options.ApiPath(path.Parent), path.Name, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageException e) when (e.Kind == StorageErrorKind.AlreadyExists)
        {
            // Someone else created it meanwhile: a folder is fine (idempotent), a file is in the way.
            return await FindAsync(path, cancellationToken).ConfigureAwait(false) is { IsFolder: true } folder
                ? ToEntry(path, folder)
                : throw StorageException.AlreadyExists(path);
        }
        catch (StorageException e) when (DiskTopApiClient.CodeOf(e) is 400 or 404)
        {
            // The parent is missing or a file (NotFound), or the name itself was refused (InvalidName).
            if (!await IsFolderAsync(path.Parent, cancellationToken).ConfigureAwait(false))
            {
                throw new StorageException(StorageErrorKind.NotFound, $"parent folder not found: {path}", inner: e);
            }

            throw;
        }

        if (created.FolderId is not { } id)
        {
            return await FindAsync(path, cancellationToken).ConfigureAwait(false) is { IsFolder: true } folder
                ? ToEntry(path, folder)
                : throw new StorageException(StorageErrorKind.Unavailable, $"Disk.Top created {path} but returned no folder_id");
        }

        return ToEntry(path, new DiskTopItem { Id = id, Name = path.Name, IsFolder = true });
    }

    public async Task DeleteAsync(StoragePath path, CancellationToken cancellationToken)
    {
        if (path.IsRoot)
        {
            throw new StorageException(StorageErrorKind.PermissionDenied, "the storage root cannot be deleted");
        }

        var item = await ItemAtAsync(path, cancellationToken).ConfigureAwait(false);
        await _api.ManageAsync("delete", item, cancellationToken).ConfigureAwait(false);
    }

    public async Task<StorageEntry> MoveAsync(StoragePath source, StoragePath destination, CancellationToken cancellationToken)
    {
        if (source.IsRoot)
        {
            throw new StorageException(StorageErrorKind.PermissionDenied, "the storage root cannot be moved");
        }

        var item = await PrepareTransferAsync(source, destination, "move", cancellationToken).ConfigureAwait(false);
        var renamed = source.Name != destination.Name;
        var toFolder = _options.ApiPath(destination.Parent);
        if (source.Parent == destination.Parent)
        {
            await _api.ManageAsync("rename", item, cancellationToken, newName: destination.Name).ConfigureAwait(false);
        }
        else if (!renamed)
        {
            await _api.ManageAsync("move", item, cancellationToken, destPath: toFolder).ConfigureAwait(false);
        }
        else if (await IsFreeAsync(destination.Parent, source.Name, cancellationToken).ConfigureAwait(false))
        {
            await _api.ManageAsync("move", item, cancellationToken, destPath: toFolder).ConfigureAwait(false);
            await ThenOrUndoAsync(
                () => _api.ManageAsync("rename", item, cancellationToken, newName: destination.Name),
                () => _api.ManageAsync("move", item, CancellationToken.None, destPath: _options.ApiPath(source.Parent)),
                source).ConfigureAwait(false);
        }
        else if (await IsFreeAsync(source.Parent, destination.Name, cancellationToken).ConfigureAwait(false))
        {
            await _api.ManageAsync("rename", item, cancellationToken, newName: destination.Name).ConfigureAwait(false);
            await ThenOrUndoAsync(
                () => _api.ManageAsync("move", item, cancellationToken, destPath: toFolder),
                () => _api.ManageAsync("rename", item, CancellationToken.None, newName: source.Name),
                source).ConfigureAwait(false);
        }
        else
        {
            // Both names are taken on the other side: pass through a name nobody uses.
            var staging = StagingName(source.Name);
            await _api.ManageAsync("rename", item, cancellationToken, newName: staging).ConfigureAwait(false);
            await ThenOrUndoAsync(
                () => _api.ManageAsync("move", item, cancellationToken, destPath: toFolder),
                () => _api.ManageAsync("rename", item, CancellationToken.None, newName: source.Name),
                source).ConfigureAwait(false);
            await _api.ManageAsync("rename", item, cancellationToken, newName: destination.Name).ConfigureAwait(false);
        }

        return ToEntry(destination, item);
    }

    public async Task<StorageEntry> CopyAsync(StoragePath source, StoragePath destination, CancellationToken cancellationToken)
    {
        var item = await PrepareTransferAsync(source, destination, "copy", cancellationToken).ConfigureAwait(false);
        if (await IsFreeAsync(destination.Parent, source.Name, cancellationToken).ConfigureAwait(false))
        {
            await _api.ManageAsync("copy", item, cancellationToken, destPath: _options.ApiPath(destination.Parent)).ConfigureAwait(false);
            var landed = destination.Parent.Combine(source.Name);
            var copy = await FindCopyAsync(landed, item, cancellationToken).ConfigureAwait(false);
            if (source.Name != destination.Name)
            {
                try
                {
                    await _api.ManageAsync("rename", copy, cancellationToken, newName: destination.Name).ConfigureAwait(false);
                }
                catch
                {
                    // The copy still carries the source's name: take it away again rather than leave a stray duplicate.
                    await DiscardAsync(landed, copy).ConfigureAwait(false);
                    throw;
                }
            }

            return ToEntry(destination, copy);
        }

        // The source's name is taken where the copy must go (a copy within one folder): copy into a staging folder
        // there, rename, move out, and remove the staging folder.
        var stagingPath = destination.Parent.Combine(StagingName(null));
        var stagingEntry = await CreateDirectoryAsync(stagingPath, cancellationToken).ConfigureAwait(false);
        var staging = new DiskTopItem { Id = long.Parse(stagingEntry.Id!["folder:".Length..], CultureInfo.InvariantCulture), Name = stagingPath.Name, IsFolder = true };
        try
        {
            await _api.ManageAsync("copy", item, cancellationToken, destPath: _options.ApiPath(stagingPath)).ConfigureAwait(false);
            var copy = await FindCopyAsync(stagingPath.Combine(source.Name), item, cancellationToken).ConfigureAwait(false);
            await _api.ManageAsync("rename", copy, cancellationToken, newName: destination.Name).ConfigureAwait(false);
            await _api.ManageAsync("move", copy, cancellationToken, destPath: _options.ApiPath(destination.Parent)).ConfigureAwait(false);
            return ToEntry(destination, copy);
        }
        finally
        {
            await DiscardAsync(stagingPath, staging).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The source entry, after the checks of <see cref="Capabilities.IServerSideMove"/>: the source exists, the
    /// destination's parent is a folder, nothing is at the destination, and a folder does not go into itself.
    /// </summary>
    private async Task<DiskTopItem> PrepareTransferAsync(StoragePath source, StoragePath destination, string verb, CancellationToken cancellationToken)
    {
        var item = await ItemAtAsync(source, cancellationToken).ConfigureAwait(false);
        TransferArguments.Check(source, item.IsFolder, destination, verb);
        if (await FindAsync(destination, cancellationToken).ConfigureAwait(false) is not null)
        {
            throw StorageException.AlreadyExists(destination);
        }

        if (!await IsFolderAsync(destination.Parent, cancellationToken).ConfigureAwait(false))
        {
            throw new StorageException(StorageErrorKind.NotFound, $"parent folder not found: {destination}");
        }

        return item;
    }

    private async Task<bool> IsFolderAsync(StoragePath path, CancellationToken cancellationToken) =>
        path.IsRoot || await FindAsync(path, cancellationToken).ConfigureAwait(false) is { IsFolder: true };

    /// <summary>The copy of <paramref name="original"/> at <paramref name="path"/> (copy answers only a count).</summary>
    private async Task<DiskTopItem> FindCopyAsync(StoragePath path, DiskTopItem original, CancellationToken cancellationToken) =>
        await FindAsync(path, cancellationToken).ConfigureAwait(false) is { } copy && copy.IsFolder == original.IsFolder
            ? copy
            : throw new StorageException(StorageErrorKind.Unavailable, $"Disk.Top accepted the copy to {path.Parent} but does not list it");

    /// <summary>Runs the second step of a two-step transfer; when it fails, undoes the first (best effort) and rethrows.</summary>
    private async Task ThenOrUndoAsync(Func<Task> second, Func<Task> undoFirst, StoragePath source)
    {
        try
        {
            await second().ConfigureAwait(false);
        }
        catch
        {
            try
            {
                await undoFirst().ConfigureAwait(false);
            }
            catch (Exception e) when (e is StorageException or OperationCanceledException or HttpRequestException)
            {
                DiskTopLog.CleanupFailed(_logger, _context.MountPath, source, e);
            }

            throw;
        }
    }

    /// <summary>A name no user picks: <c>.driverhost-&lt;16 hex&gt;</c>, keeping <paramref name="like"/>'s extension.</summary>
    private static string StagingName(string? like) =>
        ".driverhost-" + Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture)[..16] + (like is null ? "" : Extension(like));

    private static string Extension(string name)
    {
        var dot = name.LastIndexOf('.');
        return dot > 0 && name.Length - dot <= 16 ? name[dot..] : "";
    }

    /// <summary>Deletes something the driver created and must not leave behind; failures are only logged.</summary>
    private async Task DiscardAsync(StoragePath path, DiskTopItem item)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30), _time);
        try
        {
            await _api.ManageAsync("delete", item, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is StorageException or OperationCanceledException or HttpRequestException)
        {
            DiskTopLog.CleanupFailed(_logger, _context.MountPath, path, e);
        }
    }
}
