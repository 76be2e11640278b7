using System.Globalization;
using OpenList.DriverHost.Drivers.Errors;
using OpenList.DriverHost.Drivers.Open115.Models;
using OpenList.DriverHost.Drivers.PathIds;

namespace OpenList.DriverHost.Drivers.Open115;

/// <summary>
/// Directory creation, delete, server-side move and copy (cloud-apis.md §1.5). 115 moves and copies keep the name
/// (copy with <c>no_dupli=1</c> refuses a duplicate), so a transfer that also renames is a move or copy plus a
/// rename, ordered so that no step meets a name already taken.
/// </summary>
public sealed partial class Open115Driver
{
    public async Task<StorageEntry> CreateDirectoryAsync(StoragePath path, CancellationToken cancellationToken)
    {
        if (path.IsRoot)
        {
            return RootEntry;
        }

        var (parent, lookup) = await LookupAsync(path, wantAll: false, cancellationToken).ConfigureAwait(false);
        if (lookup.Visible is { } existing)
        {
            return existing.IsFolder ? Remember(path, existing) : throw StorageException.AlreadyExists(path);
        }

        Open115FolderAdded added;
        try
        {
            added = await _api.AddFolderAsync(parent.Id, path.Name, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageException e) when (e.Kind == StorageErrorKind.AlreadyExists)
        {
            // Someone else created it meanwhile: a folder is fine (idempotent), a file is in the way.
            var (_, again) = await LookupAsync(path, wantAll: false, cancellationToken).ConfigureAwait(false);
            return again.Visible is { IsFolder: true } folder ? Remember(path, folder) : throw StorageException.AlreadyExists(path);
        }

        if (string.IsNullOrEmpty(added.FileId))
        {
            var (_, created) = await LookupAsync(path, wantAll: false, cancellationToken).ConfigureAwait(false);
            return created.Visible is { IsFolder: true } folder
                ? Remember(path, folder)
                : throw new StorageException(StorageErrorKind.Unavailable, $"115 created {path} but returned no file_id");
        }

        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        return Remember(path, new Open115File { FileId = added.FileId, Name = path.Name, Category = "0", UpdatedAt = now, UploadedAt = now });
    }

    public async Task DeleteAsync(StoragePath path, CancellationToken cancellationToken)
    {
        if (path.IsRoot)
        {
            throw new StorageException(StorageErrorKind.PermissionDenied, "the storage root cannot be deleted");
        }

        // Every entry of that name goes, or an older one would take the deleted one's place.
        var (parent, lookup) = await LookupAsync(path, wantAll: true, cancellationToken).ConfigureAwait(false);
        try
        {
            await SameNames.RemoveAllAsync(path, lookup.All, file => _api.DeleteAsync(file.FileId!, parent.Id, cancellationToken)).ConfigureAwait(false);
        }
        finally
        {
            _ids.Forget(path);
        }
    }

    public async Task<StorageEntry> MoveAsync(StoragePath source, StoragePath destination, CancellationToken cancellationToken)
    {
        if (source.IsRoot)
        {
            throw new StorageException(StorageErrorKind.PermissionDenied, "the storage root cannot be moved");
        }

        var (file, destinationParent) = await PrepareTransferAsync(source, destination, "move", cancellationToken).ConfigureAwait(false);
        var sourceParent = await _ids.ResolveParentAsync(source, cancellationToken).ConfigureAwait(false);
        var id = file.FileId!;
        var renamed = source.Name != destination.Name;
        if (sourceParent.Id == destinationParent.Id)
        {
            await _api.RenameAsync(id, destination.Name, cancellationToken).ConfigureAwait(false);
        }
        else if (!renamed || await IsFreeAsync(destinationParent.Id, source.Name, cancellationToken).ConfigureAwait(false))
        {
            await _api.MoveAsync(id, destinationParent.Id, cancellationToken).ConfigureAwait(false);
            if (renamed)
            {
                await _api.RenameAsync(id, destination.Name, cancellationToken).ConfigureAwait(false);
            }
        }
        else if (await IsFreeAsync(sourceParent.Id, destination.Name, cancellationToken).ConfigureAwait(false))
        {
            await _api.RenameAsync(id, destination.Name, cancellationToken).ConfigureAwait(false);
            await _api.MoveAsync(id, destinationParent.Id, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            // Both names are taken on the other side: pass through a name nobody uses.
            await _api.RenameAsync(id, StagingName(), cancellationToken).ConfigureAwait(false);
            await _api.MoveAsync(id, destinationParent.Id, cancellationToken).ConfigureAwait(false);
            await _api.RenameAsync(id, destination.Name, cancellationToken).ConfigureAwait(false);
        }

        _ids.Forget(source);
        return Placed(destination, file, id);
    }

    public async Task<StorageEntry> CopyAsync(StoragePath source, StoragePath destination, CancellationToken cancellationToken)
    {
        var (file, destinationParent) = await PrepareTransferAsync(source, destination, "copy", cancellationToken).ConfigureAwait(false);
        if (await IsFreeAsync(destinationParent.Id, source.Name, cancellationToken).ConfigureAwait(false))
        {
            await _api.CopyAsync(file.FileId!, destinationParent.Id, cancellationToken).ConfigureAwait(false);
            var copy = await FindCopyAsync(destinationParent.Id, source, file, cancellationToken).ConfigureAwait(false);
            if (source.Name != destination.Name)
            {
                try
                {
                    await _api.RenameAsync(copy.FileId!, destination.Name, cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    // The copy still carries the source's name: take it away again rather than leave a stray duplicate.
                    await DiscardAsync(destination, copy.FileId!, destinationParent.Id).ConfigureAwait(false);
                    throw;
                }
            }

            return Placed(destination, copy, copy.FileId!);
        }

        // The source's name is taken where the copy must go (a copy within one folder): copy into a staging folder
        // there, rename, move out, and remove the staging folder.
        var stagingPath = destination.Parent.Combine(StagingName());
        var staging = await _api.AddFolderAsync(destinationParent.Id, stagingPath.Name, cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrEmpty(staging.FileId))
        {
            throw new StorageException(StorageErrorKind.Unavailable, $"115 created a staging folder for copying {source} but returned no file_id");
        }

        try
        {
            await _api.CopyAsync(file.FileId!, staging.FileId, cancellationToken).ConfigureAwait(false);
            var copy = await FindCopyAsync(staging.FileId, source, file, cancellationToken).ConfigureAwait(false);
            await _api.RenameAsync(copy.FileId!, destination.Name, cancellationToken).ConfigureAwait(false);
            await _api.MoveAsync(copy.FileId!, destinationParent.Id, cancellationToken).ConfigureAwait(false);
            return Placed(destination, copy, copy.FileId!);
        }
        finally
        {
            await DiscardAsync(stagingPath, staging.FileId, destinationParent.Id).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The source entry and the destination's parent, after the checks of <see cref="Capabilities.IServerSideMove"/>:
    /// the source exists, the destination's parent exists, nothing is at the destination, and a folder does not go into itself.
    /// </summary>
    private async Task<(Open115File Source, CloudNode DestinationParent)> PrepareTransferAsync(
        StoragePath source, StoragePath destination, string verb, CancellationToken cancellationToken)
    {
        var file = await FileAtAsync(source, cancellationToken).ConfigureAwait(false);
        TransferArguments.Check(source, file.IsFolder, destination, verb);

        var (parent, lookup) = await LookupAsync(destination, wantAll: false, cancellationToken).ConfigureAwait(false);
        if (lookup.Visible is not null)
        {
            throw StorageException.AlreadyExists(destination);
        }

        return (file, parent);
    }

    private async Task<bool> IsFreeAsync(string folderId, string name, CancellationToken cancellationToken) =>
        (await ScanAsync(folderId, name, wantAll: false, cancellationToken).ConfigureAwait(false)).Visible is null;

    /// <summary>The copy of <paramref name="original"/> in <paramref name="folderId"/>, where it carries the source's name (copy answers nothing).</summary>
    private async Task<Open115File> FindCopyAsync(string folderId, StoragePath source, Open115File original, CancellationToken cancellationToken)
    {
        var lookup = await ScanAsync(folderId, source.Name, wantAll: true, cancellationToken).ConfigureAwait(false);
        return lookup.All.FirstOrDefault(f => f.FileId != original.FileId && f.IsFolder == original.IsFolder)
            ?? throw new StorageException(StorageErrorKind.Unavailable, $"115 accepted the copy of {source} but does not list it");
    }

    /// <summary>The entry now at <paramref name="destination"/>, remembered in the path cache.</summary>
    private StorageEntry Placed(StoragePath destination, Open115File file, string id)
    {
        _ids.Forget(destination);
        var placed = new Open115File
        {
            FileId = id,
            ParentId = file.ParentId,
            Category = file.Category,
            Name = destination.Name,
            PickCode = file.PickCode,
            Sha1 = file.Sha1,
            Size = file.Size,
            UpdatedAt = file.UpdatedAt,
            UploadedAt = file.UploadedAt,
        };
        return Remember(destination, placed);
    }

    private static string StagingName() => ".driverhost-" + Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture)[..16];

    /// <summary>Deletes something the driver created and must not leave behind; failures are only logged.</summary>
    private async Task DiscardAsync(StoragePath path, string fileId, string parentId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30), _time);
        try
        {
            await _api.DeleteAsync(fileId, parentId, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is StorageException or OperationCanceledException or HttpRequestException)
        {
            Open115Log.StagingNotRemoved(_logger, _context.MountPath, path, e);
        }
    }
}
