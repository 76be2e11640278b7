using System.Globalization;
using System.Net;
using System.Text.Json;
using OpenList.DriverHost.Drivers.AliyundriveOpen.Models;
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
            ct => OnlineApiRelayClient.RefreshAsync(_http, new Uri(_options.ApiUrlAddress), refreshToken, _options.DriverTxt, _time, ct),
            cancellationToken)
        : _pipeline.ExecuteAsync(
            new CloudCall("/oauth/access_token", Idempotent: true, _limiter()),
            ct => OwnKeysAsync(refreshToken, ct),
            cancellationToken);

    /// <summary>The access token's expiry when it is a JWT with <c>exp</c>.</summary>
    public static DateTimeOffset? ReadExpiry(string accessToken) => AliyundriveOpenJwt.Expiry(accessToken);

    private async Task<TokenSet> OwnKeysAsync(string refreshToken, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(
            new AliyunTokenRequest(_options.ClientId ?? "", _options.ClientSecret ?? "", "refresh_token", refreshToken),
            AliyunJsonContext.Default.AliyunTokenRequest);
        using var request = new HttpRequestMessage(HttpMethod.Post, AliyundriveOpenApiClient.Endpoint(_options.ApiBaseUrl, "/oauth/access_token"))
        {
            Content = AliyundriveOpenApiClient.JsonContent(body),
        };
        request.Headers.TryAddWithoutValidation("User-Agent", AliyundriveOpenApiClient.UserAgent);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var status = (int)response.StatusCode;

        if (!response.IsSuccessStatusCode)
        {
            throw Classify(response, status, AliyundriveOpenApiClient.TryRead(bytes, AliyunJsonContext.Default.AliyunError), refreshToken);
        }

        var tokens = AliyundriveOpenApiClient.TryRead(bytes, AliyunJsonContext.Default.AliyunTokenResponse);
        if (tokens is null || string.IsNullOrEmpty(tokens.RefreshToken) || string.IsNullOrEmpty(tokens.AccessToken))
        {
            throw new TokenRefreshRejectedException("EmptyToken", "Aliyun returned no access or refresh token");
        }

        // §2.3: the new refresh token must belong to the same user as the old one.
        var oldSub = AliyundriveOpenJwt.Subject(refreshToken);
        var newSub = AliyundriveOpenJwt.Subject(tokens.RefreshToken);
        if (oldSub is null || newSub is null || !string.Equals(oldSub, newSub, StringComparison.Ordinal))
        {
            // The code is what the user reads ("refresh token rejected by Aliyun (<code>); re-authorize ..."), so it
            // carries the explanation; the foreign tokens are neither saved nor used.
            throw new TokenRefreshRejectedException("sub not match: the renewed refresh token belongs to another user");
        }

        var expiresAt = tokens.ExpiresIn is > 0 ? _time.GetUtcNow().AddSeconds(tokens.ExpiresIn.Value) : (DateTimeOffset?)null;
        return new TokenSet(tokens.AccessToken, tokens.RefreshToken, expiresAt ?? ReadExpiry(tokens.AccessToken));
    }

    private Exception Classify(HttpResponseMessage response, int status, AliyunError? error, string refreshToken)
    {
        var code = error?.Code;
        var text = status.ToString(CultureInfo.InvariantCulture);
        if (code == "TooManyRequests" || response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            return new ThrottledCloudException($"/oauth/access_token: HTTP {text}", AliyundriveOpenApiClient.RetryAfter(response, _time));
        }

        if (!string.IsNullOrEmpty(code) && RefusalCodes.Contains(code))
        {
            return new TokenRefreshRejectedException(code, AliyundriveOpenApiClient.Clean(error?.Message, refreshToken));
        }

        if (status >= 500)
        {
            return new TransientCloudException($"/oauth/access_token: HTTP {text}{(string.IsNullOrEmpty(code) ? "" : " " + code)}");
        }

        return string.IsNullOrEmpty(code)
            ? new TokenRefreshRejectedException($"HTTP {text}", "the token endpoint refused the request without a reason")
            : new TokenRefreshRejectedException(code, AliyundriveOpenApiClient.Clean(error?.Message, refreshToken));
    }
}
