using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using OpenList.DriverHost.Drivers.Errors;
using OpenList.DriverHost.Drivers.Http;
using OpenList.DriverHost.Drivers.Resilience;
using OpenList.DriverHost.Drivers.Tokens;

namespace OpenList.DriverHost.Drivers.Open115;

/// <summary>
/// Every call to the 115 file API (cloud-apis.md §1.1, §1.2): GET with a query or POST with a form (empty values
/// dropped, "0" kept), the bearer token, through the resilience pipeline and the account's limiter; the
/// <c>{state, code, message, data}</c> envelope; one retry after renewing a rejected access token (code 99 or any
/// code starting with 401). Typed operations are in <c>Open115ApiClient.Operations.cs</c>.
/// </summary>
internal sealed partial class Open115ApiClient : CloudApiClient
{
    /// <summary>OpenList's <c>base.UserAgent</c>: a browser's, used for download links when no client asked (§1.5).</summary>
    internal const string BrowserUserAgent = "Mozilla/5.0 (Macintosh; Apple macOS 26_1_0) AppleWebKit/537.36 (KHTML, like Gecko) Safari/537.36 Chrome/142.0.0.0 OpenList/425.6.30";

    /// <summary>The key of the shared limiters; mounts of one 115 account share one.</summary>
    internal const string LimiterProvider = "115 Open";

    /// <summary>§1.2: the object is not there (<c>sdk.ErrObjectNotFound</c>).</summary>
    internal const long NotFoundCode = 430004;

    /// <summary>§1.2: a folder of that name exists (<c>/open/folder/add</c>; UNCERTAIN, from third-party clients).</summary>
    internal const long FolderExistsCode = 20004;

    private readonly Open115Options _options;

    public Open115ApiClient(CloudPlumbing plumbing, TokenSource tokens, Open115Options options)
        : base(plumbing, tokens)
    {
        _options = options;
    }

    /// <summary>The account's limiter (<c>limit_rate</c>, §1.7).</summary>
    public IntervalRateLimiter Limiter() => Limiters.For(LimiterProvider, Account, "api", _options.LimitRate);

    /// <summary>
    /// Calls <paramref name="path"/> and returns the whole response body once its envelope says success.
    /// A rejected access token is renewed and the call made once more; a second rejection is AuthExpired.
    /// </summary>
    /// <param name="limited">Whether the call waits on <c>limit_rate</c> (§1.7 lists which do).</param>
    /// <param name="userAgent">A User-Agent to send (download links only).</param>
    public async Task<JsonElement> CallAsync(
        HttpMethod method,
        string path,
        IEnumerable<KeyValuePair<string, string?>> fields,
        bool limited,
        bool idempotent,
        CancellationToken cancellationToken,
        string? userAgent = null)
    {
        var form = fields.Where(f => !string.IsNullOrEmpty(f.Value)).Select(f => new KeyValuePair<string, string>(f.Key, f.Value!)).ToList();
        var call = new CloudCall(path, idempotent, limited ? Limiter() : null);
        return await AccessTokenRetry.ExecuteAsync(
            Tokens,
            token => Pipeline.ExecuteAsync(call, ct => SendOnceAsync(method, path, form, token, userAgent, ct), cancellationToken),
            first => Open115Log.AccessTokenRejected(Logger, MountPath, path, first.Code),
            second => new StorageException(
                StorageErrorKind.AuthExpired,
                $"115 rejected the renewed access token too (code {second.Code}); {Open115TokenRefresher.ReauthorizeHint}",
                inner: second),
            cancellationToken).ConfigureAwait(false);
    }

    private async Task<JsonElement> SendOnceAsync(
        HttpMethod method, string path, List<KeyValuePair<string, string>> form, string token, string? userAgent, CancellationToken cancellationToken)
    {
        using var request = method == HttpMethod.Get
            ? new HttpRequestMessage(HttpMethod.Get, CloudReplies.Endpoint(_options.ApiBaseUrl, path, form))
            : new HttpRequestMessage(method, CloudReplies.Endpoint(_options.ApiBaseUrl, path, [])) { Content = new FormUrlEncodedContent(form) };
        if (!string.IsNullOrEmpty(token))
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        }

        if (userAgent is not null)
        {
            request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        }

        using var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        if (!response.IsSuccessStatusCode)
        {
            // §1.2: business errors are HTTP 200; any other status carries no code the driver could act on.
            var text = $"{path}: HTTP {status.ToString(CultureInfo.InvariantCulture)}";
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                var wait = CloudReplies.RetryAfter(response, Time);
                Open115Log.Throttled(Logger, MountPath, path, wait);
                throw new ThrottledCloudException(text, wait);
            }

            throw status >= 500
                ? new TransientCloudException(text)
                : new StorageException(StorageErrorKind.Unavailable, $"115 answered {text} (is api_base_url right?)");
        }

        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(bytes);
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new StorageException(StorageErrorKind.Unavailable, $"115 answered {path} with a body that is not JSON", inner: e);
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new StorageException(StorageErrorKind.Unavailable, $"115 answered {path} with JSON that is not an object");
        }

        var code = Code(root);
        if (IsSuccess(root, code))
        {
            return root;
        }

        throw Classify(path, code, CloudReplies.Clean(Text(root, "message"), token));
    }

    /// <summary>§1.2: <c>state</c> is the verdict; without one, a zero (or absent) code is success.</summary>
    private static bool IsSuccess(JsonElement root, long code) =>
        root.TryGetProperty("state", out var state)
            ? state.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.Number => state.TryGetInt64(out var n) && n != 0,
                JsonValueKind.String => state.GetString() is "1" or "true",
                _ => false,
            }
            : code == 0;

    /// <summary>§1.2's table: the code decides.</summary>
    private static Exception Classify(string path, long code, string message)
    {
        var described = $"115 {path}: code {code.ToString(CultureInfo.InvariantCulture)}{(message.Length > 0 ? ", " + message : "")}";
        if (IsTokenRejection(code))
        {
            return new AccessTokenRejectedException(code.ToString(CultureInfo.InvariantCulture));
        }

        var inner = new Open115ApiException(code, described);
        return code switch
        {
            NotFoundCode => new StorageException(StorageErrorKind.NotFound, described, inner: inner),
            FolderExistsCode => new StorageException(StorageErrorKind.AlreadyExists, described, inner: inner),
            _ => new StorageException(StorageErrorKind.Unavailable, described, inner: inner),
        };
    }

    /// <summary>The SDK's <c>Is401Started</c>, plus 99: renew the access token and retry once.</summary>
    internal static bool IsTokenRejection(long code) =>
        code == 99 || code.ToString(CultureInfo.InvariantCulture).StartsWith("401", StringComparison.Ordinal);

    internal static long Code(JsonElement root) =>
        root.TryGetProperty("code", out var code)
            ? code.ValueKind switch
            {
                JsonValueKind.Number when code.TryGetInt64(out var n) => n,
                JsonValueKind.String when long.TryParse(code.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
                _ => 0,
            }
            : 0;

    internal static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

}

/// <summary>The 115 code behind a <see cref="StorageException"/>, for callers that tell codes apart.</summary>
internal sealed class Open115ApiException : Exception
{
    public Open115ApiException(long code, string message)
        : base(message)
    {
        Code = code;
    }

    public long Code { get; }
}
