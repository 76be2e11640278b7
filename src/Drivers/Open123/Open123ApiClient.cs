using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using OpenList.DriverHost.Drivers.Errors;
using OpenList.DriverHost.Drivers.Http;
using OpenList.DriverHost.Drivers.Open123.Models;
using OpenList.DriverHost.Drivers.Resilience;
using OpenList.DriverHost.Drivers.Tokens;

namespace OpenList.DriverHost.Drivers.Open123;

/// <summary>The APIs the driver calls, each with its own rate limit (cloud-apis.md §3.7).</summary>
internal enum Open123Api
{
    AccessToken,
    UserInfo,
    FileList,
    DownloadInfo,
    DirectLink,
    Mkdir,
    Move,
    Rename,
    Trash,
    Sha1Reuse,
    UploadCreate,
    UploadSlice,
    UploadComplete,
}

/// <summary>
/// Every call to the 123 open platform: the bearer token, <c>Platform: open_platform</c> and JSON on every request,
/// the envelope <c>{code, message, data}</c> read whatever the HTTP status (cloud-apis.md §3.2), through the
/// resilience pipeline and the account's per-API limiter. Body code 401 renews the access token and the call is
/// made once more; 429 is retried after a wait, a bounded number of times. Typed operations are in
/// <c>Open123ApiClient.Operations.cs</c>.
/// </summary>
internal sealed partial class Open123ApiClient : CloudApiClient
{
    /// <summary>OpenList's <c>base.UserAgent</c>, which the open platform sees from OpenList (§0.1).</summary>
    internal const string UserAgent = "Mozilla/5.0 (Macintosh; Apple macOS 26_1_0) AppleWebKit/537.36 (KHTML, like Gecko) Safari/537.36 Chrome/142.0.0.0 OpenList/425.6.30";

    /// <summary>The key of the shared limiters; mounts of one 123 account share them.</summary>
    internal const string LimiterProvider = "123 Open";

    /// <summary>Body codes of cloud-apis.md §3.2 and OpenList's request loop.</summary>
    internal const int CodeOk = 0;
    internal const int CodeTokenInvalid = 401;
    internal const int CodeTooManyRequests = 429;
    internal const int CodeFileNotFound = 5066;
    internal const int CodeDownloadTrafficExceeded = 5113;
    internal const int CodeVerifying = 20103;

    private readonly Open123Options _options;

    public Open123ApiClient(CloudPlumbing plumbing, TokenSource tokens, Open123Options options)
        : base(plumbing, tokens)
    {
        _options = options;
    }

    /// <summary>
    /// Calls per second for each API: the documented server QPS of a free account where 123 documents one
    /// (access_token 8, user/info 10, v2 file/list 5, mkdir 5, move 3), otherwise OpenList's slot count (a slot is
    /// held about a second: download_info 5, direct-link 5, rename 1, trash 2, create 2, sha1_reuse 2);
    /// upload_complete and slices go unlimited, as in OpenList.
    /// </summary>
    internal static double RateOf(Open123Api api) => api switch
    {
        Open123Api.AccessToken => 8,
        Open123Api.UserInfo => 10,
        Open123Api.FileList => 5,
        Open123Api.DownloadInfo => 5,
        Open123Api.DirectLink => 5,
        Open123Api.Mkdir => 5,
        Open123Api.Move => 3,
        Open123Api.Rename => 1,
        Open123Api.Trash => 2,
        Open123Api.Sha1Reuse => 2,
        Open123Api.UploadCreate => 2,
        _ => 0,
    };

    /// <summary>The account's limiter for <paramref name="api"/>; null when it is unlimited.</summary>
    public IntervalRateLimiter? Limiter(Open123Api api) => LimiterFor(Limiters, _options, Account, api);

    internal static IntervalRateLimiter? LimiterFor(SharedRateLimiters limiters, Open123Options options, string account, Open123Api api)
    {
        var rate = RateOf(api) * options.RateLimitScale;
        return rate > 0 ? limiters.For(LimiterProvider, account, api.ToString(), rate) : null;
    }

