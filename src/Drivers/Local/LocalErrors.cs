using OpenList.DriverHost.Drivers.Errors;

namespace OpenList.DriverHost.Drivers.Local;

/// <summary>
/// Turns file-system exceptions into <see cref="StorageException"/>s. Messages name the storage path only, never
/// the host path (the original exception, which does, is kept as the inner exception only for unexpected failures).
/// </summary>
internal static class LocalErrors
{
    // errno values; .NET puts the raw errno into IOException.HResult on Unix.
    private const int EnoSpc = 28;
    private const int EExist = 17;
    private const int ENotDir = 20;
    private const int ERofs = 30;
    private static readonly int EDQuot = OperatingSystem.IsMacOS() ? 69 : 122;
    private static readonly int ENotEmpty = OperatingSystem.IsMacOS() ? 66 : 39;
    private static readonly int ELoop = OperatingSystem.IsMacOS() ? 62 : 40;
    private static readonly int ENameTooLong = OperatingSystem.IsMacOS() ? 63 : 36;

    // Windows: HRESULT_FROM_WIN32(ERROR_DISK_FULL / ERROR_HANDLE_DISK_FULL / ERROR_DIR_NOT_EMPTY).
    private const int WinDiskFull = unchecked((int)0x80070070);
    private const int WinHandleDiskFull = unchecked((int)0x80070027);
    private const int WinDirNotEmpty = unchecked((int)0x80070091);

    /// <summary>The exceptions the file-system APIs raise for conditions a storage can report.</summary>
    public static bool IsFileSystemError(Exception e) => e is IOException or UnauthorizedAccessException;

    /// <summary>Maps a file-system exception raised while working on <paramref name="path"/>.</summary>
    public static StorageException Map(Exception e, StoragePath path) => e switch
    {
        StorageException storage => storage,
        FileNotFoundException or DirectoryNotFoundException => StorageException.NotFound(path),
        PathTooLongException => new StorageException(StorageErrorKind.InvalidName, $"name or path too long: {path}"),
        UnauthorizedAccessException => new StorageException(StorageErrorKind.PermissionDenied, $"permission denied: {path}"),
        IOException io => MapIo(io, path),
        _ => new StorageException(StorageErrorKind.Unavailable, $"local storage failed on {path}: {e.GetType().Name}", inner: e),
    };

    private static StorageException MapIo(IOException e, StoragePath path)
    {
        var code = e.HResult;
        if (code == EnoSpc || code == EDQuot || code == WinDiskFull || code == WinHandleDiskFull)
        {
            return new StorageException(StorageErrorKind.QuotaExceeded, $"no space left for {path}");
        }

        if (code == ENotDir || code == ELoop)
        {
            return StorageException.NotFound(path);
        }

        if (code == EExist)
        {
            return StorageException.AlreadyExists(path);
        }

        if (code == ENotEmpty || code == WinDirNotEmpty)
        {
            return new StorageException(StorageErrorKind.NotEmpty, $"directory not empty: {path}");
        }

        if (code == ERofs)
        {
            return new StorageException(StorageErrorKind.PermissionDenied, $"read-only file system: {path}");
        }

        if (code == ENameTooLong)
        {
            return new StorageException(StorageErrorKind.InvalidName, $"name too long: {path}");
        }

        return new StorageException(StorageErrorKind.Unavailable, $"local storage failed on {path} (error {code})", inner: e);
    }
}
