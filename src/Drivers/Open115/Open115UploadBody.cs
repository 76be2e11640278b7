using System.Security.Cryptography;
using OpenList.DriverHost.Drivers.Errors;
using OpenList.DriverHost.Drivers.Uploads;

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

    private readonly UploadSpool _spool;

    private Open115UploadBody(UploadSpool spool, string sha1, string preId)
    {
        _spool = spool;
        Sha1 = sha1;
        PreId = preId;
    }

    public long Length => _spool.Length;

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
#pragma warning disable CA5350 // SHA1 is the provider's content hash (cloud-apis.md §1.6), not a security measure
        using var whole = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        using var head = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
#pragma warning restore CA5350
        var options = new UploadSpoolOptions(tempDirectory, "115") { WhyStaged = "115 hashes the whole file first" };
        var spool = await UploadSpool.CreateAsync(
            path,
            content,
            length,
            options,
            (chunk, offset) =>
            {
                whole.AppendData(chunk);
                if (offset < PreHashLength)
                {
                    head.AppendData(chunk[..(int)Math.Min(chunk.Length, PreHashLength - offset)]);
                }
            },
            cancellationToken).ConfigureAwait(false);
        return new Open115UploadBody(spool, Convert.ToHexString(whole.GetHashAndReset()), Convert.ToHexString(head.GetHashAndReset()));
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
        var hash = await _spool.HashAsync(HashAlgorithmName.SHA1, start, end - start + 1, cancellationToken).ConfigureAwait(false);
#pragma warning restore CA5350
        return Convert.ToHexString(hash);
    }

    /// <summary>Bytes <paramref name="offset"/> to <paramref name="offset"/> + <paramref name="count"/> as a request body, readable again for each attempt.</summary>
    public HttpContent Segment(long offset, long count) => _spool.Segment(offset, count);

    public ValueTask DisposeAsync() => _spool.DisposeAsync();
}
