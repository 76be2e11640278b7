using System.Globalization;
using System.Net;
using System.Text.Json;
using OpenList.DriverHost.Drivers.AliyundriveOpen.Models;
using OpenList.DriverHost.Drivers.Http;
using OpenList.DriverHost.Drivers.Resilience;
using OpenList.DriverHost.Drivers.Tokens;

namespace OpenList.DriverHost.Drivers.AliyundriveOpen;

/// <summary>
/// Renews the access token (cloud-apis.md §2.3): through the online API relay when <c>use_online_api</c> is on and
/// <c>api_url_address</c> is set, otherwise with the user's own app at <c>/oauth/access_token</c>, checking that the
/// new refresh token belongs to the same user (<c>sub</c>). Both wait on the account's "other" limiter. Neither the
/// tokens nor the client secret ever reach a message or a log.
/// </summary>
internal sealed class AliyundriveOpenTokenRefresher
{
    /// <summary>Codes with which Aliyun refuses the refresh token or the app: only the user can fix these.</summary>
    internal static readonly HashSet<string> RefusalCodes = new(StringComparer.Ordinal)
    {
        "RefreshTokenExpired", "RefreshTokenInvalid", "InvalidClientSecret", "InvalidClientId",
        "InvalidGrantType", "AppNotExists", "InvalidCode",
    };

    private readonly AliyundriveOpenOptions _options;
    private readonly HttpClient _http;
    private readonly CloudCallPipeline _pipeline;
    private readonly Func<IntervalRateLimiter> _limiter;
    private readonly TimeProvider _time;

    public AliyundriveOpenTokenRefresher(AliyundriveOpenOptions options, HttpClient http, CloudCallPipeline pipeline, Func<IntervalRateLimiter> limiter, TimeProvider time)
    {
        _options = options;
        _http = http;
        _pipeline = pipeline;
        _limiter = limiter;
        _time = time;
    }

    /// <summary>A <see cref="TokenRefresher"/> for the token source.</summary>
    public Task<TokenSet> RefreshAsync(string refreshToken, CancellationToken cancellationToken) => _options.UsesRelay
        ? _pipeline.ExecuteAsync(
            new CloudCall("online API renewapi", Idempotent: true, _limiter()),
            ct => OnlineApiRelayClient.RefreshAsync(_http, new Uri(_options.ApiUrlAddress), refreshToken, _options.DriverTxt, _options.OnlineApiPost, _time, ct),
            cancellationToken)
        : _pipeline.ExecuteAsync(
            new CloudCall("/oauth/access_token", Idempotent: true, _limiter()),
            ct => RefreshWithKeysAsync(_http, _options.ApiBaseUrl, _options.ClientId ?? "", _options.ClientSecret ?? "", refreshToken, _time, ct),
            cancellationToken);

    /// <summary>The access token's expiry when it is a JWT with <c>exp</c>.</summary>
    public static DateTimeOffset? ReadExpiry(string accessToken) => AliyundriveOpenJwt.Expiry(accessToken);

    /// <summary>
    /// One <c>/oauth/access_token</c> refresh with an app's keys (the user's own, or the self-hosted relay's). Throws
    /// <see cref="TokenRefreshRejectedException"/> on a refusal, <see cref="ThrottledCloudException"/> and
    /// <see cref="TransientCloudException"/> otherwise.
    /// </summary>
    internal static async Task<TokenSet> RefreshWithKeysAsync(HttpClient http, Uri apiBaseUrl, string clientId, string clientSecret, string refreshToken, TimeProvider time, CancellationToken cancellationToken)
    {
        var tokens = await PostTokenAsync(http, apiBaseUrl, new AliyunTokenRequest(clientId, clientSecret, "refresh_token", refreshToken), refreshToken, time, cancellationToken).ConfigureAwait(false);

        // §2.3: the new refresh token must belong to the same user as the old one.
        var oldSub = AliyundriveOpenJwt.Subject(refreshToken);
        var newSub = AliyundriveOpenJwt.Subject(tokens.RefreshToken);
        if (oldSub is null || newSub is null || !string.Equals(oldSub, newSub, StringComparison.Ordinal))
        {
            // The code is what the user reads ("refresh token rejected by Aliyun (<code>); re-authorize ..."), so it
            // carries the explanation; the foreign tokens are neither saved nor used.
            throw new TokenRefreshRejectedException("sub not match: the renewed refresh token belongs to another user");
        }

        return tokens;
    }

    /// <summary>
    /// One <c>POST /oauth/access_token</c> (refresh or authorization-code grant); the answer must carry both tokens.
    /// </summary>
    /// <param name="credential">The refresh token or code sent, scrubbed from any message.</param>
    internal static async Task<TokenSet> PostTokenAsync(HttpClient http, Uri apiBaseUrl, AliyunTokenRequest token, string credential, TimeProvider time, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(token, AliyunJsonContext.Default.AliyunTokenRequest);
        using var request = new HttpRequestMessage(HttpMethod.Post, CloudReplies.Endpoint(apiBaseUrl, "/oauth/access_token"))
        {
            Content = CloudReplies.JsonContent(body),
        };
        request.Headers.TryAddWithoutValidation("User-Agent", AliyundriveOpenApiClient.UserAgent);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var status = (int)response.StatusCode;

        if (!response.IsSuccessStatusCode)
        {
            throw Classify(response, status, AliyundriveOpenApiClient.TryRead(bytes, AliyunJsonContext.Default.AliyunError), credential, time);
        }

        var tokens = AliyundriveOpenApiClient.TryRead(bytes, AliyunJsonContext.Default.AliyunTokenResponse);
        if (tokens is null || string.IsNullOrEmpty(tokens.RefreshToken) || string.IsNullOrEmpty(tokens.AccessToken))
        {
            throw new TokenRefreshRejectedException("EmptyToken", "Aliyun returned no access or refresh token");
        }

        var expiresAt = tokens.ExpiresIn is > 0 ? time.GetUtcNow().AddSeconds(tokens.ExpiresIn.Value) : (DateTimeOffset?)null;
        return new TokenSet(tokens.AccessToken, tokens.RefreshToken, expiresAt ?? ReadExpiry(tokens.AccessToken));
    }

    private static Exception Classify(HttpResponseMessage response, int status, AliyunError? error, string refreshToken, TimeProvider time)
    {
        var code = error?.Code;
        var text = status.ToString(CultureInfo.InvariantCulture);
        if (code == "TooManyRequests" || response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            return new ThrottledCloudException($"/oauth/access_token: HTTP {text}", CloudReplies.RetryAfter(response, time));
        }

        if (!string.IsNullOrEmpty(code) && RefusalCodes.Contains(code))
        {
            return new TokenRefreshRejectedException(code, CloudReplies.Clean(error?.Message, refreshToken));
        }

        if (status >= 500)
        {
            return new TransientCloudException($"/oauth/access_token: HTTP {text}{(string.IsNullOrEmpty(code) ? "" : " " + code)}");
        }

        return string.IsNullOrEmpty(code)
            ? new TokenRefreshRejectedException($"HTTP {text}", "the token endpoint refused the request without a reason")
            : new TokenRefreshRejectedException(code, CloudReplies.Clean(error?.Message, refreshToken));
    }
}
