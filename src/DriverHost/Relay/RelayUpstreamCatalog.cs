using OpenList.DriverHost.Drivers.AliyundriveOpen;
using OpenList.DriverHost.Drivers.DiskTop;
using OpenList.DriverHost.Drivers.Open115;
using OpenList.DriverHost.Drivers.Open123;
using OpenList.DriverHost.Drivers.Relay;

namespace OpenList.DriverHost.Relay;

/// <summary>One provider the relay can serve: its URL prefix, default provider host, and how to build its upstream.</summary>
/// <param name="SecretRequired">Refresh needs the app secret (Aliyun, 123); 115 refreshes without one and Disk.Top may be a public PKCE client.</param>
internal sealed record RelayUpstreamKind(string Prefix, Uri DefaultApiBaseUrl, bool SecretRequired, Func<RelayClientKeys, HttpClient, TimeProvider, IRelayUpstream> Create);

/// <summary>The providers <c>relay.providers</c> accepts, keyed by prefix (ordinal, as in the URL).</summary>
internal static class RelayUpstreamCatalog
{
    public static IReadOnlyDictionary<string, RelayUpstreamKind> All { get; } = new RelayUpstreamKind[]
    {
        new(AliyundriveOpenRelayUpstream.RelayPrefix, AliyundriveOpenRelayUpstream.DefaultApiBaseUrl, true, (k, h, t) => new AliyundriveOpenRelayUpstream(k, h, t)),
        new(Open115RelayUpstream.RelayPrefix, Open115RelayUpstream.DefaultApiBaseUrl, false, (k, h, t) => new Open115RelayUpstream(k, h, t)),
        new(Open123RelayUpstream.RelayPrefix, Open123RelayUpstream.DefaultApiBaseUrl, true, (k, h, t) => new Open123RelayUpstream(k, h, t)),
        new(DiskTopRelayUpstream.RelayPrefix, DiskTopRelayUpstream.DefaultApiBaseUrl, false, (k, h, t) => new DiskTopRelayUpstream(k, h, t)),
    }.ToDictionary(k => k.Prefix, StringComparer.Ordinal);

    /// <summary>The directory the host serves: every configured provider with its upstream, or an empty one when the relay is off.</summary>
    public static RelayDirectory BuildDirectory(RelaySettings settings, HttpClient http, TimeProvider time) =>
        new(settings, settings.Enabled
            ? settings.Providers.Select(p => new RelayProvider(p, All[p.Prefix].Create(p.Keys, http, time)))
            : []);
}
