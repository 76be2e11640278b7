using OpenList.DriverHost.Drivers.Resilience;
using OpenList.DriverHost.Drivers.Tokens;

namespace OpenList.DriverHost.Drivers.DiskTop;

/// <summary>
/// Renews the access token (cloud-apis.md §4.3): <c>POST /oauth/token</c> with <c>grant_type=refresh_token</c> and the
/// app's client id (and secret, when set), or through the online API relay when <c>use_online_api</c> is on. Refresh
/// tokens rotate on every use; the token source saves the new one before the new access token is used. Neither
/// token nor the secret ever reaches a message or a log.
/// </summary>
internal sealed class DiskTopTokenRefresher
{
    private readonly DiskTopOptions _options;
    private readonly HttpClient _http;
    private readonly DiskTopOAuthClient _oauth;
    private readonly CloudCallPipeline _pipeline;
    private readonly TimeProvider _time;

    public DiskTopTokenRefresher(DiskTopOptions options, HttpClient http, CloudCallPipeline pipeline, TimeProvider time)
    {
        _options = options;
        _http = http;
        _oauth = new DiskTopOAuthClient(http, options, time);
        _pipeline = pipeline;
        _time = time;
    }

    /// <summary>What the user must do when Disk.Top refuses the refresh token, or there is none.</summary>
    public static string ReauthorizeHint(string mountPath) => $"re-authorize with `driverhost auth {mountPath}`";

    /// <summary>A <see cref="TokenRefresher"/> for the token source.</summary>
    public Task<TokenSet> RefreshAsync(string refreshToken, CancellationToken cancellationToken) => _options.UsesRelay
        ? _pipeline.ExecuteAsync(
            new CloudCall("online API renewapi", Idempotent: true),
            ct => OnlineApiRelayClient.RefreshAsync(_http, new Uri(_options.ApiUrlAddress), refreshToken, DiskTopOptions.DriverTxt, _options.OnlineApiPost, _time, ct),
            cancellationToken)
        : _pipeline.ExecuteAsync(
            new CloudCall("/oauth/token", Idempotent: true),
            ct => _oauth.RefreshAsync(refreshToken, ct),
            cancellationToken);
}
