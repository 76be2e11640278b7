using OpenList.DriverHost.Drivers.Errors;

namespace OpenList.DriverHost.Drivers.Uploads;

/// <summary>
/// Reading the client's upload body. A failed read, a short body or a long one all mean the client's upload broke
/// off or lied about its length: Incomplete, so nothing is kept and the previous version stays.
/// </summary>
internal static class UploadSource
{
    /// <summary>One read of <paramref name="content"/>; <paramref name="soFar"/> is only for the message.</summary>
    /// <exception cref="StorageException">Incomplete when the read fails.</exception>
    public static async Task<int> ReadAsync(StoragePath path, Stream content, Memory<byte> buffer, long soFar, CancellationToken cancellationToken)
    {
        try
        {
            return await content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw new StorageException(StorageErrorKind.Incomplete, $"upload body failed after {soFar} bytes; nothing was kept: {path}", inner: e);
        }
    }

    /// <summary>After the declared <paramref name="length"/> has been read: checks the body holds nothing more.</summary>
    /// <exception cref="StorageException">Incomplete when it does, or when the read fails.</exception>
    public static async Task EnsureEndAsync(StoragePath path, Stream content, long length, long soFar, CancellationToken cancellationToken)
    {
        if (await ReadAsync(path, content, new byte[1], soFar, cancellationToken).ConfigureAwait(false) > 0)
        {
            throw LongerThanDeclared(path, length);
        }
    }

    public static StorageException EndedEarly(StoragePath path, long read, long length) =>
        new(StorageErrorKind.Incomplete, $"upload body ended after {read} of {length} bytes; nothing was kept: {path}");

    public static StorageException LongerThanDeclared(StoragePath path, long? length) =>
        new(StorageErrorKind.Incomplete, $"upload body is longer than the declared {length} bytes; nothing was kept: {path}");
}
