using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using OpenList.DriverHost.Drivers.Errors;
using OpenList.DriverHost.Drivers.Http;
using OpenList.DriverHost.Drivers.Resilience;
using OpenList.DriverHost.Drivers.Tokens;

namespace OpenList.DriverHost.Drivers.DiskTop;

/// <summary>
/// Every call to the Disk.Top API (cloud-apis.md §4.1, §4.2): GET with a query or POST with a form, the bearer token,
/// through the resilience pipeline; the <c>{errno, errmsg, data}</c> envelope; one retry after renewing a rejected
/// access token, which is any HTTP 401 whatever its body (also errno 401 or an <c>invalid_token</c> error in a 200,
/// §4.6). Typed operations are in <c>DiskTopApiClient.Operations.cs</c>.
/// </summary>
internal sealed partial class DiskTopApiClient : CloudApiClient
{
    private readonly DiskTopOptions _options;

    public DiskTopApiClient(CloudPlumbing plumbing, TokenSource tokens, DiskTopOptions options)
        : base(plumbing, tokens)
    {
        _options = options;
    }

    /// <summary>
    /// Calls <paramref name="path"/> (under <c>api_base_url</c>) and returns the envelope's <c>data</c> (an undefined
    /// element when there is none). A rejected access token is renewed and the call made once more; a second rejection
    /// is AuthExpired.
    /// </summary>
    public Task<JsonElement> CallAsync(
        HttpMethod method, string path, IReadOnlyList<KeyValuePair<string, string>> fields, bool idempotent, CancellationToken cancellationToken) =>
        CallAsync(
            method,
            method == HttpMethod.Get ? CloudReplies.Endpoint(_options.ApiBaseUrl, path, fields) : CloudReplies.Endpoint(_options.ApiBaseUrl, path, []),
            method == HttpMethod.Get ? null : fields,
            path,
            idempotent,
            bearer: true,
            cancellationToken);

