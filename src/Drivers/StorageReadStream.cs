namespace OpenList.DriverHost.Drivers;

/// <summary>What <see cref="IStorageDriver.OpenReadAsync"/> returns: the bytes and what they cover.</summary>
/// <param name="Content">The bytes; the caller disposes it.</param>
/// <param name="Range">The range the stream holds, or null when the driver ignored the requested range and the stream holds the whole file (rclone's "range ignored").</param>
/// <param name="TotalLength">The whole file's length.</param>
public sealed record StorageReadStream(Stream Content, ByteRange? Range, long TotalLength) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Content.DisposeAsync();
}
