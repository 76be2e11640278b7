using System.Buffers;
using System.Security.Cryptography;
using OpenList.DriverHost.Drivers.Errors;

namespace OpenList.DriverHost.Drivers.Uploads;

/// <summary>Sees each chunk of an upload as it is spooled, with the chunk's offset in the body: how hashes are computed on the way.</summary>
internal delegate void SpoolChunkObserver(ReadOnlySpan<byte> chunk, long offset);

/// <summary>
/// An upload's bytes staged in a temporary file. Providers want a hash of the whole file before the first byte is
/// sent, and retries re-send parts, so the request body is read once, to its end, into the file, each chunk shown to
/// the driver's hashes on the way; the file then serves every part without the upload ever sitting in memory.
/// The file is deleted when the spool is disposed.
/// </summary>
internal sealed class UploadSpool : IAsyncDisposable
{
    /// <summary>The pooled buffer each copy and hash loop reads through.</summary>
    internal const int CopyBufferSize = 64 * 1024;

    private readonly FileStream _file;

    private UploadSpool(FileStream file, long length)
    {
        _file = file;
        Length = length;
    }

    /// <summary>Bytes staged: the whole body.</summary>
    public long Length { get; }

    /// <summary>
    /// Copies <paramref name="content"/> to its end into a new spool file. When <paramref name="length"/> is declared,
    /// the body must hold exactly that many bytes.
    /// </summary>
    /// <exception cref="StorageException">
    /// QuotaExceeded when the temporary folder is short of space; Incomplete when the body ends early, runs long or fails.
    /// </exception>
    public static async Task<UploadSpool> CreateAsync(
        StoragePath path, Stream content, long? length, UploadSpoolOptions options, SpoolChunkObserver observe, CancellationToken cancellationToken)
    {
        var file = TempSpace.CreateSpoolFile(path, length, options);
        try
        {
            var total = await CopyAsync(path, content, file, length, options, observe, cancellationToken).ConfigureAwait(false);
            return new UploadSpool(file, total);
        }
        catch
        {
            await file.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Bytes [<paramref name="offset"/>, <paramref name="offset"/> + <paramref name="count"/>) as a request body, readable again for each attempt.</summary>
    public HttpContent Segment(long offset, long count) => new FileSegmentContent(_file.SafeFileHandle, offset, count);

    /// <summary>The <paramref name="algorithm"/> hash of bytes [<paramref name="offset"/>, <paramref name="offset"/> + <paramref name="count"/>).</summary>
    public async Task<byte[]> HashAsync(HashAlgorithmName algorithm, long offset, long count, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(algorithm);
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            long done = 0;
            while (done < count)
            {
                var want = (int)Math.Min(CopyBufferSize, count - done);
                var read = await RandomAccess.ReadAsync(_file.SafeFileHandle, buffer.AsMemory(0, want), offset + done, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    throw new IOException("the spool file is shorter than expected");
                }

                hash.AppendData(buffer, 0, read);
                done += read;
            }

            return hash.GetHashAndReset();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads up to <paramref name="buffer"/>'s length from <paramref name="offset"/> (a few bytes: pre-hashes, proofs).</summary>
    public int Read(Span<byte> buffer, long offset) => RandomAccess.Read(_file.SafeFileHandle, buffer, offset);

    public ValueTask DisposeAsync() => _file.DisposeAsync(); // DeleteOnClose removes the file

    private static async Task<long> CopyAsync(
        StoragePath path, Stream content, FileStream file, long? length, UploadSpoolOptions options, SpoolChunkObserver observe, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            long total = 0;
            var nextReserveCheck = options.UnknownLengthReserve ?? 0;
            while (true)
            {
                var read = await UploadSource.ReadAsync(path, content, buffer.AsMemory(0, CopyBufferSize), total, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                if (total + read > length)
                {
                    throw UploadSource.LongerThanDeclared(path, length);
                }

                observe(buffer.AsSpan(0, read), total);
                total += read;
                if (length is null && options.UnknownLengthReserve is { } reserve && total >= nextReserveCheck)
                {
                    nextReserveCheck = total + reserve;
                    TempSpace.EnsureReserve(path, options, total);
                }

                try
                {
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }
                catch (IOException e)
                {
                    throw new StorageException(StorageErrorKind.QuotaExceeded, $"the temporary folder ran out of space staging the upload of {path}", inner: e);
                }
            }

            if (length is { } declared && total < declared)
            {
                throw UploadSource.EndedEarly(path, total, declared);
            }

            await file.FlushAsync(cancellationToken).ConfigureAwait(false);
            return total;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
