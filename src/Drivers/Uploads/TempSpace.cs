using OpenList.DriverHost.Drivers.Errors;

namespace OpenList.DriverHost.Drivers.Uploads;

/// <summary>
/// The spool file in the temporary folder, and the free-space checks around it: a staging failure is the server's
/// lack of room (QuotaExceeded) or rights (Unavailable), never the client's upload breaking off.
/// </summary>
internal static class TempSpace
{
    /// <summary>Free bytes where <paramref name="directory"/> lives; null when the system cannot tell.</summary>
    public static long? Available(string directory)
    {
        try
        {
            return new DriveInfo(Path.GetFullPath(directory)).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// A new spool file, deleted when closed. A declared <paramref name="length"/> the folder cannot hold is refused
    /// before anything is read; so is a body of unknown length when the folder is already below the reserve.
    /// </summary>
    /// <exception cref="StorageException">QuotaExceeded when short of space or the file cannot be made; Unavailable when not writable.</exception>
    public static FileStream CreateSpoolFile(StoragePath path, long? length, UploadSpoolOptions options)
    {
        try
        {
            Directory.CreateDirectory(options.TempDirectory);
            if (length is { } needed)
            {
                if (options.AvailableSpace(options.TempDirectory) is { } free && free < needed)
                {
                    throw new StorageException(StorageErrorKind.QuotaExceeded, ShortOfSpace(path, free, needed, options.WhyStaged));
                }
            }
            else
            {
                EnsureReserve(path, options, 0);
            }

            return new FileStream(Path.Join(options.TempDirectory, options.FilePrefix + "-upload-" + Guid.NewGuid().ToString("N") + ".tmp"), new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.ReadWrite,
                Share = FileShare.None,
                Options = FileOptions.Asynchronous | FileOptions.DeleteOnClose,
                BufferSize = 0,
                PreallocationSize = length ?? 0,
            });
        }
        catch (IOException e)
        {
            throw new StorageException(StorageErrorKind.QuotaExceeded, $"the upload of {path} cannot be staged in the temporary folder: {e.GetType().Name}", inner: e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new StorageException(StorageErrorKind.Unavailable, $"the temporary folder is not writable; the upload of {path} cannot be staged", inner: e);
        }
    }

    /// <summary>With <see cref="UploadSpoolOptions.UnknownLengthReserve"/> set: refuses once the folder has less than it left.</summary>
    public static void EnsureReserve(StoragePath path, UploadSpoolOptions options, long spooled)
    {
        if (options.UnknownLengthReserve is { } reserve && options.AvailableSpace(options.TempDirectory) is { } free && free < reserve)
        {
            throw new StorageException(
                StorageErrorKind.QuotaExceeded,
                $"the temporary folder has {free} bytes free after staging {spooled} bytes of {path}; the upload is refused{Because(options.WhyStaged)}");
        }
    }

    // Two wordings, as the drivers had them: the longer one names the free space and the provider's reason.
    private static string ShortOfSpace(StoragePath path, long free, long needed, string? whyStaged) => whyStaged is null
        ? $"the temporary folder lacks the {needed} bytes needed to stage the upload of {path}"
        : $"the temporary folder has {free} bytes free but the upload of {path} needs {needed} to be staged{Because(whyStaged)}";

    private static string Because(string? whyStaged) => whyStaged is null ? string.Empty : $" ({whyStaged})";
}