    /// <summary>One attempt of a long-running upload call: no retry here (the upload session resumes by itself), no 30 s limit.</summary>
    internal static readonly TimeSpan LongRunningTimeout = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Calls an absolute <paramref name="url"/> (the upload service, whose URLs come from precreate). With
    /// <paramref name="bearer"/> false the token is sent only when the service answers 401 (§4.1: the documented
    /// chunk calls carry none).
    /// </summary>
    public async Task<JsonElement> CallAsync(
        HttpMethod method,
        Uri url,
        IReadOnlyList<KeyValuePair<string, string>>? form,
        string operation,
        bool idempotent,
        bool bearer,
        CancellationToken cancellationToken,
        Func<HttpContent>? body = null,
        bool longRunning = false)
    {
        var call = new CloudCall(operation, idempotent);
        return await AccessTokenRetry.ExecuteAsync(
            Tokens,
            bearer,
            token => ExecuteAsync(call, longRunning, ct => SendOnceAsync(method, url, form, body, token, operation, ct), cancellationToken),
            first => DiskTopLog.AccessTokenRejected(Logger, MountPath, operation, first.Code),
            second => bearer
                ? new StorageException(
                    StorageErrorKind.AuthExpired,
                    $"Disk.Top rejected the renewed access token too ({second.Code}); {DiskTopTokenRefresher.ReauthorizeHint(MountPath)}",
                    inner: second)
                // The upload service refused even with the token: a session that is not ours any more.
                : new StorageException(StorageErrorKind.Unavailable, $"Disk.Top {operation}: the upload service refused the request ({second.Code})", inner: second),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Through the resilience pipeline, or, for <paramref name="longRunning"/> upload calls (a chunk, complete), one
    /// attempt under <see cref="LongRunningTimeout"/> whose transient failures surface as <see cref="TransientCloudException"/>.
    /// </summary>
    private async Task<JsonElement> ExecuteAsync(CloudCall call, bool longRunning, Func<CancellationToken, Task<JsonElement>> action, CancellationToken cancellationToken)
    {
        if (!longRunning)
        {
            return await Pipeline.ExecuteAsync(call, action, cancellationToken).ConfigureAwait(false);
        }

        using var timeout = new CancellationTokenSource(LongRunningTimeout, Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await action(linked.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is HttpRequestException or IOException or OperationCanceledException)
        {
            throw new TransientCloudException($"Disk.Top {call.Operation}: {(e is OperationCanceledException ? "timed out" : "connection failed")}", e);
        }
    }

    private async Task<JsonElement> SendOnceAsync(
        HttpMethod method,
        Uri url,
        IReadOnlyList<KeyValuePair<string, string>>? form,
        Func<HttpContent>? body,
        string? token,
        string operation,
        CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            request.Content = body();
        }
        else if (form is not null)
        {
            request.Content = new FormUrlEncodedContent(form);
        }

        if (!string.IsNullOrEmpty(token))
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        }

        using var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return Read(operation, response, bytes, token, Time, Logger, MountPath);
    }

    /// <summary>
    /// The envelope's <c>data</c> on success; otherwise the classified failure (§4.2). Shared by the upload session,
    /// which reads the upload service's answers the same way.
    /// </summary>
    internal static JsonElement Read(string operation, HttpResponseMessage response, byte[] bytes, string? token, TimeProvider time, ILogger logger, string mountPath)
    {
        var status = (int)response.StatusCode;
        var root = TryParseObject(bytes);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            throw new AccessTokenRejectedException("HTTP 401");
        }

        var errno = root is { } r ? Errno(r) : null;
        if (response.IsSuccessStatusCode && root is { } ok && errno is null or 0 && Text(ok, "error") is null)
        {
            return ok.TryGetProperty("data", out var data) ? data.Clone() : default;
        }

        if (response.IsSuccessStatusCode && root is null)
        {
            throw new StorageException(StorageErrorKind.Unavailable, $"Disk.Top answered {operation} with a body that is not a JSON object");
        }

        var message = root is { } failed
            ? CloudReplies.Clean(Text(failed, "errmsg") ?? Text(failed, "error_description") ?? Text(failed, "error") ?? Text(failed, "message"), token)
            : CloudReplies.Clean(Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, 300)), token);
        if (errno == 401 || (root is { } e && Text(e, "error") is "invalid_token" or "expired_token") || message.StartsWith("invalid_token", StringComparison.Ordinal))
        {
            throw new AccessTokenRejectedException(errno is { } n ? "errno " + n.ToString(CultureInfo.InvariantCulture) : "invalid_token");
        }

        var retryAfter = CloudReplies.RetryAfter(response, time);
        var failure = Classify(operation, status, errno, message, retryAfter);
        if (failure is ThrottledCloudException)
        {
            DiskTopLog.Throttled(logger, mountPath, operation, retryAfter);
        }

        throw failure;
    }

    /// <summary>
    /// §4.2 leaves the error codes open. The driver assumes errno follows HTTP's meaning (as the 425/502 of complete
    /// do): an HTTP error status decides, else an errno between 400 and 599 is read as one; other errnos are Unavailable.
    /// </summary>
    internal static Exception Classify(string operation, int httpStatus, long? errno, string message, TimeSpan? retryAfter)
    {
        var code = httpStatus >= 400 ? httpStatus : errno is >= 400 and <= 599 ? (int)errno.Value : 0;
        var described = $"Disk.Top {operation}: "
            + (httpStatus >= 400 ? "HTTP " + httpStatus.ToString(CultureInfo.InvariantCulture) : "")
            + (errno is { } n && n != 0 ? (httpStatus >= 400 ? ", " : "") + "errno " + n.ToString(CultureInfo.InvariantCulture) : "")
            + (message.Length > 0 ? ", " + message : "");
        var inner = new DiskTopApiException(code, errno, described);
        if (code == 429)
        {
            return new ThrottledCloudException(described, retryAfter);
        }

        if (code >= 500 && code != 507)
        {
            return new TransientCloudException(described, inner);
        }

        if (code is 413 or 507 || LooksLikeQuota(message))
        {
            return new StorageException(StorageErrorKind.QuotaExceeded, described, inner: inner);
        }

        return code switch
        {
            404 or 410 => new StorageException(StorageErrorKind.NotFound, described, inner: inner),
            409 => new StorageException(StorageErrorKind.AlreadyExists, described, inner: inner),
            403 => new StorageException(StorageErrorKind.PermissionDenied, described, inner: inner),
            400 or 414 or 422 => new StorageException(StorageErrorKind.InvalidName, described, inner: inner),
            _ => new StorageException(StorageErrorKind.Unavailable, described, inner: inner),
        };
    }

    /// <summary>The HTTP-like code behind a failure (404 for "not found"), when the call failed with one.</summary>
    internal static int? CodeOf(Exception e)
    {
        for (Exception? at = e; at is not null; at = at.InnerException)
        {
            if (at is DiskTopApiException api)
            {
                return api.Code;
            }
        }

        return null;
    }

    private static bool LooksLikeQuota(string message) =>
        message.Contains("quota", StringComparison.OrdinalIgnoreCase)
        || message.Contains("insufficient space", StringComparison.OrdinalIgnoreCase)
        || message.Contains("容量", StringComparison.Ordinal)
        || message.Contains("空间不足", StringComparison.Ordinal);

    internal static long? Errno(JsonElement root) =>
        root.TryGetProperty("errno", out var errno)
            ? errno.ValueKind switch
            {
                JsonValueKind.Number when errno.TryGetInt64(out var n) => n,
                JsonValueKind.String when long.TryParse(errno.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
                _ => null,
            }
            : null;

    internal static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;

    internal static JsonElement? TryParseObject(byte[] bytes)
    {
        if (bytes.Length == 0)
        {
            return null;
        }

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

/// <summary>The HTTP-like code behind a failure, for callers that tell codes apart (a lookup treats 400/404 as "no such folder").</summary>
internal sealed class DiskTopApiException : Exception
{
    public DiskTopApiException(int code, long? errno, string message)
        : base(message)
    {
        Code = code;
        Errno = errno;
    }

    /// <summary>HTTP status when it was an error status, else the errno when it reads as one; 0 when neither.</summary>
    public int Code { get; }

    public long? Errno { get; }
}
