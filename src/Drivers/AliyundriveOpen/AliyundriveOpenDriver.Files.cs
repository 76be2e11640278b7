using OpenList.DriverHost.Drivers.AliyundriveOpen.Models;
using OpenList.DriverHost.Drivers.Errors;
using OpenList.DriverHost.Drivers.PathIds;

namespace OpenList.DriverHost.Drivers.AliyundriveOpen;

/// <summary>Directory creation, delete, server-side move and copy (cloud-apis.md §2.5).</summary>
public sealed partial class AliyundriveOpenDriver
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

        AliyunFile created;
        try
        {
            created = await _api.CreateFolderAsync(DriveId, parent.Id, path.Name, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageException e) when (e.Kind == StorageErrorKind.AlreadyExists)
        {
            // Someone else created it meanwhile: a folder is fine (idempotent), a file is in the way.
            var (_, again) = await LookupAsync(path, wantAll: false, cancellationToken).ConfigureAwait(false);
            return again.Visible is { IsFolder: true } folder ? Remember(path, folder) : throw StorageException.AlreadyExists(path);
        }

        if (string.IsNullOrEmpty(created.FileId))
        {
            throw new StorageException(StorageErrorKind.Unavailable, $"Aliyun created {path} but returned no file_id");
        }

        if (created.Type is { Length: > 0 } && !created.IsFolder)
        {
            throw StorageException.AlreadyExists(path); // "refuse" answered with the file that holds the name
        }

        created.Type = "folder";
        return Remember(path, created);
    }

    public async Task DeleteAsync(StoragePath path, CancellationToken cancellationToken)
    {
        if (path.IsRoot)
        {
            throw new StorageException(StorageErrorKind.PermissionDenied, "the storage root cannot be deleted");
        }

        // Every entry of that name goes, or an older one would take the deleted one's place.
        var (_, lookup) = await LookupAsync(path, wantAll: true, cancellationToken).ConfigureAwait(false);
        try
        {
            await SameNames.RemoveAllAsync(path, lookup.All, file => _api.RemoveAsync(DriveId, file.FileId!, permanently: false, cancellationToken)).ConfigureAwait(false);
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

        var (entry, destinationParent) = await PrepareTransferAsync(source, destination, "move", cancellationToken).ConfigureAwait(false);
        var sourceParent = await _ids.ResolveParentAsync(source, cancellationToken).ConfigureAwait(false);
        var id = entry.Id!;
        var movedAway = sourceParent.Id != destinationParent.Id;
        if (movedAway)
        {
            var moved = await _api.MoveAsync(DriveId, id, destinationParent.Id, cancellationToken).ConfigureAwait(false);
            id = string.IsNullOrEmpty(moved.FileId) ? id : moved.FileId; // the server may hand out a new id
            _ids.Forget(source);
        }

        AliyunFile? renamed = null;
        if (source.Name != destination.Name)
        {
            try
            {
                renamed = await _api.RenameAsync(DriveId, id, destination.Name, cancellationToken).ConfigureAwait(false);
            }
            catch when (movedAway)
            {
                // The entry sits in the target folder under its old name, where it may hide or be hidden by an
                // entry of that name: take it back to where it was, so a failed move changes nothing.
                await MoveBackAsync(source, id, sourceParent.Id).ConfigureAwait(false);
                throw;
            }
        }

        _ids.Forget(source);
        var result = Placed(destination, entry, id, renamed);
        await RemoveOtherEntriesAsync(destination, destinationParent, id, entry.IsDirectory, cancellationToken).ConfigureAwait(false);
        return result;
    }

    public async Task<StorageEntry> CopyAsync(StoragePath source, StoragePath destination, CancellationToken cancellationToken)
    {
        var (entry, destinationParent) = await PrepareTransferAsync(source, destination, "copy", cancellationToken).ConfigureAwait(false);
        var copied = await _api.CopyAsync(DriveId, entry.Id!, destinationParent.Id, cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrEmpty(copied.FileId))
        {
            throw new StorageException(StorageErrorKind.Unavailable, $"Aliyun copied {source} but returned no file_id");
        }

        AliyunFile? renamed = null;
        if (source.Name != destination.Name)
        {
            try
            {
                renamed = await _api.RenameAsync(DriveId, copied.FileId, destination.Name, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                // The copy still carries the source's name: take it away again rather than leave a stray duplicate.
                await DiscardAsync(destination, copied.FileId).ConfigureAwait(false);
                throw;
            }
        }

        var result = Placed(destination, entry, copied.FileId, renamed);
        await RemoveOtherEntriesAsync(destination, destinationParent, copied.FileId, entry.IsDirectory, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// The source entry and the destination's parent, after the checks of <see cref="Capabilities.IServerSideMove"/>:
    /// the source exists, the destination's parent exists, nothing is at the destination, and a folder does not go into itself.
    /// </summary>
    private async Task<(StorageEntry Source, CloudNode DestinationParent)> PrepareTransferAsync(
        StoragePath source, StoragePath destination, string verb, CancellationToken cancellationToken)
    {
        var entry = await StatAsync(source, cancellationToken).ConfigureAwait(false);
        TransferArguments.Check(source, entry.IsDirectory, destination, verb);

        var (parent, lookup) = await LookupAsync(destination, wantAll: false, cancellationToken).ConfigureAwait(false);
        if (lookup.Visible is not null)
        {
            throw StorageException.AlreadyExists(destination);
        }

        return (entry, parent);
    }

    /// <summary>The entry now at <paramref name="destination"/>, remembered in the path cache.</summary>
    private StorageEntry Placed(StoragePath destination, StorageEntry source, string id, AliyunFile? renamed)
    {
        _ids.Forget(destination);
        _ids.Remember(destination, new CloudNode(id, source.IsDirectory));
        var entry = source with { Path = destination, Id = id };
        return renamed?.Updated is { } updated ? entry with { LastModified = updated } : entry;
    }

    /// <summary>
    /// OpenList's overwrite emulation (§2.5): other entries of the same kind under the new name are removed per
    /// <c>remove_way</c>. Failures are only logged.
    /// </summary>
    private async Task RemoveOtherEntriesAsync(StoragePath path, CloudNode parent, string keepId, bool isDirectory, CancellationToken cancellationToken)
    {
        try
        {
            var lookup = await ScanAsync(parent.Id, path.Name, wantAll: true, cancellationToken).ConfigureAwait(false);
            foreach (var other in lookup.All.Where(f => f.FileId != keepId && f.IsFolder == isDirectory))
            {
                await _api.RemoveAsync(DriveId, other.FileId!, permanently: false, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is StorageException or OperationCanceledException)
        {
            AliyundriveOpenLog.DuplicateNotRemoved(_logger, _context.MountPath, path, e);
        }
    }

    /// <summary>Undoes the first half of a move whose rename failed; failures are only logged.</summary>
    private async Task MoveBackAsync(StoragePath source, string fileId, string sourceParentId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30), _time);
        try
        {
            await _api.MoveAsync(DriveId, fileId, sourceParentId, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is StorageException or OperationCanceledException or HttpRequestException)
        {
            AliyundriveOpenLog.MoveNotUndone(_logger, _context.MountPath, source, e);
        }
    }

    /// <summary>Permanently deletes something the driver created and must not leave behind; failures are only logged.</summary>
    private async Task DiscardAsync(StoragePath path, string fileId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30), _time);
        try
        {
            await _api.RemoveAsync(DriveId, fileId, permanently: true, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is StorageException or OperationCanceledException or HttpRequestException)
        {
            AliyundriveOpenLog.AbandonedUploadNotRemoved(_logger, _context.MountPath, path, e);
        }
    }
}
