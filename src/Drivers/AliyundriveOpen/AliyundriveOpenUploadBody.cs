using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using OpenList.DriverHost.Drivers.Errors;
using OpenList.DriverHost.Drivers.Uploads;

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

    private readonly Stream? _source;
    private readonly UploadSpool? _spool;
    private readonly IncrementalHash _sha1;
    private readonly StoragePath _path;
    private byte[]? _buffer;
    private long _consumed;
    private string? _sha1Hex;

    private AliyundriveOpenUploadBody(StoragePath path, long length, Stream? source, UploadSpool? spool, IncrementalHash sha1)
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

        try
        {
            var staged = await UploadSpool.CreateAsync(
                path, content, length, new UploadSpoolOptions(tempDirectory, "aliyun"), (chunk, _) => sha1.AppendData(chunk), cancellationToken).ConfigureAwait(false);
            var body = new AliyundriveOpenUploadBody(path, staged.Length, null, staged, sha1);
            body._sha1Hex = Convert.ToHexStringLower(sha1.GetHashAndReset());
            return body;
        }
        catch
        {
            sha1.Dispose();
            throw;
        }
    }

    /// <summary>SHA1 (lower-case hex) of the first 1024 bytes: the rapid upload's <c>pre_hash</c>. Spooled bodies only.</summary>
    public string PreHash()
    {
        var head = new byte[(int)Math.Min(1024, Length)];
        var read = Spool.Read(head, 0);
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
        var read = Spool.Read(bytes, start);
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
            return new AliyundriveOpenPart(number, () => spool.Segment(offset, partLength));
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
            // The failure message counts the parts already taken (_consumed), as it always has.
            var read = await UploadSource.ReadAsync(_path, _source!, buffer.AsMemory(filled, (int)partLength - filled), _consumed, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw UploadSource.EndedEarly(_path, _consumed + filled, Length);
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

        await UploadSource.EnsureEndAsync(_path, _source, Length, _consumed, cancellationToken).ConfigureAwait(false);
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
            await _spool.DisposeAsync().ConfigureAwait(false);
        }
    }

    private UploadSpool Spool => _spool ?? throw new InvalidOperationException("only a spooled body has a proof");
}

/// <summary>One part of an upload: builds a fresh request body for each attempt.</summary>
internal sealed record AliyundriveOpenPart(int Number, Func<HttpContent> CreateContent);
