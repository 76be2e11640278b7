using OpenList.DriverHost.Drivers.Errors;

namespace OpenList.DriverHost.Drivers.Local;

/// <summary>Path resolution, entry construction and task plumbing shared by the Local driver's operations.</summary>
public sealed partial class LocalDriver
{
    internal const string TempFilePrefix = ".dh-upload-";
    internal const string TempFileSuffix = ".tmp";

    private enum EntryKind
    {
        Missing,
        File,
        Directory,
    }

    /// <summary>Whether <paramref name="name"/> is one of this driver's temporary upload files, hidden everywhere.</summary>
    internal static bool IsTempName(string name) =>
        name.StartsWith(TempFilePrefix, StringComparison.Ordinal) && name.EndsWith(TempFileSuffix, StringComparison.Ordinal);

    internal static string NewTempName() => TempFilePrefix + Guid.NewGuid().ToString("N") + TempFileSuffix;

    private static bool IsHidden(StoragePath path) => path.Segments.Any(IsTempName);

    /// <summary>For reads: hidden names and paths that lead outside the root do not exist.</summary>
    private LocalResolvedPath ResolveForRead(StoragePath path)
    {
        var resolved = IsHidden(path) ? throw StorageException.NotFound(path) : Resolver.Resolve(path);
        if (resolved.Escapes)
        {
            LocalDriverLog.LinkEscapes(_logger, _context.MountPath, path);
            throw StorageException.NotFound(path);
        }

        return resolved;
    }

    /// <summary>For writes: hidden names are reserved (or missing, when the operation needs an existing entry); escaping paths are refused.</summary>
    private LocalResolvedPath ResolveForWrite(StoragePath path, bool mustExist)
    {
        if (IsHidden(path))
        {
            throw mustExist
                ? StorageException.NotFound(path)
                : new StorageException(StorageErrorKind.InvalidName, $"reserved name: {path}");
        }

        var resolved = Resolver.Resolve(path);
        if (resolved.Escapes)
        {
            LocalDriverLog.LinkEscapes(_logger, _context.MountPath, path);
            throw new StorageException(StorageErrorKind.PermissionDenied, $"permission denied: {path} leads outside the storage root");
        }

        return resolved;
    }

    /// <summary>What is at a resolved (link-free) host path.</summary>
    private static EntryKind GetKind(string hostPath)
    {
        var attributes = new FileInfo(hostPath).Attributes;
        if ((int)attributes == -1)
        {
            return EntryKind.Missing;
        }

        return (attributes & FileAttributes.Directory) != 0 ? EntryKind.Directory : EntryKind.File;
    }

    /// <summary>Whether a directory entry (possibly a dangling link) exists at the host path.</summary>
    private static bool EntryExists(string hostPath) => (int)new FileInfo(hostPath).Attributes != -1;

    /// <summary>The entry for a real (link-free) host path, or null when nothing is there.</summary>
    private static StorageEntry? GetEntry(StoragePath path, string realPath)
    {
        var info = new FileInfo(realPath);
        return (int)info.Attributes == -1 ? null : ToEntry(path, info);
    }

    private static StorageEntry ToEntry(StoragePath path, FileSystemInfo info)
    {
        var isDirectory = (info.Attributes & FileAttributes.Directory) != 0;
        return new StorageEntry(
            path,
            isDirectory,
            isDirectory ? 0 : ((FileInfo)info).Length,
            new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero),
            new DateTimeOffset(info.CreationTimeUtc, TimeSpan.Zero));
    }

    /// <summary>The entry for one enumerated child, or null when it must stay hidden.</summary>
    private StorageEntry? ToChildEntry(StoragePath parent, string directory, FileSystemInfo child)
    {
        var name = child.Name;
        if (IsTempName(name))
        {
            return null;
        }

        if (!StoragePath.IsValidName(name, out var reason))
        {
            LocalDriverLog.EntryHidden(_logger, _context.MountPath, parent, name, reason);
            return null;
        }

        var path = parent.Combine(name);
        try
        {
            if ((child.Attributes & FileAttributes.ReparsePoint) != 0)
            {
                var target = Resolver.ResolveChildLink(directory, name, out var escapes);
                if (target is not null)
                {
                    if (escapes)
                    {
                        LocalDriverLog.EntryHidden(_logger, _context.MountPath, parent, name, "a symbolic link leads outside the root");
                        return null;
                    }

                    return GetEntry(path, target); // null for a dangling link
                }
            }

            return ToEntry(path, child);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null; // removed while the directory was being listed
        }
    }

    private void OnTempFileLeft(string tempFile, Exception exception) =>
        LocalDriverLog.TempFileNotRemoved(_logger, _context.MountPath, tempFile, exception);

    /// <summary>
    /// Runs synchronous file-system work on <paramref name="path"/> and reports its outcome as a task, never throwing
    /// synchronously; a file-system exception that escapes <paramref name="work"/> is mapped to a storage error.
    /// </summary>
    private static Task<T> Complete<T>(StoragePath path, Func<T> work)
    {
        try
        {
            return Task.FromResult(work());
        }
        catch (Exception e) when (LocalErrors.IsFileSystemError(e))
        {
            return Task.FromException<T>(LocalErrors.Map(e, path));
        }
        catch (OperationCanceledException e) when (e.CancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(e.CancellationToken);
        }
        catch (Exception e)
        {
            return Task.FromException<T>(e);
        }
    }
}
