using System.Globalization;
using System.Net;
using System.Text.Json;
using OpenList.DriverHost.Drivers.Http;
using OpenList.DriverHost.Drivers.Resilience;
using OpenList.DriverHost.Drivers.Tokens;

namespace OpenList.DriverHost.Drivers.Open123;

/// <summary>
/// 123's OAuth token endpoint for third-party apps (online-api-relay.md §3.4):
/// <c>POST /api/v1/oauth2/access_token?client_id=&amp;client_secret=&amp;grant_type=…</c> with an empty body: the
/// API wants every parameter, the secret included, in the query string. The URL is therefore never logged or put
/// into a message. Tokens are read at the top level (<c>access_token</c>, <c>refresh_token</c>, <c>expires_in</c>)
/// or inside the usual <c>{code, message, data}</c> envelope.
/// </summary>
internal sealed class Open123OAuthClient
{
    private const string Path = "/api/v1/oauth2/access_token";

    private readonly HttpClient _http;
    private readonly Uri _apiBaseUrl;
    private readonly string _clientId;
    private readonly string _clientSecret;
    private readonly TimeProvider _time;

    public Open123OAuthClient(HttpClient http, Uri apiBaseUrl, string clientId, string clientSecret, TimeProvider time)
    {
        _http = http;
        _apiBaseUrl = apiBaseUrl;
        _clientId = clientId;
        _clientSecret = clientSecret;
        _time = time;
    }

    public Task<TokenSet> RefreshAsync(string refreshToken, Uri? redirectUri, CancellationToken cancellationToken) =>
        PostAsync([("grant_type", "refresh_token"), ("refresh_token", refreshToken), .. Redirect(redirectUri)], refreshToken, cancellationToken);

    public Task<TokenSet> ExchangeCodeAsync(string code, Uri redirectUri, CancellationToken cancellationToken) =>
        PostAsync([("grant_type", "authorization_code"), ("code", code), .. Redirect(redirectUri)], code, cancellationToken);

    private static (string, string)[] Redirect(Uri? redirectUri) => redirectUri is null ? [] : [("redirect_uri", redirectUri.AbsoluteUri)];

    private async Task<TokenSet> PostAsync((string Name, string Value)[] grant, string credential, CancellationToken cancellationToken)
    {
        var query = Open123ApiClient.Query([("client_id", _clientId), ("client_secret", _clientSecret), .. grant]);
        using var request = new HttpRequestMessage(HttpMethod.Post, CloudReplies.Endpoint(_apiBaseUrl, Path, query));
        request.Headers.TryAddWithoutValidation("Platform", "open_platform");
        request.Headers.TryAddWithoutValidation("User-Agent", Open123ApiClient.UserAgent);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        var root = JsonFields.TryParseObject(bytes);
        var code = root is { } r && r.TryGetProperty("code", out var c) && c.TryGetInt32(out var n) ? n : (int?)null;

        if (response.StatusCode == HttpStatusCode.TooManyRequests || code == Open123ApiClient.CodeTooManyRequests)
        {
            throw new ThrottledCloudException(Path + ": 429", CloudReplies.RetryAfter(response, _time));
        }

        if (status >= 500)
        {
            throw new TransientCloudException(Path + ": HTTP " + status.ToString(CultureInfo.InvariantCulture));
        }

        if (root is not { } body)
        {
            throw new TokenRefreshRejectedException("HTTP " + status.ToString(CultureInfo.InvariantCulture), "the token endpoint answered without JSON");
        }

        var data = body.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object ? d : body;
        var access = JsonFields.String(data, "access_token") ?? JsonFields.String(data, "accessToken");
        var refresh = JsonFields.String(data, "refresh_token") ?? JsonFields.String(data, "refreshToken");
        if (response.IsSuccessStatusCode && code is null or Open123ApiClient.CodeOk && !string.IsNullOrEmpty(access))
        {
            var expiresIn = JsonFields.Number(data, "expires_in") ?? JsonFields.Number(data, "expiresIn");
            return new TokenSet(access, refresh ?? "", expiresIn is > 0 ? _time.GetUtcNow().AddSeconds(expiresIn.Value) : null);
        }

        var error = JsonFields.String(body, "error");
        var reason = JsonFields.String(body, "error_description") ?? JsonFields.String(body, "message") ?? error;
        reason = CloudReplies.Clean(CloudReplies.Clean(reason, _clientSecret), credential);
        var providerCode = error ?? (code is { } known ? known.ToString(CultureInfo.InvariantCulture) : "HTTP " + status.ToString(CultureInfo.InvariantCulture));
        throw new TokenRefreshRejectedException(providerCode, reason.Length > 0 ? reason : null);
    }
}
