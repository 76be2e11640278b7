using System.Globalization;
using System.Net;
using System.Text.Json;
using OpenList.DriverHost.Drivers.Http;
using OpenList.DriverHost.Drivers.Open115.Models;
using OpenList.DriverHost.Drivers.Resilience;
using OpenList.DriverHost.Drivers.Tokens;

namespace OpenList.DriverHost.Drivers.Open115;

/// <summary>
/// Renews the access token (cloud-apis.md §1.3): <c>POST passportapi/open/refreshToken</c> with the refresh token
/// alone (115 needs no client secret), or through the online API relay when <c>use_online_api</c> is on. The refresh
/// token rotates on every renewal; the token source saves the new one before the new access token is used.
/// Neither token ever reaches a message or a log.
/// </summary>
internal sealed class Open115TokenRefresher
{
    /// <summary>What the user must do when 115 refuses the refresh token.</summary>
    public const string ReauthorizeHint =
        "re-authorize: get new tokens (api.oplist.org → 115 网盘验证, or your own 115 app) and paste refresh_token and access_token into this storage's addition";

    /// <summary>Codes with which the passport refuses the refresh token itself (§1.2): only the user can fix these.</summary>
    internal static readonly Dictionary<long, string> RefusalCodes = new()
    {
        [40140116] = "authorization revoked, e.g. by a third authorization of the same app",
        [40140119] = "refresh token expired",
        [40140120] = "refresh token verification failed",
        [40140114] = "refresh token malformed",
        [40140115] = "refresh token signature invalid",
    };

    /// <summary>§1.2: access_token refreshed too frequently.</summary>
    private const long TooFrequentCode = 40140117;

    /// <summary>§1.2: access_token refresh failed (a server-side failure).</summary>
    private const long RefreshFailedCode = 40140121;

    private readonly Open115Options _options;
    private readonly HttpClient _http;
    private readonly CloudCallPipeline _pipeline;
    private readonly TimeProvider _time;

    public Open115TokenRefresher(Open115Options options, HttpClient http, CloudCallPipeline pipeline, TimeProvider time)
    {
        _options = options;
        _http = http;
        _pipeline = pipeline;
        _time = time;
    }

    /// <summary>A <see cref="TokenRefresher"/> for the token source. Not rate limited (§1.7 names no limiter for it).</summary>
    public Task<TokenSet> RefreshAsync(string refreshToken, CancellationToken cancellationToken) => _options.UsesRelay
        ? _pipeline.ExecuteAsync(
            new CloudCall("online API renewapi", Idempotent: true),
            ct => OnlineApiRelayClient.RefreshAsync(_http, new Uri(_options.ApiUrlAddress), refreshToken, Open115Options.DriverTxt, _options.OnlineApiPost, _time, ct),
            cancellationToken)
        : _pipeline.ExecuteAsync(
            new CloudCall("/open/refreshToken", Idempotent: true),
            ct => PassportAsync(_http, _options.AuthBaseUrl, refreshToken, _time, ct),
            cancellationToken);

    /// <summary>
    /// One passport <c>/open/refreshToken</c> call (also the self-hosted relay's, which needs no secret either).
    /// Throws <see cref="TokenRefreshRejectedException"/> on a refusal, <see cref="ThrottledCloudException"/> and
    /// <see cref="TransientCloudException"/> otherwise.
    /// </summary>
    internal static Task<TokenSet> PassportAsync(HttpClient http, Uri authBaseUrl, string refreshToken, TimeProvider time, CancellationToken cancellationToken) =>
        PassportAsync(http, authBaseUrl, "/open/refreshToken", [new("refresh_token", refreshToken)], refreshToken, time, cancellationToken);

    /// <summary>
    /// A passport token call (<c>/open/refreshToken</c>, <c>/open/authCodeToToken</c>): a form post answering
    /// <c>{state, code, message, data:{access_token, refresh_token, expires_in}, error, errno}</c>.
    /// </summary>
    /// <param name="credential">The refresh token or code sent, scrubbed from any message.</param>
    internal static async Task<TokenSet> PassportAsync(HttpClient http, Uri authBaseUrl, string path, IReadOnlyList<KeyValuePair<string, string>> form, string credential, TimeProvider time, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, CloudReplies.Endpoint(authBaseUrl, path, []))
        {
            Content = new FormUrlEncodedContent(form),
        };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        var text = status.ToString(CultureInfo.InvariantCulture);
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            throw new ThrottledCloudException($"{path}: HTTP {text}", CloudReplies.RetryAfter(response, time));
        }

        if (status >= 500)
        {
            throw new TransientCloudException($"{path}: HTTP {text}");
        }

        var root = TryParse(bytes);
        if (root is not { } body)
        {
            throw new TokenRefreshRejectedException($"HTTP {text}", "the passport answered without a JSON body");
        }

        // §1.2: an error when code != 0 or when "error" is not empty (errno then says which).
        var code = Open115ApiClient.Code(body);
        var error = Open115ApiClient.Text(body, "error");
        if (code == 0 && !string.IsNullOrEmpty(error) && body.TryGetProperty("errno", out var errno) && errno.TryGetInt64(out var number))
        {
            code = number;
        }

        if (code != 0 || !string.IsNullOrEmpty(error) || !response.IsSuccessStatusCode)
        {
            throw Classify(code, CloudReplies.Clean(Open115ApiClient.Text(body, "message") ?? error, credential), text, path);
        }

        var data = body.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object
            ? d.Deserialize(Open115JsonContext.Default.Open115TokenData)
            : null;
        if (data is null || string.IsNullOrEmpty(data.AccessToken) || string.IsNullOrEmpty(data.RefreshToken))
        {
            throw new TokenRefreshRejectedException("EmptyToken", "the passport returned no access or refresh token");
        }

        var expiresAt = data.ExpiresIn is > 0 ? time.GetUtcNow().AddSeconds(data.ExpiresIn.Value) : (DateTimeOffset?)null;
        return new TokenSet(data.AccessToken, data.RefreshToken, expiresAt);
    }

    private static Exception Classify(long code, string message, string status, string path)
    {
        var codeText = code.ToString(CultureInfo.InvariantCulture);
        if (code == TooFrequentCode)
        {
            return new ThrottledCloudException($"{path}: code {codeText}", TimeSpan.FromSeconds(2));
        }

        if (code == RefreshFailedCode)
        {
            return new TransientCloudException($"{path}: code {codeText}");
        }

        if (RefusalCodes.TryGetValue(code, out var meaning))
        {
            // The code and its meaning are what the mount's error shows: "refresh token rejected by 115 (40140116: …)".
            return new TokenRefreshRejectedException($"{codeText}: {meaning}");
        }

        return code == 0
            ? new TokenRefreshRejectedException($"HTTP {status}", message.Length > 0 ? message : "the passport refused the request without a reason")
            : new TokenRefreshRejectedException(message.Length > 0 ? $"{codeText}: {message}" : codeText);
    }

    private static JsonElement? TryParse(byte[] bytes)
    {
        try
        {
            using var document = JsonDocument.Parse(bytes);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