    /// <summary>
    /// Sends one API call and returns its <c>data</c>. <paramref name="content"/> builds a fresh body for each attempt
    /// (null sends an empty JSON body, as OpenList does even on GET). A rejected access token is renewed and the call
    /// made once more.
    /// </summary>
    public async Task<T> CallAsync<T>(
        Open123Api api,
        HttpMethod method,
        Uri url,
        Func<HttpContent?> content,
        JsonTypeInfo<T> dataType,
        bool idempotent,
        CancellationToken cancellationToken)
        where T : class, new()
    {
        var operation = url.AbsolutePath;
        var call = new CloudCall(operation, idempotent, Limiter(api));
        return await AccessTokenRetry.ExecuteAsync(
            Tokens,
            token => Pipeline.ExecuteAsync(call, ct => SendOnceAsync(method, url, content(), token, dataType, ct), cancellationToken),
            first => Open123Log.AccessTokenRejected(Logger, MountPath, operation, first.Code),
            second => new StorageException(
                StorageErrorKind.AuthExpired,
                $"123 rejected the renewed access token too ({second.Code}); {ReauthorizeHint(_options)}",
                inner: second),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A JSON body from <paramref name="request"/>, serialised once and sent again as is on retries.</summary>
    public static Func<HttpContent?> Json<TRequest>(TRequest request, JsonTypeInfo<TRequest> type)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(request, type);
        return () => CloudReplies.JsonContent(bytes);
    }

    /// <summary>What the user must do when a token mode cannot go on.</summary>
    internal static string ReauthorizeHint(Open123Options options) => options.TokenMode switch
    {
        Open123TokenMode.OnlineApi => "get a new refresh token from the online API page (123 网盘 OAuth2) and paste it as RefreshToken",
        Open123TokenMode.DeveloperCredentials => "check ClientID and ClientSecret at 123pan.com/developer",
        _ => "paste a new AccessToken",
    };

    private async Task<T> SendOnceAsync<T>(HttpMethod method, Uri url, HttpContent? content, string token, JsonTypeInfo<T> dataType, CancellationToken cancellationToken)
        where T : class, new()
    {
        using var request = new HttpRequestMessage(method, url) { Content = content ?? CloudReplies.JsonContent([]) };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        request.Headers.TryAddWithoutValidation("Platform", "open_platform");
        request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        using var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var envelope = Open123Envelope.TryRead(bytes);
        if (Classify(url.AbsolutePath, response, envelope, token) is { } failure)
        {
            if (failure is ThrottledCloudException throttled)
            {
                Open123Log.Throttled(Logger, MountPath, url.AbsolutePath, throttled.RetryAfter);
            }

            throw failure;
        }

        return ReadData(url.AbsolutePath, envelope!.Value.Data, dataType);
    }

    /// <summary>The typed <c>data</c>; null or absent data is an empty object (move, rename, trash answer null).</summary>
    internal static T ReadData<T>(string operation, JsonElement data, JsonTypeInfo<T> dataType)
        where T : class, new()
    {
        if (data.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null || typeof(T) == typeof(Open123Ignored))
        {
            return new T();
        }

        try
        {
            return data.Deserialize(dataType) ?? new T();
        }
        catch (JsonException e)
        {
            throw new StorageException(StorageErrorKind.Unavailable, $"123 answered {operation} with data the driver cannot read", inner: e);
        }
    }

    /// <summary>
    /// cloud-apis.md §3.2: the body's <c>code</c> decides, whatever the HTTP status; the status only where there is no
    /// JSON code. Null means success.
    /// </summary>
    internal Exception? Classify(string operation, HttpResponseMessage response, Open123Envelope? envelope, string? secret)
    {
        var status = (int)response.StatusCode;
        var statusText = status.ToString(CultureInfo.InvariantCulture);
        if (envelope is not { Code: { } code } body)
        {
            return status switch
            {
                401 => new AccessTokenRejectedException("HTTP 401"),
                429 => new ThrottledCloudException($"{operation}: HTTP 429", CloudReplies.RetryAfter(response, Time)),
                >= 500 => new TransientCloudException($"{operation}: HTTP {statusText}"),
                _ => new StorageException(StorageErrorKind.Unavailable, $"{operation}: HTTP {statusText} without a JSON code (is api_base_url right?)"),
            };
        }

        var message = CloudReplies.Clean(body.Message, secret);
        var described = $"{operation}: {code.ToString(CultureInfo.InvariantCulture)} {message}".TrimEnd();
        return code switch
        {
            CodeOk when status >= 500 => new TransientCloudException($"{operation}: HTTP {statusText}"),
            CodeOk => null,
            CodeTokenInvalid => new AccessTokenRejectedException(code.ToString(CultureInfo.InvariantCulture)),
            CodeTooManyRequests => new ThrottledCloudException(described, CloudReplies.RetryAfter(response, Time)),
            CodeVerifying => new ThrottledCloudException(described, TimeSpan.FromSeconds(2)),
            CodeFileNotFound => new StorageException(StorageErrorKind.NotFound, described),
            CodeDownloadTrafficExceeded => new StorageException(StorageErrorKind.Unavailable, $"123's daily download traffic is used up ({described})", TimeSpan.FromHours(1)),
            _ when status >= 500 => new TransientCloudException(described),
            _ => new StorageException(StorageErrorKind.Unavailable, $"123 refused {described}"),
        };
    }

    /// <summary><c>name=value&amp;…</c>, every value escaped; empty values are sent too (OpenList sends them).</summary>
    internal static string Query(params (string Name, string Value)[] parameters) =>
        string.Join("&", parameters.Select(p => p.Name + "=" + Uri.EscapeDataString(p.Value)));

}

/// <summary>The response envelope <c>{code, message, data}</c> (cloud-apis.md §3.2); <c>code</c> may come as a string.</summary>
internal readonly record struct Open123Envelope(int? Code, string? Message, JsonElement Data)
{
    /// <summary>The envelope, or null when the body is not a JSON object.</summary>
    public static Open123Envelope? TryRead(byte[] bytes)
    {
        if (bytes.Length == 0)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(bytes);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            int? code = null;
            if (root.TryGetProperty("code", out var c))
            {
                if (c.ValueKind == JsonValueKind.Number && c.TryGetInt32(out var n))
                {
                    code = n;
                }
                else if (c.ValueKind == JsonValueKind.String && int.TryParse(c.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s))
                {
                    code = s;
                }
            }

            var message = root.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            var data = root.TryGetProperty("data", out var d) ? d.Clone() : default;
            return new Open123Envelope(code, message, data);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

