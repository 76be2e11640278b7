using System.Globalization;
using System.Net;
using System.Text.Json;
using OpenList.DriverHost.Drivers.DiskTop.Models;
using OpenList.DriverHost.Drivers.Http;
using OpenList.DriverHost.Drivers.Resilience;
using OpenList.DriverHost.Drivers.Tokens;

namespace OpenList.DriverHost.Drivers.DiskTop;

/// <summary>
/// The OAuth endpoints (cloud-apis.md §4.3): <c>/oauth/token</c> (refresh, code exchange), <c>/oauth/device-code</c>
/// and <c>/oauth/device-token</c>, all form posts answering RFC 6749-style JSON (<c>{"error": …}</c> on failure).
/// The token JSON is read at the top level or, should the API envelope wrap it, under <c>data</c>. No token, code or
/// secret is ever put into a message.
/// </summary>
internal sealed class DiskTopOAuthClient
{
    private readonly HttpClient _http;
    private readonly DiskTopOptions _options;
    private readonly TimeProvider _time;

    public DiskTopOAuthClient(HttpClient http, DiskTopOptions options, TimeProvider time)
    {
        _http = http;
        _options = options;
        _time = time;
    }

    /// <summary>
    /// <c>grant_type=refresh_token</c>. Refusals of the grant or the client are <see cref="TokenRefreshRejectedException"/>
    /// (the user must re-authorize); 5xx and connection failures are transient, 429 / <c>slow_down</c> throttled.
    /// </summary>
    public async Task<TokenSet> RefreshAsync(string refreshToken, CancellationToken cancellationToken)
    {
        var reply = await PostAsync("/oauth/token", WithClient(new("grant_type", "refresh_token"), new("refresh_token", refreshToken)), cancellationToken).ConfigureAwait(false);
        if (reply.Tokens(_time) is { } tokens)
        {
            return tokens;
        }

        throw reply.RefreshFailure(refreshToken);
    }

    /// <summary><c>grant_type=authorization_code</c> with the PKCE verifier.</summary>
    public async Task<TokenReply> ExchangeCodeAsync(string code, Uri redirectUri, string codeVerifier, CancellationToken cancellationToken) =>
        await PostAsync(
            "/oauth/token",
            WithClient(new("grant_type", "authorization_code"), new("code", code), new("redirect_uri", redirectUri.AbsoluteUri), new("code_verifier", codeVerifier)),
            cancellationToken).ConfigureAwait(false);

    /// <summary><c>POST /oauth/device-code</c> with <c>client_id</c> and <c>scope</c>.</summary>
    public async Task<(DiskTopDeviceCode? Code, TokenReply Reply)> RequestDeviceCodeAsync(CancellationToken cancellationToken)
    {
        var reply = await PostAsync("/oauth/device-code", [new("client_id", _options.ClientId ?? ""), new("scope", _options.Scope)], cancellationToken).ConfigureAwait(false);
        var body = reply.Body;
        DiskTopDeviceCode? code = null;
        if (body is { } root && reply.Status < 400)
        {
            var data = root.TryGetProperty("device_code", out _) ? root : root.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object ? d : root;
            code = data.Deserialize(DiskTopJsonContext.Default.DiskTopDeviceCode);
        }

        return (code is { DeviceCode.Length: > 0, UserCode.Length: > 0 } ? code : null, reply);
    }

    /// <summary>One <c>POST /oauth/device-token</c> poll (<c>device_code</c>, <c>client_id</c>, as documented; no grant type or secret).</summary>
    public Task<TokenReply> PollDeviceTokenAsync(string deviceCode, CancellationToken cancellationToken) =>
        PostAsync("/oauth/device-token", [new("device_code", deviceCode), new("client_id", _options.ClientId ?? "")], cancellationToken);

    /// <summary>The authorize page URL (§4.3) with PKCE S256.</summary>
    public Uri AuthorizeUrl(Uri redirectUri, string state, string codeChallenge) =>
        CloudReplies.Endpoint(
            _options.ApiBaseUrl,
            "/oauth/authorize",
            [
                new("client_id", _options.ClientId ?? ""),
                new("redirect_uri", redirectUri.AbsoluteUri),
                new("response_type", "code"),
                new("scope", _options.Scope),
                new("state", state),
                new("code_challenge", codeChallenge),
                new("code_challenge_method", "S256"),
            ]);

