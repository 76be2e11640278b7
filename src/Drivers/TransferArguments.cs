using OpenList.DriverHost.Drivers.Errors;

namespace OpenList.DriverHost.Drivers;

/// <summary>
/// What a server-side move or copy (<see cref="Capabilities.IServerSideMove"/>, <see cref="Capabilities.IServerSideCopy"/>)
/// refuses before asking the cloud, the same for every cloud driver: a folder into itself or below itself, and the
/// root as a destination, which always exists.
/// </summary>
internal static class TransferArguments
{
    /// <param name="verb">"move" or "copy", for the message.</param>
    public static void Check(StoragePath source, bool sourceIsDirectory, StoragePath destination, string verb)
    {
        if (sourceIsDirectory && destination.IsSameOrUnder(source))
        {
            throw new StorageException(StorageErrorKind.PermissionDenied, $"cannot {verb} {source} into itself ({destination})");
        }

        if (destination.IsRoot)
        {
            throw StorageException.AlreadyExists(destination);
        }
    }
}
