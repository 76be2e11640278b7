using OpenList.DriverHost.Config;
using OpenList.DriverHost.Drivers.Relay;

namespace OpenList.DriverHost.Relay;

/// <summary>
/// The <c>relay</c> section of drivers.json: the self-hosted online API relay (DESIGN.md §5, issue 9). Off unless
/// <see cref="Enabled"/> and at least one provider is configured. Client secrets are never read from drivers.json
/// or the command line, only from an environment variable or a file; a literal secret in the file is a config error.
/// </summary>
public sealed record RelaySettings
{
    public bool Enabled { get; init; }

    /// <summary>The relay's public base URL (<c>https://relay.example.com</c>, no trailing slash); callbacks are <c>&lt;PublicUrl&gt;/relay/&lt;prefix&gt;/callback</c>.</summary>
    public string PublicUrl { get; init; } = "";

    /// <summary>Origins allowed to call the relay from a browser (CORS on renewapi, Origin check on POSTs); the public URL's origin is always allowed.</summary>
    public ValueList<string> AllowedOrigins { get; init; } = ValueList.Empty<string>();

    /// <summary>Defaults for every provider.</summary>
    public RelayRateLimits RateLimits { get; init; } = new();

    public ValueList<RelayProviderSettings> Providers { get; init; } = ValueList.Empty<RelayProviderSettings>();
}

/// <summary>Request budgets per minute; 0 = unlimited. Over budget: 429 with Retry-After.</summary>
/// <param name="PerIpPerMinute">Requests to renewapi and the authorization pages from one client IP.</param>
/// <param name="PerTokenPerMinute">renewapi calls with one refresh token (keyed by its hash, never the token).</param>
public sealed record RelayRateLimits(int PerIpPerMinute = 60, int PerTokenPerMinute = 6);

/// <summary>One provider under <c>relay.providers.&lt;prefix&gt;</c>.</summary>
/// <param name="Prefix">The URL segment: <c>alicloud</c>, <c>123cloud</c>, <c>115cloud</c>, <c>disktop</c>.</param>
/// <param name="Keys">Client id, the resolved secret (secret!), the provider hosts and a pinned redirect URI.</param>
/// <param name="RateLimits">This provider's budgets (the relay-wide defaults unless overridden).</param>
public sealed record RelayProviderSettings(string Prefix, RelayClientKeys Keys, RelayRateLimits RateLimits);

/// <summary>One enabled provider: its settings and the upstream that talks to the provider.</summary>
public sealed record RelayProvider(RelayProviderSettings Settings, IRelayUpstream Upstream)
{
    public string Prefix => Settings.Prefix;
}

/// <summary>
/// What the relay serves now: a singleton in DI, built from the configuration at start (relay settings are not
/// hot-reloaded). Both the renew routes and the authorization pages read it.
/// </summary>
public sealed class RelayDirectory
{
    public RelayDirectory(RelaySettings settings, IEnumerable<RelayProvider> providers)
    {
        Settings = settings;
        Providers = providers.ToDictionary(p => p.Prefix, StringComparer.Ordinal);
    }

    public RelaySettings Settings { get; }

    /// <summary>Enabled providers by prefix (ordinal).</summary>
    public IReadOnlyDictionary<string, RelayProvider> Providers { get; }

    public bool Enabled => Settings.Enabled && Providers.Count > 0;
}
