namespace OpenList.DriverHost.Drivers.Errors;

/// <summary>The only exception type drivers raise for known conditions.</summary>
public sealed class StorageException : Exception
{
    public StorageException(StorageErrorKind kind, string message, TimeSpan? retryAfter = null, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
        RetryAfter = retryAfter;
    }

    public StorageErrorKind Kind { get; }

    /// <summary>For <see cref="StorageErrorKind.RateLimited"/> and <see cref="StorageErrorKind.Unavailable"/>: how long to wait.</summary>
    public TimeSpan? RetryAfter { get; }

    public static StorageException NotFound(StoragePath path) => new(StorageErrorKind.NotFound, $"not found: {path}");

    public static StorageException AlreadyExists(StoragePath path) => new(StorageErrorKind.AlreadyExists, $"already exists: {path}");
}
