using OpenList.DriverHost.Drivers.Capabilities;
using OpenList.DriverHost.Drivers.Errors;

namespace OpenList.DriverHost.Drivers.Local;

/// <summary>The Local driver's optional capabilities: server-side copy and move, modification times, free space.</summary>
public sealed partial class LocalDriver
{
    public Task<StorageEntry> CopyAsync(StoragePath source, StoragePath destination, CancellationToken cancellationToken) => Complete(destination, () =>
    {
        cancellationToken.ThrowIfCancellationRequested();
        var from = ResolveForRead(source).RealPath;
        var kind = GetKindOrThrow(from, source);
        if (kind == EntryKind.Missing)
        {
            throw StorageException.NotFound(source);
        }

        var to = ResolveDestination(destination);
        if (kind == EntryKind.Directory && (destination.IsSameOrUnder(source) || IsBelow(to, from)))
        {
            throw new StorageException(StorageErrorKind.PermissionDenied, $"cannot copy {source} into itself ({destination})");
        }

        var copier = new LocalTreeCopier(Resolver, cancellationToken);
        try
        {
            if (kind == EntryKind.File)
            {
                copier.CopyFileAtomically(from, to);
            }
            else
            {
                copier.CopyDirectory(from, to);
            }
        }
        catch (Exception e)
        {
            if (kind == EntryKind.Directory)
            {
                LocalTreeCopier.RemovePartialCopy(to, OnTempFileLeft);
            }

            if (LocalErrors.IsFileSystemError(e))
            {
                throw LocalErrors.Map(e, destination);
            }

            throw;
        }

        return GetEntry(destination, to) ?? throw StorageException.NotFound(destination);
    });

    public Task<StorageEntry> MoveAsync(StoragePath source, StoragePath destination, CancellationToken cancellationToken) => Complete(destination, () =>
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (source.IsRoot)
        {
            throw new StorageException(StorageErrorKind.PermissionDenied, "the storage root cannot be moved");
        }

        var from = ResolveForWrite(source, mustExist: true);
        var kind = GetKindOrThrow(from.HostPath, source); // a link's own entry: Directory for a link to a directory
        if (kind == EntryKind.Missing)
        {
            throw StorageException.NotFound(source);
        }

        var to = ResolveDestination(destination);
        if (!from.IsLink && kind == EntryKind.Directory && (destination.IsSameOrUnder(source) || IsBelow(to, from.HostPath)))
        {
            throw new StorageException(StorageErrorKind.PermissionDenied, $"cannot move {source} into itself ({destination})");
        }

        if (kind == EntryKind.Directory)
        {
            Directory.Move(from.HostPath, to); // also renames a link to a directory, not its target
        }
        else
        {
            File.Move(from.HostPath, to, overwrite: false);
        }

        // A moved relative link may now lead elsewhere; report what is there without refusing the finished move.
        var moved = Resolver.Resolve(destination);
        return GetEntry(destination, moved.Escapes ? moved.HostPath : moved.RealPath) ?? throw StorageException.NotFound(destination);
    });

    public Task<StorageEntry> SetModTimeAsync(StoragePath path, DateTimeOffset lastModified, CancellationToken cancellationToken) => Complete(path, () =>
    {
        cancellationToken.ThrowIfCancellationRequested();
        var target = ResolveForWrite(path, mustExist: true).RealPath;
        switch (GetKind(target))
        {
            case EntryKind.Missing:
                throw StorageException.NotFound(path);
            case EntryKind.Directory:
                Directory.SetLastWriteTimeUtc(target, lastModified.UtcDateTime);
                break;
            default:
                File.SetLastWriteTimeUtc(target, lastModified.UtcDateTime);
                break;
        }

        return GetEntry(path, target) ?? throw StorageException.NotFound(path);
    });

    /// <summary>Free space of the root's file system; used bytes are unknown (summing a folder is not cheap).</summary>
    public Task<StorageQuota> GetQuotaAsync(CancellationToken cancellationToken) => Complete(StoragePath.Root, () =>
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            return new StorageQuota(null, new DriveInfo(Resolver.RootPath).AvailableFreeSpace);
        }
        catch (Exception e) when (LocalErrors.IsFileSystemError(e) || e is ArgumentException)
        {
            LocalDriverLog.QuotaFailed(_logger, _context.MountPath, e);
            return new StorageQuota(null, null);
        }
    });

    /// <summary>The host path a copy or move creates: must not exist, parent must be a folder.</summary>
    private string ResolveDestination(StoragePath destination)
    {
        if (destination.IsRoot)
        {
            throw StorageException.AlreadyExists(destination);
        }

        var to = ResolveForWrite(destination, mustExist: false).HostPath;
        try
        {
            if (EntryExists(to))
            {
                throw StorageException.AlreadyExists(destination);
            }

            if (GetKind(Path.GetDirectoryName(to)!) != EntryKind.Directory)
            {
                throw new StorageException(StorageErrorKind.NotFound, $"destination folder not found: {destination}");
            }

            return to;
        }
        catch (Exception e) when (LocalErrors.IsFileSystemError(e))
        {
            throw LocalErrors.Map(e, destination);
        }
    }

    private static EntryKind GetKindOrThrow(string hostPath, StoragePath path)
    {
        try
        {
            return GetKind(hostPath);
        }
        catch (Exception e) when (LocalErrors.IsFileSystemError(e))
        {
            throw LocalErrors.Map(e, path);
        }
    }

    /// <summary>Whether the host path <paramref name="path"/> lies strictly below the directory <paramref name="directory"/>.</summary>
    private static bool IsBelow(string path, string directory) =>
        path.StartsWith(Path.TrimEndingDirectorySeparator(directory) + Path.DirectorySeparatorChar, LocalPathResolver.PathComparison);
}
