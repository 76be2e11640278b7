using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using OpenList.DriverHost.Caching;
using OpenList.DriverHost.Config;
using OpenList.DriverHost.Drivers;
using OpenList.DriverHost.Drivers.Capabilities;
using OpenList.DriverHost.Drivers.Http;
using OpenList.DriverHost.Mounts;
using OpenList.DriverHost.WebDav.Store;

namespace OpenList.DriverHost.Downloads;

/// <summary>
/// Answers a download of a file (DESIGN.md §6) as the storage's <c>webdav_policy</c> says: a 302 to the driver's
/// link, a 302 to the download proxy, or the bytes streamed by the host from the link with resume. Links are cached
/// per mount (<see cref="Mount.Links"/>); the driver's own stream is used for drivers without links (Local).
/// </summary>
public sealed partial class DownloadService
{
    private readonly HttpClient _http;
    private readonly DownloadSigner _signer;
    private readonly TimeProvider _time;
    private readonly ILogger<DownloadService> _logger;
    private readonly ConcurrentDictionary<string, ProxyUserAgents> _proxyAgents = new(StringComparer.Ordinal);

    /// <param name="http">Fetches links for streaming; it must not add credentials of its own.</param>
    public DownloadService(HttpClient http, DownloadSigner signer, TimeProvider time, ILogger<DownloadService> logger)
    {
        _http = http;
        _signer = signer;
        _time = time;
        _logger = logger;
    }

    public ResumeOptions Resume { get; init; } = new();

    public DownloadSigner Signer => _signer;

    /// <summary>
    /// How to answer a download of the file at <paramref name="path"/> in <paramref name="mount"/>, whose full virtual
    /// path (for download proxy signatures) is <paramref name="virtualPath"/>. Raises StorageException for link errors.
    /// </summary>
    public async Task<DavContent> ContentAsync(Mount mount, StoragePath path, string virtualPath, long length, DavRequestInfo request, DownloadRoute route, CancellationToken cancellationToken)
    {
        var record = mount.Record;
        if (route == DownloadRoute.WebDav && record.WebDavPolicy == WebDavPolicy.UseProxyUrl && FirstLine(record.DownProxyUrl) is { Length: > 0 } proxyUrl)
        {
            // As OpenList: no driver call at all; the proxy asks for the link itself and must be asked every time.
            var location = new Uri(proxyUrl.TrimEnd('/') + EscapePath(virtualPath) + "?sign=" + Uri.EscapeDataString(_signer.Sign(virtualPath)));
            return new DavRedirectContent(location, TimeSpan.Zero);
        }

        if (mount.Driver is not ILinkProvider provider)
        {
            return DriverStream(mount, path, length);
        }

        if (request.IsHead)
        {
            // Size and dates are known here (a HEAD never opens the stream); a redirect would send the client to ask
            // the CDN the same question.
            return LinkStream(mount, provider, path, length, request.UserAgent);
        }

        var wantsRedirect = route != DownloadRoute.SignedProxy && record.WebDavPolicy == WebDavPolicy.Redirect302;

        var linkKey = provider.LinksBoundToUserAgent ? request.UserAgent : null;
        var links = mount.Links;
        // Fetched before answering even when streaming, so a missing file or a refused token is a status, not a cut body.
        var cached = await links.GetAsync(path, linkKey, fresh: false, ct => provider.GetLinkAsync(path, new LinkRequest(request.UserAgent), ct), cancellationToken).ConfigureAwait(false);
        if (wantsRedirect && CanRedirect(cached.Link, provider, request, ProxyAgentsOf(record)))
        {
            return new DavRedirectContent(cached.Link.Url, cached.UsableFor(_time.GetUtcNow()));
        }

        return LinkStream(mount, provider, path, length, request.UserAgent);
    }

    /// <summary>True when the client can fetch the link itself (follows redirects, needs no headers, no HTTPS downgrade).</summary>
    private static bool CanRedirect(StorageLink link, ILinkProvider provider, DavRequestInfo request, ProxyUserAgents proxyAgents)
    {
        if (proxyAgents.MustProxy(request.UserAgent))
        {
            return false;
        }

        if (request.IsHttps && link.Url.Scheme != Uri.UriSchemeHttps)
        {
            return false;
        }

        // A link bound to the client's own User-Agent works when that client follows it; any other header cannot be sent.
        return link.Headers.All(h => provider.LinksBoundToUserAgent
            && h.Key.Equals("User-Agent", StringComparison.OrdinalIgnoreCase)
            && h.Value == request.UserAgent);
    }

    private DavStreamContent LinkStream(Mount mount, ILinkProvider provider, StoragePath path, long length, string userAgent)
    {
        var linkKey = provider.LinksBoundToUserAgent ? userAgent : null;
        var links = mount.Links;
        return new DavStreamContent((offset, ct) => Task.FromResult<Stream>(new CountingReadStream(new ResumableLinkStream(
            _http,
            async (fresh, c) => (await links.GetAsync(path, linkKey, fresh, lc => provider.GetLinkAsync(path, new LinkRequest(userAgent), lc), c).ConfigureAwait(false)).Link,
            offset,
            length,
            Resume,
            _time,
            (reason, at) => LogResume(_logger, mount.MountPath, path.Value, at, reason)))));
    }

    private static DavStreamContent DriverStream(Mount mount, StoragePath path, long length) =>
        new((offset, ct) => MountReads.OpenFromAsync(mount, path, offset, length, ct));

    private ProxyUserAgents ProxyAgentsOf(StorageRecord record) =>
        record.ProxyUserAgents is null ? ProxyUserAgents.Default : _proxyAgents.GetOrAdd(record.ProxyUserAgents, ProxyUserAgents.Parse);

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();

    private static string EscapePath(string path) => string.Join('/', path.Split('/').Select(Uri.EscapeDataString));

    [LoggerMessage(EventId = 40, Level = LogLevel.Warning, Message = "{MountPath}{Path}: download continues at byte {Offset}: {Reason}")]
    private static partial void LogResume(ILogger logger, string mountPath, string path, long offset, string reason);
}
