using OpenList.DriverHost.Drivers.AliyundriveOpen.Models;
using OpenList.DriverHost.Drivers.Relay;

namespace OpenList.DriverHost.Drivers.AliyundriveOpen;

/// <summary>
/// Aliyundrive Open for the self-hosted relay (online-api-relay.md §3.3): consent at <c>/oauth/authorize</c>,
/// code exchange and refresh at <c>/oauth/access_token</c> with the operator's client id and secret. The TV login
/// (<c>alicloud_tv</c>) is not offered: it renews through a third-party TV-app backend, not Aliyun's Open platform.
/// </summary>
public sealed class AliyundriveOpenRelayUpstream : IRelayUpstream
{
    public const string RelayPrefix = "alicloud";

    /// <summary>Scopes OpenList's relay asks for.</summary>
    private const string Scope = "user:base,file:all:read,file:all:write";

    private readonly RelayClientKeys _keys;
    private readonly HttpClient _http;
    private readonly TimeProvider _time;

    public AliyundriveOpenRelayUpstream(RelayClientKeys keys, HttpClient http, TimeProvider time)
    {
        _keys = keys;
        _http = http;
        _time = time;
    }

    /// <summary>The provider host when the operator names none.</summary>
    public static Uri DefaultApiBaseUrl { get; } = new(AliyundriveOpenOptions.DefaultApiBaseUrl);

    public string Prefix => RelayPrefix;

    public string DisplayName => "Aliyundrive Open (阿里云盘)";

    public string DriverName => AliyundriveOpenDriverFactory.DriverName;

    public IReadOnlyList<string> DriverTxts { get; } = ["alicloud_qr", "alicloud_go"];

    public bool SupportsPkce => false;

    public bool SupportsDeviceFlow => false;

    public Uri BuildAuthorizeUri(Uri redirectUri, string state, string? codeChallenge) =>
        RelayUris.WithQuery(
            _keys.AuthorizeBaseUrl ?? _keys.ApiBaseUrl,
            "/oauth/authorize",
            [new("client_id", _keys.ClientId), new("redirect_uri", redirectUri.AbsoluteUri), new("response_type", "code"), new("scope", Scope), new("state", state)]);

    public Task<RelayTokens> ExchangeCodeAsync(string code, Uri redirectUri, string? codeVerifier, CancellationToken cancellationToken) =>
        RelayUpstreamCall.RunAsync(
            "Aliyun",
            ct => AliyundriveOpenTokenRefresher.PostTokenAsync(_http, _keys.ApiBaseUrl, new AliyunTokenRequest(_keys.ClientId, _keys.ClientSecret ?? "", "authorization_code", null, code), code, _time, ct),
            _time,
            cancellationToken);

    public Task<RelayTokens> RefreshAsync(string refreshToken, string driverTxt, CancellationToken cancellationToken) =>
        RelayUpstreamCall.RunAsync(
            "Aliyun",
            ct => AliyundriveOpenTokenRefresher.RefreshWithKeysAsync(_http, _keys.ApiBaseUrl, _keys.ClientId, _keys.ClientSecret ?? "", refreshToken, _time, ct),
            _time,
            cancellationToken);

    public Task<RelayDeviceCode> StartDeviceFlowAsync(CancellationToken cancellationToken) =>
        throw new NotSupportedException("Aliyundrive Open has no device flow");

    public Task<RelayDevicePoll> PollDeviceFlowAsync(string deviceCode, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Aliyundrive Open has no device flow");
}
