using System.Buffers;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;
using OpenList.DriverHost.Drivers.Errors;

namespace OpenList.DriverHost.Drivers.Open115;

/// <summary>
/// An upload's bytes staged in a temporary file. 115's upload init wants the SHA1 of the whole file and of its first
/// 128 KiB before a byte is sent (cloud-apis.md §1.6 step 1), so every body is spooled first, hashed on the way.
/// The spool then serves the sign check's byte range and every OSS part. The file is deleted on dispose.
/// </summary>
internal sealed class Open115UploadBody : IAsyncDisposable
{
    /// <summary>§1.6: <c>preid</c> is the SHA1 of the first 128 KiB.</summary>
    public const int PreHashLength = 128 * 1024;

    private const int CopyBufferSize = 64 * 1024;

    private readonly FileStream _spool;

    private Open115UploadBody(FileStream spool, long length, string sha1, string preId)
    {
        _spool = spool;
        Length = length;
        Sha1 = sha1;
        PreId = preId;
    }

    public long Length { get; }

    /// <summary>Upper-case hex SHA1 of the whole body (<c>fileid</c>).</summary>
    public string Sha1 { get; }

    /// <summary>Upper-case hex SHA1 of the first 128 KiB, or of the whole body when shorter (<c>preid</c>).</summary>
    public string PreId { get; }

    /// <summary>
    /// Copies <paramref name="content"/> into a new file in <paramref name="tempDirectory"/>. A declared length that
    /// the folder's free space cannot hold is refused (QuotaExceeded) before anything is read.
    /// </summary>
    /// <exception cref="StorageException">
    /// QuotaExceeded when the temporary folder is short of space; Incomplete when the body ends early, runs long or fails.
    /// </exception>
    public static async Task<Open115UploadBody> SpoolAsync(
        StoragePath path, Stream content, long? length, string tempDirectory, CancellationToken cancellationToken)
    {
        var file = CreateSpoolFile(path, tempDirectory, length);
#pragma warning disable CA5350 // SHA1 is the provider's content hash (cloud-apis.md §1.6), not a security measure
        using var whole = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        using var head = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
#pragma warning restore CA5350
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            long total = 0;
            while (true)
            {
                int read;
                try
                {
                    read = await content.ReadAsync(buffer.AsMemory(0, CopyBufferSize), cancellationToken).ConfigureAwait(false);
                }
                catch (IOException e)
                {
                    throw new StorageException(StorageErrorKind.Incomplete, $"upload body failed after {total} bytes; nothing was kept: {path}", inner: e);
                }

                if (read == 0)
                {
                    break;
                }

                if (total + read > length)
                {
                    throw new StorageException(StorageErrorKind.Incomplete, $"upload body is longer than the declared {length} bytes; nothing was kept: {path}");
                }

                whole.AppendData(buffer, 0, read);
                if (total < PreHashLength)
                {
                    head.AppendData(buffer, 0, (int)Math.Min(read, PreHashLength - total));
                }

                total += read;
                try
                {
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }
                catch (IOException e)
                {
                    throw new StorageException(StorageErrorKind.QuotaExceeded, $"the temporary folder ran out of space staging the upload of {path}", inner: e);
                }
            }

            if (total < length)
            {
                throw new StorageException(StorageErrorKind.Incomplete, $"upload body ended after {total} of {length} bytes; nothing was kept: {path}");
            }

            await file.FlushAsync(cancellationToken).ConfigureAwait(false);
            return new Open115UploadBody(file, total, Convert.ToHexString(whole.GetHashAndReset()), Convert.ToHexString(head.GetHashAndReset()));
        }
        catch
        {
            await file.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// §1.6 step 4: the upper-case SHA1 of bytes <paramref name="start"/> to <paramref name="end"/>, both included.
    /// </summary>
    /// <exception cref="StorageException">Unavailable when the range is not within the body.</exception>
    public async Task<string> RangeSha1Async(long start, long end, CancellationToken cancellationToken)
    {
        if (start < 0 || end < start || end >= Length)
        {
            throw new StorageException(StorageErrorKind.Unavailable, $"115 asked to sign bytes {start}-{end} of a {Length}-byte upload");
        }

#pragma warning disable CA5350 // the provider's sign check
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
#pragma warning restore CA5350
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            var position = start;
            while (position <= end)
            {
                var want = (int)Math.Min(CopyBufferSize, end - position + 1);
                var read = await RandomAccess.ReadAsync(_spool.SafeFileHandle, buffer.AsMemory(0, want), position, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    throw new IOException("the spool file is shorter than expected");
                }

                hash.AppendData(buffer, 0, read);
                position += read;
            }

            return Convert.ToHexString(hash.GetHashAndReset());
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Bytes <paramref name="offset"/> to <paramref name="offset"/> + <paramref name="count"/> as a request body, readable again for each attempt.</summary>
    public HttpContent Segment(long offset, long count) => new SpoolSegmentContent(_spool.SafeFileHandle, offset, count);

    public ValueTask DisposeAsync() => _spool.DisposeAsync(); // DeleteOnClose removes the file

    private static FileStream CreateSpoolFile(StoragePath path, string tempDirectory, long? length)
    {
        try
        {
            Directory.CreateDirectory(tempDirectory);
            if (length is { } needed && AvailableSpace(tempDirectory) is { } free && free < needed)
            {
                throw new StorageException(
                    StorageErrorKind.QuotaExceeded,
                    $"the temporary folder has {free} bytes free but the upload of {path} needs {needed} to be staged (115 hashes the whole file first)");
            }

            return new FileStream(Path.Join(tempDirectory, "115-upload-" + Guid.NewGuid().ToString("N") + ".tmp"), new FileStreamOptions
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

    /// <summary>Free bytes where <paramref name="directory"/> lives; null when the system cannot tell.</summary>
    internal static long? AvailableSpace(string directory)
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

    /// <summary>One part of the spool file as a request body (no content type), readable again for each attempt.</summary>
    private sealed class SpoolSegmentContent(SafeFileHandle handle, long offset, long length) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context, CancellationToken cancellationToken)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
            try
            {
                long done = 0;
                while (done < length)
                {
                    var want = (int)Math.Min(CopyBufferSize, length - done);
                    var read = await RandomAccess.ReadAsync(handle, buffer.AsMemory(0, want), offset + done, cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        throw new IOException("the spool file is shorter than expected");
                    }

                    await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    done += read;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override bool TryComputeLength(out long length1)
        {
            length1 = length;
            return true;
        }
    }
}
