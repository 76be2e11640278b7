using OpenList.DriverHost.Drivers.Capabilities;

namespace OpenList.DriverHost.Drivers.Http;

/// <summary>
/// How a cloud driver serves <see cref="IStorageDriver.OpenReadAsync"/> from download links: the asked bytes through a
/// <see cref="ResumableLinkStream"/>, so a dropped, stalled or cut connection resumes at the same byte and an expired
/// link is replaced, instead of the copy failing half way. Drivers differ only in how they fetch a link.
/// </summary>
internal static class LinkRead
{
    private static readonly ResumeOptions Resume = new();

    /// <param name="size">The file's length, as the driver listed it.</param>
    /// <param name="fetchLink">Asks the cloud for a new download link of the file.</param>
    /// <param name="onRetry">Told why and at which offset the read reconnects (for the driver's log).</param>
    public static async Task<StorageReadStream> OpenAsync(
        HttpClient http,
        long size,
        ByteRange? range,
        Func<CancellationToken, Task<StorageLink>> fetchLink,
        TimeProvider time,
        Action<string, long> onRetry,
        CancellationToken cancellationToken)
    {
        if (size == 0)
        {
            // Nothing to download, and no CDN serves a range of an empty object: the (empty) whole file.
            return new StorageReadStream(Stream.Null, null, 0);
        }

        var from = range?.From ?? 0;
        var end = range is { } r ? r.To + 1 : size;
        if (end <= from)
        {
            return new StorageReadStream(Stream.Null, range, size);
        }

        // The first link is fetched now, so a refused token or a missing file is an error here, not a cut body.
        var link = await fetchLink(cancellationToken).ConfigureAwait(false);
        async Task<StorageLink> NextLinkAsync(bool fresh, CancellationToken ct)
        {
            // A reconnect after a drop reuses the link; only a refused or expired one costs a link call (rate-limited).
            if (fresh || (link.ExpiresAt is { } expires && expires <= time.GetUtcNow()))
            {
                link = await fetchLink(ct).ConfigureAwait(false);
            }

            return link;
        }

        var stream = new ResumableLinkStream(http, NextLinkAsync, from, end, Resume, time, onRetry);
        return new StorageReadStream(stream, range, size);
    }
}
