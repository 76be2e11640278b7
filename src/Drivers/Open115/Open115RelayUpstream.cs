using OpenList.DriverHost.Drivers.Relay;

namespace OpenList.DriverHost.Drivers.Open115;

/// <summary>
/// 115 Open for the self-hosted relay (online-api-relay.md §3.1): consent at passport <c>/open/authorize</c>, code
/// exchange at <c>/open/authCodeToToken</c> (needs the operator's secret) and refresh at <c>/open/refreshToken</c>
/// (needs no secret at all: the relay adds only its rate limits and the POST form here).
/// </summary>
public sealed class Open115RelayUpstream : IRelayUpstream
{
    public const string RelayPrefix = "115cloud";

    private readonly RelayClientKeys _keys;
    private readonly HttpClient _http;
    private readonly TimeProvider _time;

    public Open115RelayUpstream(RelayClientKeys keys, HttpClient http, TimeProvider time)
    {
        _keys = keys;
        _http = http;
        _time = time;
    }

    /// <summary>The passport host when the operator names none.</summary>
    public static Uri DefaultApiBaseUrl { get; } = new(Open115Options.DefaultAuthBaseUrl);

    public string Prefix => RelayPrefix;

    public string DisplayName => "115 Open (115 网盘)";

    public string DriverName => Open115DriverFactory.DriverName;

    public IReadOnlyList<string> DriverTxts { get; } = [Open115Options.DriverTxt];

    public bool SupportsPkce => false;

    public bool SupportsDeviceFlow => false;

    public Uri BuildAuthorizeUri(Uri redirectUri, string state, string? codeChallenge) =>
        RelayUris.WithQuery(
            _keys.AuthorizeBaseUrl ?? _keys.ApiBaseUrl,
            "/open/authorize",
            [new("client_id", _keys.ClientId), new("redirect_uri", redirectUri.AbsoluteUri), new("response_type", "code"), new("state", state)]);

    public Task<RelayTokens> ExchangeCodeAsync(string code, Uri redirectUri, string? codeVerifier, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(_keys.ClientSecret))
        {
            throw new RelayUpstreamException("115's code exchange needs the app secret: the relay operator must set client_secret_env or client_secret_file for 115cloud", rejected: false);
        }

        return RelayUpstreamCall.RunAsync(
            "115",
            ct => Open115TokenRefresher.PassportAsync(
                _http,
                _keys.ApiBaseUrl,
                "/open/authCodeToToken",
                [
                    new("client_id", _keys.ClientId),
                    new("client_secret", _keys.ClientSecret),
                    new("redirect_uri", redirectUri.AbsoluteUri),
                    new("code", code),
                    new("grant_type", "authorization_code"),
                ],
                code,
                _time,
                ct),
            _time,
            cancellationToken);
    }

    public Task<RelayTokens> RefreshAsync(string refreshToken, string driverTxt, CancellationToken cancellationToken) =>
        RelayUpstreamCall.RunAsync("115", ct => Open115TokenRefresher.PassportAsync(_http, _keys.ApiBaseUrl, refreshToken, _time, ct), _time, cancellationToken);

    public Task<RelayDeviceCode> StartDeviceFlowAsync(CancellationToken cancellationToken) =>
        throw new NotSupportedException("the relay does not run 115's device flow");

    public Task<RelayDevicePoll> PollDeviceFlowAsync(string deviceCode, CancellationToken cancellationToken) =>
        throw new NotSupportedException("the relay does not run 115's device flow");
}
