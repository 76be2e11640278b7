using System.Globalization;
using OpenList.DriverHost.Drivers.Http;
using OpenList.DriverHost.Drivers.Open123.Models;
using OpenList.DriverHost.Drivers.Resilience;
using OpenList.DriverHost.Drivers.Tokens;

namespace OpenList.DriverHost.Drivers.Open123;

/// <summary>
/// Obtains access tokens (cloud-apis.md §3.3) in OpenList's order: through the online API relay
/// (<c>driver_txt=123cloud_oa</c>, rotating refresh token, <c>expires_in</c> required), or with the user's own
/// developer credentials at <c>/api/v1/access_token</c> (30-day tokens, no refresh token; at most three live per
/// client, so the token source keeps and reuses the one it got). Neither tokens nor the client secret ever reach a
/// message or a log.
/// </summary>
internal sealed class Open123TokenRefresher
{
    private readonly Open123Options _options;
    private readonly HttpClient _http;
    private readonly CloudCallPipeline _pipeline;
    private readonly IntervalRateLimiter? _tokenLimiter;
    private readonly TimeProvider _time;

    public Open123TokenRefresher(Open123Options options, HttpClient http, CloudCallPipeline pipeline, SharedRateLimiters limiters, TimeProvider time)
    {
        _options = options;
        _http = http;
        _pipeline = pipeline;
        _time = time;

        // The token endpoint's limit counts per developer app.
        _tokenLimiter = Open123ApiClient.LimiterFor(limiters, options, "client:" + options.ClientId, Open123Api.AccessToken);
    }

    /// <summary>Developer tokens come without a refresh token.</summary>
    public bool RenewsWithoutRefreshToken => _options.TokenMode == Open123TokenMode.DeveloperCredentials;

    /// <summary>The <see cref="TokenRefresher"/> of the mode in use; null with a pasted access token only.</summary>
    public TokenRefresher? Refresher => _options.TokenMode switch
    {
        Open123TokenMode.OnlineApi => RelayAsync,
        Open123TokenMode.DeveloperCredentials => (_, ct) => DeveloperTokenAsync(ct),
        _ => null,
    };

    private async Task<TokenSet> RelayAsync(string refreshToken, CancellationToken cancellationToken)
    {
        var tokens = await _pipeline.ExecuteAsync(
            new CloudCall("online API renewapi", Idempotent: true),
            ct => OnlineApiRelayClient.RefreshAsync(_http, new Uri(_options.ApiUrlAddress), refreshToken, "123cloud_oa", _options.OnlineApiPost, _time, ct),
            cancellationToken).ConfigureAwait(false);

        // §3.3: "If expires_in ≤ 0 → invalid expires_in from official API"; 123 access tokens expire (7200 s), so
        // a relay that does not say when cannot be trusted with the account.
        if (tokens.ExpiresAt is null)
        {
            throw new TokenRefreshRejectedException("invalid expires_in from the online API", "the relay must answer expires_in > 0");
        }

        return tokens;
    }

    private Task<TokenSet> DeveloperTokenAsync(CancellationToken cancellationToken) =>
        _pipeline.ExecuteAsync(new CloudCall("/api/v1/access_token", Idempotent: true, _tokenLimiter), DeveloperTokenOnceAsync, cancellationToken);

    private async Task<TokenSet> DeveloperTokenOnceAsync(CancellationToken cancellationToken)
    {
        var url = CloudReplies.Endpoint(_options.ApiBaseUrl, "/api/v1/access_token");
        var secret = _options.ClientSecret ?? "";
        var body = Open123ApiClient.Json(new Open123AccessTokenRequest(_options.ClientId ?? "", secret), Open123JsonContext.Default.Open123AccessTokenRequest);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = body() };
        request.Headers.TryAddWithoutValidation("Platform", "open_platform");
        request.Headers.TryAddWithoutValidation("User-Agent", Open123ApiClient.UserAgent);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var envelope = Open123Envelope.TryRead(bytes);
        var status = (int)response.StatusCode;

        if (envelope is not { Code: { } code } answer)
        {
            throw status switch
            {
                429 => new ThrottledCloudException("/api/v1/access_token: HTTP 429", CloudReplies.RetryAfter(response, _time)),
                >= 500 => new TransientCloudException("/api/v1/access_token: HTTP " + status.ToString(CultureInfo.InvariantCulture)),
                _ => new TokenRefreshRejectedException("HTTP " + status.ToString(CultureInfo.InvariantCulture), "the token endpoint answered without a JSON code (is api_base_url right?)"),
            };
        }

        if (code == Open123ApiClient.CodeTooManyRequests)
        {
            throw new ThrottledCloudException("/api/v1/access_token: 429", CloudReplies.RetryAfter(response, _time));
        }

        if (code != Open123ApiClient.CodeOk)
        {
            if (status >= 500)
            {
                throw new TransientCloudException("/api/v1/access_token: HTTP " + status.ToString(CultureInfo.InvariantCulture));
            }

            // §3.3: "code != 0 → get access token failed: <message>". The code is what the user reads
            // ("credentials rejected by 123 (<code>); check ClientID and ClientSecret ..."), so it carries the reason.
            var reason = CloudReplies.Clean(answer.Message, secret);
            throw new TokenRefreshRejectedException(reason.Length > 0
                ? "get access token failed: " + reason
                : "get access token failed (code " + code.ToString(CultureInfo.InvariantCulture) + ")");
        }

        var data = Open123ApiClient.ReadData("/api/v1/access_token", answer.Data, Open123JsonContext.Default.Open123AccessTokenResult);
        if (string.IsNullOrEmpty(data.AccessToken))
        {
            throw new TokenRefreshRejectedException("invalid token payload from developer API", "no accessToken");
        }

        // A token without a readable expiry is still used (until 123 refuses it): minting another would push one of
        // the client's three live tokens offline.
        return new TokenSet(data.AccessToken, string.Empty, Open123File.ParseTime(data.ExpiredAt));
    }
}
