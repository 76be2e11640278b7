using OpenList.DriverHost.Drivers.Errors;
using OpenList.DriverHost.Drivers.Open123.Models;
using OpenList.DriverHost.Drivers.PathIds;

namespace OpenList.DriverHost.Drivers.Open123;

/// <summary>Directory creation, delete (to the recycle bin), server-side move and copy (cloud-apis.md §3.5, §3.6).</summary>
public sealed partial class Open123Driver
{
    /// <summary>Characters 123 refuses in names (§3.6 step 5).</summary>
    private static readonly System.Buffers.SearchValues<char> ForbiddenNameCharacters = System.Buffers.SearchValues.Create("\"\\/:*?|><");

    /// <summary>Names must be shorter than this (§3.6 step 5).</summary>
    private const int MaxNameLength = 255;

    public async Task<StorageEntry> CreateDirectoryAsync(StoragePath path, CancellationToken cancellationToken)
    {
        if (path.IsRoot)
        {
            return RootEntry;
        }

        var (parent, existing) = await LookupAsync(path, cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            return existing.IsFolder ? Remember(path, existing) : throw StorageException.AlreadyExists(path);
        }

        CheckName(path);
        Open123MkdirResult created;
        try
        {
            created = await _api.MkdirAsync(ParseId(parent.Id), path.Name, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageException e) when (e.Kind is StorageErrorKind.Unavailable or StorageErrorKind.AlreadyExists)
        {
            // 123 has no documented "already exists" code: someone may have created the name meanwhile. A folder is
            // fine (idempotent), a file is in the way, and anything else was a real failure.
            var (_, again) = await LookupAsync(path, cancellationToken).ConfigureAwait(false);
            if (again is { IsFolder: true } folder)
            {
                return Remember(path, folder);
            }

            if (again is not null)
            {
                throw StorageException.AlreadyExists(path);
            }

            throw;
        }

        if (created.DirId > 0)
        {
            var now = _time.GetUtcNow();
            var entry = new StorageEntry(path, true, 0, now, now, Open123ApiClient.Id(created.DirId));
            _ids.Remember(path, new CloudNode(entry.Id!, true));
            return entry;
        }

        // No dirID in the answer (OpenList ignores it): find the folder by listing.
        var (_, made) = await LookupAsync(path, cancellationToken).ConfigureAwait(false);
        return made is { IsFolder: true } found
            ? Remember(path, found)
            : throw new StorageException(StorageErrorKind.Unavailable, $"123 accepted mkdir of {path} but the folder is not listed");
    }

    /// <summary>Moves the entry (a folder with everything below it) to the recycle bin, as OpenList always does.</summary>
    public async Task DeleteAsync(StoragePath path, CancellationToken cancellationToken)
    {
        if (path.IsRoot)
        {
            throw new StorageException(StorageErrorKind.PermissionDenied, "the storage root cannot be deleted");
        }

        var (_, found) = await LookupAsync(path, cancellationToken).ConfigureAwait(false);
        if (found is null)
        {
            throw StorageException.NotFound(path);
        }

        await _api.TrashAsync(found.FileId, cancellationToken).ConfigureAwait(false);
        _ids.Forget(path);
    }

    public async Task<StorageEntry> MoveAsync(StoragePath source, StoragePath destination, CancellationToken cancellationToken)
    {
        if (source.IsRoot)
        {
            throw new StorageException(StorageErrorKind.PermissionDenied, "the storage root cannot be moved");
        }

        var (entry, destinationParent) = await PrepareTransferAsync(source, destination, "move", cancellationToken).ConfigureAwait(false);
        var sourceParent = await _ids.ResolveParentAsync(source, cancellationToken).ConfigureAwait(false);
        var id = ParseId(entry.Id!);
        var renamed = source.Name != destination.Name;
        if (sourceParent.Id == destinationParent.Id)
        {
            await _api.RenameAsync(id, destination.Name, cancellationToken).ConfigureAwait(false);
        }
        else if (!renamed)
        {
            await _api.MoveAsync(id, ParseId(destinationParent.Id), cancellationToken).ConfigureAwait(false);
        }
        else if (await FindAsync(destinationParent.Id, source.Name, cancellationToken).ConfigureAwait(false) is null)
        {
            // Move, then rename in the target folder; a failed rename takes the entry back, so a failed move changes nothing.
            await _api.MoveAsync(id, ParseId(destinationParent.Id), cancellationToken).ConfigureAwait(false);
            _ids.Forget(source);
            try
            {
                await _api.RenameAsync(id, destination.Name, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await UndoAsync(source, copy: false, () => _api.MoveAsync(id, ParseId(sourceParent.Id), CancellationToken.None)).ConfigureAwait(false);
                throw;
            }
        }
        else
        {
            // The target folder holds the old name: rename in place first, then move.
            await _api.RenameAsync(id, destination.Name, cancellationToken).ConfigureAwait(false);
            _ids.Forget(source);
            try
            {
                await _api.MoveAsync(id, ParseId(destinationParent.Id), cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await UndoAsync(source, copy: false, () => _api.RenameAsync(id, source.Name, CancellationToken.None)).ConfigureAwait(false);
                throw;
            }
        }

        _ids.Forget(source);
        _ids.Forget(destination);
        _ids.Remember(destination, new CloudNode(entry.Id!, entry.IsDirectory));
        return entry with { Path = destination };
    }

    /// <summary>
    /// Copies by instant upload (§3.6 step 6): <c>create</c> with the source's MD5 and size under the new name, which
    /// 123 completes at once when it holds the content (<c>reuse</c>). A folder is copied entry by entry. When 123
    /// does not reuse (a content it no longer holds) the copy is NotSupported and the host copies the bytes; what was
    /// already copied of a folder goes to the recycle bin first.
    /// </summary>
    public async Task<StorageEntry> CopyAsync(StoragePath source, StoragePath destination, CancellationToken cancellationToken)
    {
        var (entry, destinationParent) = await PrepareTransferAsync(source, destination, "copy", cancellationToken).ConfigureAwait(false);
        if (!entry.IsDirectory)
        {
            return await CopyFileAsync(entry, destination, ParseId(destinationParent.Id), cancellationToken).ConfigureAwait(false);
        }

        var root = await CreateDirectoryAsync(destination, cancellationToken).ConfigureAwait(false);
        try
        {
            await CopyChildrenAsync(source, destination, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await UndoAsync(destination, copy: true, async () =>
            {
                await _api.TrashAsync(ParseId(root.Id!), CancellationToken.None).ConfigureAwait(false);
                _ids.Forget(destination);
            }).ConfigureAwait(false);
            throw;
        }

        return root;
    }

    private async Task CopyChildrenAsync(StoragePath source, StoragePath destination, CancellationToken cancellationToken)
    {
        var children = new List<StorageEntry>();
        await foreach (var child in ListAsync(source, cancellationToken).ConfigureAwait(false))
        {
            children.Add(child);
        }

        var target = ParseId((await _ids.ResolveDirectoryAsync(destination, cancellationToken).ConfigureAwait(false)).Id);
        foreach (var child in children)
        {
            var to = destination.Combine(child.Name);
            if (child.IsDirectory)
            {
                await CreateDirectoryAsync(to, cancellationToken).ConfigureAwait(false);
                await CopyChildrenAsync(child.Path, to, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await CopyFileAsync(child, to, target, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<StorageEntry> CopyFileAsync(StorageEntry file, StoragePath destination, long parentId, CancellationToken cancellationToken)
    {
        if (!file.Hashes.TryGetValue(HashNames.Md5, out var md5))
        {
            throw new StorageException(StorageErrorKind.NotSupported, $"123 listed {file.Path} without an MD5, so it cannot be copied on the server");
        }

        var created = await _api.CreateAsync(parentId, destination.Name, md5, file.Size, cancellationToken).ConfigureAwait(false);
        if (!created.Reuse || created.FileId <= 0)
        {
            throw new StorageException(StorageErrorKind.NotSupported, $"123 does not hold the content of {file.Path} for a server-side copy; the bytes must be copied");
        }

        var now = _time.GetUtcNow();
        var entry = WithMd5(new StorageEntry(destination, false, file.Size, now, now, Open123ApiClient.Id(created.FileId)), md5);
        _ids.Forget(destination);
        _ids.Remember(destination, new CloudNode(entry.Id!, false));
        return entry;
    }

    /// <summary>
    /// The source entry and the destination's parent, after the checks of <see cref="Capabilities.IServerSideMove"/>:
    /// the source exists, the destination's parent exists, nothing is at the destination, a folder does not go into
    /// itself, and 123 accepts the new name.
    /// </summary>
    private async Task<(StorageEntry Source, CloudNode DestinationParent)> PrepareTransferAsync(
        StoragePath source, StoragePath destination, string verb, CancellationToken cancellationToken)
    {
        var entry = await StatAsync(source, cancellationToken).ConfigureAwait(false);
        TransferArguments.Check(source, entry.IsDirectory, destination, verb);

        var (parent, existing) = await LookupAsync(destination, cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            throw StorageException.AlreadyExists(destination);
        }

        CheckName(destination);
        return (entry, parent);
    }

    /// <summary>InvalidName for names 123 refuses: <c>"\/:*?|&gt;&lt;</c>, or 255 characters and more.</summary>
    private static void CheckName(StoragePath path)
    {
        var name = path.Name;
        if (name.IndexOfAny(ForbiddenNameCharacters) >= 0)
        {
            throw new StorageException(StorageErrorKind.InvalidName, $"123 does not accept any of \" \\ / : * ? | > < in names: {path}");
        }

        if (name.Length > MaxNameLength)
        {
            throw new StorageException(StorageErrorKind.InvalidName, $"123 accepts names of at most {MaxNameLength} characters: {path}");
        }
    }

    /// <summary>Takes back the first half of a write that failed half way; failures are only logged.</summary>
    private async Task UndoAsync(StoragePath path, bool copy, Func<Task> undo)
    {
        try
        {
            await undo().ConfigureAwait(false);
        }
        catch (Exception e) when (e is StorageException or OperationCanceledException or HttpRequestException)
        {
            if (copy)
            {
                Open123Log.PartialCopyNotRemoved(_logger, _context.MountPath, path, e);
            }
            else
            {
                Open123Log.MoveNotUndone(_logger, _context.MountPath, path, e);
            }
        }
    }
}
