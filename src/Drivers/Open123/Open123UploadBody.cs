using System.Buffers;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;
using OpenList.DriverHost.Drivers.Errors;

namespace OpenList.DriverHost.Drivers.Open123;

/// <summary>
/// An upload's bytes, read to the end before anything is created: <c>create</c> needs the whole file's MD5 first
/// (cloud-apis.md §3.6 step 2), and a body that ends early must leave the previous version alone. Small bodies of
/// known length are held in memory; everything else (unknown length included) is spooled to the temporary folder,
/// which then serves each slice, for every attempt, without the file ever being held in memory.
/// </summary>
internal sealed class Open123UploadBody : IAsyncDisposable
{
    /// <summary>Bodies of known length up to this size are held in memory instead of being spooled.</summary>
    public const int MaxBuffered = 4 * 1024 * 1024;

    private const int CopyBufferSize = 64 * 1024;

    private readonly byte[]? _memory;
    private readonly FileStream? _spool;

    private Open123UploadBody(long length, string md5, byte[]? memory, FileStream? spool)
    {
        Length = length;
        Md5 = md5;
        _memory = memory;
        _spool = spool;
    }

    public long Length { get; }

    /// <summary>Lower-case MD5 of the whole body: the <c>etag</c> of create.</summary>
    public string Md5 { get; }

    /// <summary>The bytes sit in a temporary file (the spool file is deleted when the body is disposed).</summary>
    public bool IsSpooled => _spool is not null;

    /// <summary>Reads <paramref name="content"/> to its end, hashing it on the way.</summary>
    /// <exception cref="StorageException">Incomplete when the body ends early, runs long or fails; QuotaExceeded when the temporary folder is full.</exception>
    public static async Task<Open123UploadBody> OpenAsync(StoragePath path, Stream content, long? length, string tempDirectory, CancellationToken cancellationToken)
    {
#pragma warning disable CA5351 // MD5 is the provider's content hash (etag), not a security measure
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
#pragma warning restore CA5351
        if (length is { } known and <= MaxBuffered)
        {
            var memory = new byte[known];
            var filled = 0;
            while (filled < known)
            {
                var read = await ReadAsync(path, content, memory.AsMemory(filled), filled, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    throw new StorageException(StorageErrorKind.Incomplete, $"upload body ended after {filled} of {known} bytes; nothing was kept: {path}");
                }

                filled += read;
            }

            if (await ReadAsync(path, content, new byte[1], filled, cancellationToken).ConfigureAwait(false) > 0)
            {
                throw new StorageException(StorageErrorKind.Incomplete, $"upload body is longer than the declared {known} bytes; nothing was kept: {path}");
            }

            md5.AppendData(memory);
            return new Open123UploadBody(known, Convert.ToHexStringLower(md5.GetHashAndReset()), memory, null);
        }

        var file = CreateSpoolFile(path, tempDirectory, length);
        try
        {
            var total = await SpoolAsync(path, content, file, length, md5, cancellationToken).ConfigureAwait(false);
            return new Open123UploadBody(total, Convert.ToHexStringLower(md5.GetHashAndReset()), null, file);
        }
        catch
        {
            await file.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>A request body for bytes [<paramref name="offset"/>, <paramref name="offset"/> + <paramref name="count"/>), new for each attempt.</summary>
    public HttpContent Slice(long offset, long count)
    {
        HttpContent content = _memory is { } memory
            ? new ByteArrayContent(memory, (int)offset, (int)count)
            : new SpoolSegmentContent(_spool!.SafeFileHandle, offset, count);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return content;
    }

    /// <summary>Lower-case MD5 of one slice (<c>sliceMD5</c>).</summary>
    public async Task<string> SliceMd5Async(long offset, long count, CancellationToken cancellationToken)
    {
        if (_memory is { } memory)
        {
#pragma warning disable CA5351 // the provider's slice hash
            return Convert.ToHexStringLower(MD5.HashData(memory.AsSpan((int)offset, (int)count)));
#pragma warning restore CA5351
        }

#pragma warning disable CA5351 // the provider's slice hash
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
#pragma warning restore CA5351
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            long done = 0;
            while (done < count)
            {
                var want = (int)Math.Min(CopyBufferSize, count - done);
                var read = await RandomAccess.ReadAsync(_spool!.SafeFileHandle, buffer.AsMemory(0, want), offset + done, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    throw new IOException("the spool file is shorter than expected");
                }

                md5.AppendData(buffer, 0, read);
                done += read;
            }

            return Convert.ToHexStringLower(md5.GetHashAndReset());
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_spool is not null)
        {
            await _spool.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task<int> ReadAsync(StoragePath path, Stream content, Memory<byte> buffer, long soFar, CancellationToken cancellationToken)
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

    private static async Task<long> SpoolAsync(StoragePath path, Stream content, FileStream file, long? length, IncrementalHash md5, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            long total = 0;
            while (true)
            {
                var read = await ReadAsync(path, content, buffer.AsMemory(0, CopyBufferSize), total, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                total += read;
                if (total > length)
                {
                    throw new StorageException(StorageErrorKind.Incomplete, $"upload body is longer than the declared {length} bytes; nothing was kept: {path}");
                }

                md5.AppendData(buffer, 0, read);
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
            return total;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static FileStream CreateSpoolFile(StoragePath path, string tempDirectory, long? length)
    {
        try
        {
            Directory.CreateDirectory(tempDirectory);
            if (length is { } needed && AvailableSpace(tempDirectory) is { } free && free < needed)
            {
                throw new StorageException(StorageErrorKind.QuotaExceeded, $"the temporary folder lacks the {needed} bytes needed to stage the upload of {path}");
            }

            return new FileStream(Path.Join(tempDirectory, "123-upload-" + Guid.NewGuid().ToString("N") + ".tmp"), new FileStreamOptions
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

    private static long? AvailableSpace(string directory)
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

    /// <summary>One slice of the spool file as a request body, readable again for each attempt.</summary>
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