    private List<KeyValuePair<string, string>> WithClient(params KeyValuePair<string, string>[] fields)
    {
        var list = fields.ToList();
        list.Add(new("client_id", _options.ClientId ?? ""));
        if (!string.IsNullOrEmpty(_options.ClientSecret))
        {
            list.Add(new("client_secret", _options.ClientSecret));
        }

        return list;
    }

    private async Task<TokenReply> PostAsync(string path, List<KeyValuePair<string, string>> fields, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, CloudReplies.Endpoint(_options.ApiBaseUrl, path, []))
        {
            Content = new FormUrlEncodedContent(fields),
        };
        request.Headers.TryAddWithoutValidation("Accept", "application/json");
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return new TokenReply(path, (int)response.StatusCode, DiskTopApiClient.TryParseObject(bytes), CloudReplies.RetryAfter(response, _time));
    }
}

/// <summary>What an OAuth endpoint answered.</summary>
internal sealed record TokenReply(string Path, int Status, JsonElement? Body, TimeSpan? RetryAfter)
{
    /// <summary>The token JSON, from the top level or from an envelope's <c>data</c>.</summary>
    public DiskTopTokenResponse? Parsed
    {
        get
        {
            if (Body is not { } root)
            {
                return null;
            }

            var top = root.Deserialize(DiskTopJsonContext.Default.DiskTopTokenResponse);
            if (top is { AccessToken.Length: > 0 } || !root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
            {
                return top;
            }

            var inner = data.Deserialize(DiskTopJsonContext.Default.DiskTopTokenResponse);
            if (inner is not null && inner.Error is null)
            {
                inner.Error = top?.Error;
                inner.ErrorDescription = top?.ErrorDescription;
            }

            return inner;
        }
    }

    /// <summary>The OAuth error code: <c>error</c>, else a non-zero errno, else the HTTP status for a failed call.</summary>
    public string? Error
    {
        get
        {
            if (Parsed?.Error is { Length: > 0 } error)
            {
                return error;
            }

            if (Body is { } root && DiskTopApiClient.Errno(root) is { } errno && errno != 0)
            {
                return "errno " + errno.ToString(CultureInfo.InvariantCulture);
            }

            return Status >= 400 ? "HTTP " + Status.ToString(CultureInfo.InvariantCulture) : null;
        }
    }

    /// <summary>The provider's explanation (<c>error_description</c> or <c>errmsg</c>), cleaned; empty when none.</summary>
    public string Description(string? secret) =>
        CloudReplies.Clean(Parsed?.ErrorDescription ?? (Body is { } root ? DiskTopApiClient.Text(root, "errmsg") : null), secret);

    /// <summary>The tokens when the call succeeded and carried both (a missing refresh token keeps the old one, which the token source handles).</summary>
    public TokenSet? Tokens(TimeProvider time)
    {
        if (Status >= 400 || Parsed is not { AccessToken.Length: > 0 } parsed || (Body is { } root && DiskTopApiClient.Errno(root) is { } errno && errno != 0))
        {
            return null;
        }

        var expiresAt = parsed.ExpiresIn is > 0 ? time.GetUtcNow().AddSeconds(parsed.ExpiresIn.Value) : (DateTimeOffset?)null;
        return new TokenSet(parsed.AccessToken, parsed.RefreshToken ?? "", expiresAt);
    }

    /// <summary>Why a refresh failed, as the token source wants it.</summary>
    public Exception RefreshFailure(string refreshToken)
    {
        var error = Error ?? "no token returned";
        var statusText = Status.ToString(CultureInfo.InvariantCulture);
        if (Status == (int)HttpStatusCode.TooManyRequests || error is "slow_down" or "temporarily_unavailable")
        {
            return new ThrottledCloudException($"{Path}: HTTP {statusText} {error}", RetryAfter);
        }

        if (Status >= 500 || error == "server_error")
        {
            return new TransientCloudException($"{Path}: HTTP {statusText} {error}");
        }

        var description = Description(refreshToken);
        return new TokenRefreshRejectedException(error, description.Length > 0 ? description : null);
    }
}
