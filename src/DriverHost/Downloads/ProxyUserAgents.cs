namespace OpenList.DriverHost.Downloads;

/// <summary>
/// Clients that do not follow a 302 on GET, so <c>302_redirect</c> streams to them instead (webdav-clients.md §4):
/// the Windows Mini-Redirector (also as <c>DavClnt</c>, its User-Agent while the WebClient service starts, §5 item 7), Finder's WebDAVFS (UNCERTAIN whether it follows, so it is proxied), cadaver, and
/// davfs2 (follows only with <c>follow_redirect 1</c>). A storage overrides the list with <c>proxy_user_agents</c>.
/// </summary>
public sealed class ProxyUserAgents
{
    public static readonly IReadOnlyList<string> Defaults = ["Microsoft-WebDAV-MiniRedir", "DavClnt", "WebDAVFS", "WebDAVLib", "cadaver", "davfs2"];

    private readonly string[] _substrings;

    private ProxyUserAgents(string[] substrings) => _substrings = substrings;

    public static ProxyUserAgents Default { get; } = new([.. Defaults]);

    /// <summary>The list from a storage's <c>proxy_user_agents</c> (comma or newline separated); null keeps the defaults.</summary>
    public static ProxyUserAgents Parse(string? configured) => configured is null
        ? Default
        : new(configured.Split([',', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>True when <paramref name="userAgent"/> contains one of the substrings (case-insensitive).</summary>
    public bool MustProxy(string userAgent) =>
        _substrings.Any(s => userAgent.Contains(s, StringComparison.OrdinalIgnoreCase));
}
