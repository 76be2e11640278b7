namespace OpenList.DriverHost.Drivers.Capabilities;

/// <summary>
/// Drivers whose files can be fetched from a URL (a signed CDN link) implement this, so the host can answer a
/// download with a redirect or proxy the link itself instead of streaming through <see cref="IStorageDriver.OpenReadAsync"/>.
/// </summary>
public interface ILinkProvider
{
    /// <summary>
    /// True when a link only works for the User-Agent it was requested with (115): the host then caches links
    /// per User-Agent and sends <see cref="StorageLink.Headers"/> when it fetches one itself.
    /// </summary>
    bool LinksBoundToUserAgent { get; }

    /// <summary>A download link for a file. NotFound for a missing file; IsDirectory for a directory.</summary>
    Task<StorageLink> GetLinkAsync(StoragePath path, LinkRequest request, CancellationToken cancellationToken);
}

/// <summary>What a link request may depend on.</summary>
/// <param name="UserAgent">The end client's User-Agent, when a client asked; null for the host's own fetches.</param>
public sealed record LinkRequest(string? UserAgent);

/// <summary>A URL the file's bytes can be fetched from, with Range.</summary>
/// <param name="Url">Absolute http(s) URL; it carries its own authorisation (signature), never the account's token.</param>
/// <param name="ExpiresAt">When the provider stops honouring it; null when unknown (the host then uses it only briefly).</param>
public sealed record StorageLink(Uri Url, DateTimeOffset? ExpiresAt)
{
    /// <summary>Headers a fetcher must send for the link to work (115's User-Agent). A client that is redirected cannot send them.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
}
