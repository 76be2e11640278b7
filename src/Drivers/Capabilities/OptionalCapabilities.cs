namespace OpenList.DriverHost.Drivers.Capabilities;

/// <summary>Server-side copy. The host falls back to a stream copy when a driver lacks it.</summary>
public interface IServerSideCopy
{
    /// <summary>
    /// Copies a file or a whole directory tree to <paramref name="destination"/>, which must not exist
    /// (AlreadyExists otherwise) and whose parent must exist (NotFound otherwise). NotSupported when this copy cannot
    /// be made on the server (nothing is left at <paramref name="destination"/>); the host then copies the bytes.
    /// </summary>
    Task<StorageEntry> CopyAsync(StoragePath source, StoragePath destination, CancellationToken cancellationToken);
}

/// <summary>Server-side move and rename. The host falls back to copy + delete when a driver lacks it.</summary>
public interface IServerSideMove
{
    /// <summary>
    /// Moves or renames a file or directory to <paramref name="destination"/>, which must not exist
    /// (AlreadyExists otherwise) and whose parent must exist (NotFound otherwise).
    /// </summary>
    Task<StorageEntry> MoveAsync(StoragePath source, StoragePath destination, CancellationToken cancellationToken);
}

/// <summary>Sets a file's or directory's modification time after the fact (PROPPATCH of Win32LastModifiedTime, getlastmodified).</summary>
public interface IModTimeSetter
{
    /// <summary>NotFound when the path does not exist.</summary>
    Task<StorageEntry> SetModTimeAsync(StoragePath path, DateTimeOffset lastModified, CancellationToken cancellationToken);
}

/// <summary>Space used and available, for RFC 4331 quota properties.</summary>
public interface IQuotaProvider
{
    Task<StorageQuota> GetQuotaAsync(CancellationToken cancellationToken);
}

/// <summary>Bytes used and still available; either may be unknown.</summary>
public sealed record StorageQuota(long? UsedBytes, long? AvailableBytes);
