using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Win32.SafeHandles;
using OpenList.DriverHost.Drivers.Errors;

namespace OpenList.DriverHost.Drivers.AliyundriveOpen;

/// <summary>
/// An upload's bytes, handed out one part at a time. Either streamed from the request body into one pooled buffer
/// of a part's size (retries resend that buffer), or first spooled to a temporary file (unknown length, rapid upload,
/// or parts too big to buffer), which then serves every part and the rapid-upload proof. SHA1 is computed on the way.
/// </summary>
internal sealed class AliyundriveOpenUploadBody : IAsyncDisposable
{
    /// <summary>Larger parts (files over 1 TiB) are never buffered in memory.</summary>
    public const long MaxBufferedPart = 128L * 1024 * 1024;

    private const int CopyBufferSize = 64 * 1024;

    private readonly Stream? _source;
    private readonly FileStream? _spool;
    private readonly IncrementalHash _sha1;
    private readonly StoragePath _path;
    private byte[]? _buffer;
    private long _consumed;
    private string? _sha1Hex;

    private AliyundriveOpenUploadBody(StoragePath path, long length, Stream? source, FileStream? spool, IncrementalHash sha1)
    {
        _path = path;
        Length = length;
        _source = source;
        _spool = spool;
        _sha1 = sha1;
    }

    public long Length { get; }

    /// <summary>The bytes sit in a temporary file: every part and the proof can be read at any time.</summary>
    public bool IsSpooled => _spool is not null;

    /// <summary>Lower-case SHA1 of the whole body: known once spooled, or once every part has been read.</summary>
    public string? Sha1 => _sha1Hex;

    /// <summary>Spools <paramref name="content"/> first, or streams it (only with a known length).</summary>
    public static async Task<AliyundriveOpenUploadBody> OpenAsync(
        StoragePath path, Stream content, long? length, bool spool, string tempDirectory, CancellationToken cancellationToken)
    {
#pragma warning disable CA5350 // SHA1 is the provider's content hash (cloud-apis.md §2.6), not a security measure
        var sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
#pragma warning restore CA5350
        if (!spool && length is { } known)
        {
            return new AliyundriveOpenUploadBody(path, known, content, null, sha1);
        }

        FileStream? file = null;
        try
        {
            file = CreateSpoolFile(path, tempDirectory, length);
            var total = await CopyAsync(path, content, file, length, sha1, cancellationToken).ConfigureAwait(false);
            var body = new AliyundriveOpenUploadBody(path, total, null, file, sha1);
            body._sha1Hex = Convert.ToHexStringLower(sha1.GetHashAndReset());
            return body;
        }
        catch
        {
            sha1.Dispose();
            if (file is not null)
            {
                await file.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }

    /// <summary>SHA1 (lower-case hex) of the first 1024 bytes: the rapid upload's <c>pre_hash</c>. Spooled bodies only.</summary>
    public string PreHash()
    {
        var head = new byte[(int)Math.Min(1024, Length)];
        var read = RandomAccess.Read(Spool.SafeFileHandle, head, 0);
#pragma warning disable CA5350 // the provider's pre-hash
        return Convert.ToHexStringLower(SHA1.HashData(head.AsSpan(0, read)));
#pragma warning restore CA5350
    }

    /// <summary>
    /// The rapid-upload proof (§2.6) for <paramref name="accessToken"/>: the first 16 hex digits of md5(token) as a
    /// number, modulo the size, give where 8 bytes are read; they are sent base64-encoded. Spooled bodies only.
    /// </summary>
    public string ProofCode(string accessToken)
    {
#pragma warning disable CA5351 // md5 is how the provider derives the proof offset, not a security measure
        var md5 = Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(accessToken)));
#pragma warning restore CA5351
        var x = ulong.Parse(md5.AsSpan(0, 16), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
        var start = (long)(x % (ulong)Length);
        var end = Math.Min(start + 8, Length);
        var bytes = new byte[end - start];
        var read = RandomAccess.Read(Spool.SafeFileHandle, bytes, start);
        return Convert.ToBase64String(bytes, 0, read);
    }

    /// <summary>
    /// Reads part <paramref name="number"/> (1-based) of <paramref name="partLength"/> bytes. Parts are read in order;
    /// the last read also checks that the body holds no more than its declared length.
    /// </summary>
    /// <exception cref="StorageException">Incomplete when the body ends early, runs long, or fails.</exception>
    public async Task<AliyundriveOpenPart> ReadPartAsync(int number, long offset, long partLength, bool last, CancellationToken cancellationToken)
    {
        if (_spool is { } spool)
        {
            return new AliyundriveOpenPart(number, () => new SpoolSegmentContent(spool.SafeFileHandle, offset, partLength));
        }

        if (offset != _consumed)
        {
            throw new InvalidOperationException("parts of a streamed body are read once, in order");
        }

        _buffer ??= ArrayPool<byte>.Shared.Rent((int)partLength);
        var buffer = _buffer;
        var filled = 0;
        while (filled < partLength)
        {
            var read = await ReadSourceAsync(buffer.AsMemory(filled, (int)partLength - filled), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new StorageException(StorageErrorKind.Incomplete, $"upload body ended after {_consumed + filled} of {Length} bytes; nothing was kept: {_path}");
            }

            filled += read;
        }

        _consumed += filled;
        _sha1.AppendData(buffer, 0, filled);
        if (last)
        {
            await EnsureEndAsync(cancellationToken).ConfigureAwait(false);
        }

        return new AliyundriveOpenPart(number, () => new ByteArrayContent(buffer, 0, filled));
    }

    /// <summary>For a streamed body: the declared length was all there is (an empty body, or after the last part).</summary>
    public async Task EnsureEndAsync(CancellationToken cancellationToken)
    {
        if (_source is null)
        {
            return;
        }

        var probe = new byte[1];
        if (await ReadSourceAsync(probe, cancellationToken).ConfigureAwait(false) > 0)
        {
            throw new StorageException(StorageErrorKind.Incomplete, $"upload body is longer than the declared {Length} bytes; nothing was kept: {_path}");
        }

        _sha1Hex ??= Convert.ToHexStringLower(_sha1.GetHashAndReset());
    }

    public async ValueTask DisposeAsync()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }

        _sha1.Dispose();
        if (_spool is not null)
        {
            await _spool.DisposeAsync().ConfigureAwait(false); // DeleteOnClose removes the file
        }
    }

    private FileStream Spool => _spool ?? throw new InvalidOperationException("only a spooled body has a proof");

    private async Task<int> ReadSourceAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            return await _source!.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw new StorageException(StorageErrorKind.Incomplete, $"upload body failed after {_consumed} bytes; nothing was kept: {_path}", inner: e);
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

            return new FileStream(Path.Join(tempDirectory, "aliyun-upload-" + Guid.NewGuid().ToString("N") + ".tmp"), new FileStreamOptions
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

    private static async Task<long> CopyAsync(StoragePath path, Stream content, FileStream file, long? length, IncrementalHash sha1, CancellationToken cancellationToken)
    {
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

                total += read;
                if (total > length)
                {
                    throw new StorageException(StorageErrorKind.Incomplete, $"upload body is longer than the declared {length} bytes; nothing was kept: {path}");
                }

                sha1.AppendData(buffer, 0, read);
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

/// <summary>One part of an upload: builds a fresh request body for each attempt.</summary>
internal sealed record AliyundriveOpenPart(int Number, Func<HttpContent> CreateContent);
