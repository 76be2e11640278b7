using OpenList.DriverHost.Drivers.Errors;

namespace OpenList.DriverHost.Drivers.Uploads;

/// <summary>
/// What every cloud driver's PutAsync checks before it looks anything up, and what a cancelled upload becomes: the
/// same contract clauses (IStorageDriver), so they are written once.
/// </summary>
internal static class PutArguments
{
    /// <exception cref="ArgumentNullException">No content.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A negative declared length.</exception>
    /// <exception cref="StorageException">IsDirectory for the root.</exception>
    public static void Validate(StoragePath path, Stream content, long? length)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (length is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "a declared length cannot be negative");
        }

        if (path.IsRoot)
        {
            throw new StorageException(StorageErrorKind.IsDirectory, $"is a directory: {path}");
        }
    }

    /// <summary>The caller gave up: Incomplete, since the driver keeps nothing of a cancelled upload.</summary>
    public static StorageException Cancelled(StoragePath path, OperationCanceledException e) =>
        new(StorageErrorKind.Incomplete, $"upload cancelled; nothing was kept: {path}", inner: e);
}
