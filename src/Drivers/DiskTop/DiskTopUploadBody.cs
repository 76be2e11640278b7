using System.Security.Cryptography;
using OpenList.DriverHost.Drivers.Errors;
using OpenList.DriverHost.Drivers.Uploads;

namespace OpenList.DriverHost.Drivers.DiskTop;

/// <summary>
/// An upload's bytes staged in a temporary file (<c>server.temp_dir</c>). precreate wants the MD5 of the whole file
/// before a byte is sent (cloud-apis.md §4.5), and a resumed upload re-reads parts, so every body is spooled first,
/// hashed on the way. The spool then serves each chunk. The file is deleted on dispose.
/// </summary>
internal sealed class DiskTopUploadBody : IAsyncDisposable
{
    /// <summary>
    /// A body of unknown length is refused once the temporary folder has less than this left; the free space is checked
    /// again after every such amount spooled.
    /// </summary>
    internal const long SpoolReserve = 8L * 1024 * 1024;

    private readonly UploadSpool _spool;

    private DiskTopUploadBody(UploadSpool spool, string md5)
    {
        _spool = spool;
        Md5 = md5;
    }

    public long Length => _spool.Length;

    /// <summary>Lower-case hex MD5 of the whole body (precreate's <c>md5</c>).</summary>
    public string Md5 { get; }

    /// <summary>
    /// Copies <paramref name="content"/> into a new file in <paramref name="tempDirectory"/>. A declared length the
    /// folder cannot hold is refused before anything is read; a body of unknown length is refused as soon as the folder
    /// runs short (<see cref="SpoolReserve"/>).
    /// </summary>
    /// <param name="availableSpace">Free bytes where a folder lives (null when unknown); tests replace it.</param>
    /// <exception cref="StorageException">
    /// QuotaExceeded when the temporary folder is short of space; Incomplete when the body ends early, runs long or fails.
    /// </exception>
    public static async Task<DiskTopUploadBody> SpoolAsync(
        StoragePath path, Stream content, long? length, string tempDirectory, Func<string, long?> availableSpace, CancellationToken cancellationToken)
    {
        var options = new UploadSpoolOptions(tempDirectory, "disktop")
        {
            WhyStaged = "Disk.Top needs the whole file's MD5 first",
            UnknownLengthReserve = SpoolReserve,
            AvailableSpace = availableSpace,
        };
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var spool = await UploadSpool.CreateAsync(path, content, length, options, (chunk, _) => md5.AppendData(chunk), cancellationToken).ConfigureAwait(false);
        return new DiskTopUploadBody(spool, Convert.ToHexStringLower(md5.GetHashAndReset()));
    }

    /// <summary>Bytes <paramref name="offset"/> to <paramref name="offset"/> + <paramref name="count"/> as a request body, readable again for each attempt.</summary>
    public HttpContent Segment(long offset, long count) => _spool.Segment(offset, count);

    public ValueTask DisposeAsync() => _spool.DisposeAsync();
}
