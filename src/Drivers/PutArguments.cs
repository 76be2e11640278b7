using OpenList.DriverHost.Drivers.Errors;

namespace OpenList.DriverHost.Drivers;

/// <summary>
/// What <see cref="IStorageDriver.PutAsync"/> refuses before it touches the storage, the same for every cloud driver:
/// no content stream, a negative declared length, and the root, which is a directory.
/// </summary>
internal static class PutArguments
{
    public static void Check(StoragePath path, Stream content, long? length)
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
}
