using System.Net.Http.Headers;
using System.Security.Cryptography;
using OpenList.DriverHost.Drivers.Errors;
using OpenList.DriverHost.Drivers.Uploads;

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

    private readonly byte[]? _memory;
    private readonly UploadSpool? _spool;

    private Open123UploadBody(long length, string md5, byte[]? memory, UploadSpool? spool)
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
                var read = await UploadSource.ReadAsync(path, content, memory.AsMemory(filled), filled, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    throw UploadSource.EndedEarly(path, filled, known);
                }

                filled += read;
            }

            await UploadSource.EnsureEndAsync(path, content, known, filled, cancellationToken).ConfigureAwait(false);
            md5.AppendData(memory);
            return new Open123UploadBody(known, Convert.ToHexStringLower(md5.GetHashAndReset()), memory, null);
        }

        var spool = await UploadSpool.CreateAsync(
            path, content, length, new UploadSpoolOptions(tempDirectory, "123"), (chunk, _) => md5.AppendData(chunk), cancellationToken).ConfigureAwait(false);
        return new Open123UploadBody(spool.Length, Convert.ToHexStringLower(md5.GetHashAndReset()), null, spool);
    }

    /// <summary>A request body for bytes [<paramref name="offset"/>, <paramref name="offset"/> + <paramref name="count"/>), new for each attempt.</summary>
    public HttpContent Slice(long offset, long count)
    {
        var content = _memory is { } memory
            ? new ByteArrayContent(memory, (int)offset, (int)count)
            : _spool!.Segment(offset, count);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return content;
    }

    /// <summary>Lower-case MD5 of one slice (<c>sliceMD5</c>).</summary>
    public async Task<string> SliceMd5Async(long offset, long count, CancellationToken cancellationToken)
    {
#pragma warning disable CA5351 // the provider's slice hash
        var hash = _memory is { } memory
            ? MD5.HashData(memory.AsSpan((int)offset, (int)count))
            : await _spool!.HashAsync(HashAlgorithmName.MD5, offset, count, cancellationToken).ConfigureAwait(false);
#pragma warning restore CA5351
        return Convert.ToHexStringLower(hash);
    }

    public async ValueTask DisposeAsync()
    {
        if (_spool is not null)
        {
            await _spool.DisposeAsync().ConfigureAwait(false);
        }
    }
}
