using OpenList.DriverHost.Drivers.Relay;

namespace OpenList.DriverHost.Drivers.Open123;

/// <summary>
/// 123 Open's official-app OAuth for the self-hosted relay (online-api-relay.md §3.4): consent at
/// <c>&lt;AuthorizeBaseUrl or https://yun.123pan.com&gt;/auth</c> with a random state (OpenList's relay sends a fixed
/// one), code exchange and refresh at <c>/api/v1/oauth2/access_token</c> (<see cref="Open123OAuthClient"/>).
/// </summary>
public sealed class Open123RelayUpstream : IRelayUpstream
{
    public const string RelayPrefix = "123cloud";

    /// <summary>Scopes OpenList's relay asks for.</summary>
    private const string Scope = "user:base,file:all:read,file:all:write";

    private readonly RelayClientKeys _keys;
    private readonly TimeProvider _time;
    private readonly Open123OAuthClient _oauth;

    public Open123RelayUpstream(RelayClientKeys keys, HttpClient http, TimeProvider time)
    {
        _keys = keys;
        _time = time;
        _oauth = new Open123OAuthClient(http, keys.ApiBaseUrl, keys.ClientId, keys.ClientSecret ?? "", time);
    }

    /// <summary>The token host when the operator names none.</summary>
    public static Uri DefaultApiBaseUrl { get; } = new(Open123Options.DefaultApiBaseUrl);

    /// <summary>The consent page's host when the operator names none.</summary>
    public static Uri DefaultAuthorizeBaseUrl { get; } = new("https://yun.123pan.com");

    public string Prefix => RelayPrefix;

    public string DisplayName => "123 Open (123 云盘)";

    public string DriverName => Open123DriverFactory.DriverName;

    public IReadOnlyList<string> DriverTxts { get; } = ["123cloud_oa"];

    public bool SupportsPkce => false;

    public bool SupportsDeviceFlow => false;

    /// <summary>123 sends the user back to the registered redirect URI, which the operator may pin.</summary>
    public Uri BuildAuthorizeUri(Uri redirectUri, string state, string? codeChallenge) =>
        RelayUris.WithQuery(
            _keys.AuthorizeBaseUrl ?? DefaultAuthorizeBaseUrl,
            "/auth",
            [new("client_id", _keys.ClientId), new("redirect_uri", (_keys.RedirectUri ?? redirectUri).AbsoluteUri), new("scope", Scope), new("state", state)]);

    public Task<RelayTokens> ExchangeCodeAsync(string code, Uri redirectUri, string? codeVerifier, CancellationToken cancellationToken) =>
        RelayUpstreamCall.RunAsync("123", ct => _oauth.ExchangeCodeAsync(code, _keys.RedirectUri ?? redirectUri, ct), _time, cancellationToken);

    public Task<RelayTokens> RefreshAsync(string refreshToken, string driverTxt, CancellationToken cancellationToken) =>
        RelayUpstreamCall.RunAsync("123", ct => _oauth.RefreshAsync(refreshToken, _keys.RedirectUri, ct), _time, cancellationToken, keepRefreshToken: refreshToken);

    public Task<RelayDeviceCode> StartDeviceFlowAsync(CancellationToken cancellationToken) =>
        throw new NotSupportedException("123 has no device flow");

    public Task<RelayDevicePoll> PollDeviceFlowAsync(string deviceCode, CancellationToken cancellationToken) =>
        throw new NotSupportedException("123 has no device flow");
}
