using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using OpenList.DriverHost.Drivers.AliyundriveOpen.Models;
using OpenList.DriverHost.Drivers.Errors;
using OpenList.DriverHost.Drivers.Http;
using OpenList.DriverHost.Drivers.Resilience;
using OpenList.DriverHost.Drivers.Tokens;

namespace OpenList.DriverHost.Drivers.AliyundriveOpen;

/// <summary>The rate-limit class of an Open API call (cloud-apis.md §2.7).</summary>
internal enum AliyunCallClass
{
    List,
    Link,
    Other,
}

/// <summary>
/// Every call to the Aliyundrive Open API: <c>POST</c> JSON with the bearer token, through the resilience pipeline
/// and the account's limiter, with the error classification of cloud-apis.md §2.2 and one retry after renewing a
/// rejected access token. Typed operations are in <c>AliyundriveOpenApiClient.Operations.cs</c>.
/// </summary>
internal sealed partial class AliyundriveOpenApiClient : CloudApiClient
{
    /// <summary>OpenList's <c>base.UserAgent</c>, which the Open API sees from OpenList (§0.1).</summary>
    internal const string UserAgent = "Mozilla/5.0 (Macintosh; Apple macOS 26_1_0) AppleWebKit/537.36 (KHTML, like Gecko) Safari/537.36 Chrome/142.0.0.0 OpenList/425.6.30";

    /// <summary>The key of the shared limiters; mounts of one Aliyun user share them.</summary>
    internal const string LimiterProvider = "AliyundriveOpen";

    private static readonly HashSet<string> TokenRejectionCodes = new(StringComparer.Ordinal) { "AccessTokenInvalid", "AccessTokenExpired", "I400JD" };

    private static readonly HashSet<string> PermissionCodes = new(StringComparer.Ordinal)
    {
        "PermissionDenied", "UserNotAllowedAccessResource", "ForbiddenFileInTheRecycleBin", "ForbiddenDriveLocked", "ForbiddenDriveNotValid",
    };

    private readonly AliyundriveOpenOptions _options;

    public AliyundriveOpenApiClient(CloudPlumbing plumbing, TokenSource tokens, AliyundriveOpenOptions options)
        : base(plumbing, tokens)
    {
        _options = options;
    }

    /// <summary>The account's limiter for <paramref name="callClass"/>.</summary>
    public IntervalRateLimiter Limiter(AliyunCallClass callClass) => callClass switch
    {
        AliyunCallClass.List => Limiters.For(LimiterProvider, Account, "list", _options.RateLimitList),
        AliyunCallClass.Link => Limiters.For(LimiterProvider, Account, "link", _options.RateLimitLink),
        _ => Limiters.For(LimiterProvider, Account, "other", _options.RateLimitOther),
    };

    /// <summary>
    /// Posts the body <paramref name="body"/> builds for the access token in use (the upload proof depends on it)
    /// and reads the answer. A rejected access token is renewed and the call made once more.
    /// </summary>
    public async Task<TResponse> PostAsync<TResponse>(
        string path,
        Func<string, byte[]?> body,
        JsonTypeInfo<TResponse> responseType,
        AliyunCallClass callClass,
        bool idempotent,
        CancellationToken cancellationToken)
    {
        var call = new CloudCall(path, idempotent, Limiter(callClass));
        return await AccessTokenRetry.ExecuteAsync(
            Tokens,
            token => Pipeline.ExecuteAsync(call, ct => SendOnceAsync(path, body(token), token, responseType, ct), cancellationToken),
            first => AliyundriveOpenLog.AccessTokenRejected(Logger, MountPath, path, first.Code),
            second => new StorageException(
                StorageErrorKind.AuthExpired,
                $"Aliyun rejected the renewed access token too ({second.Code}); re-authorize and paste a new refresh token",
                inner: second),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Posts a fixed body.</summary>
    public Task<TResponse> PostAsync<TRequest, TResponse>(
        string path,
        TRequest? request,
        JsonTypeInfo<TRequest> requestType,
        JsonTypeInfo<TResponse> responseType,
        AliyunCallClass callClass,
        bool idempotent,
        CancellationToken cancellationToken)
    {
        var bytes = request is null ? null : JsonSerializer.SerializeToUtf8Bytes(request, requestType);
        return PostAsync(path, _ => bytes, responseType, callClass, idempotent, cancellationToken);
    }

    private async Task<TResponse> SendOnceAsync<TResponse>(string path, byte[]? body, string token, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, CloudReplies.Endpoint(_options.ApiBaseUrl, path)) { Content = CloudReplies.JsonContent(body ?? []) };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        using var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw Classify(path, response, TryRead(bytes, AliyunJsonContext.Default.AliyunError), token);
        }

        if (bytes.Length == 0 && typeof(TResponse) == typeof(AliyunIgnored))
        {
            return (TResponse)(object)new AliyunIgnored();
        }

        try
        {
            return JsonSerializer.Deserialize(bytes, responseType)
                ?? throw new JsonException("null body");
        }
        catch (JsonException e)
        {
            if (typeof(TResponse) == typeof(AliyunIgnored))
            {
                return (TResponse)(object)new AliyunIgnored(); // a body the driver ignores may be anything
            }

            throw new StorageException(StorageErrorKind.Unavailable, $"Aliyun answered {path} with a body the driver cannot read", inner: e);
        }
    }

    /// <summary>cloud-apis.md §2.2: the provider's code decides; the HTTP status only where no code says more.</summary>
    private Exception Classify(string path, HttpResponseMessage response, AliyunError? error, string token)
    {
        var status = (int)response.StatusCode;
        var code = error?.Code ?? string.Empty;
        var message = CloudReplies.Clean(error?.Message, token);
        var described = code.Length == 0 ? $"{path}: HTTP {status}" : $"{path}: {code}:{message}";

        if (TokenRejectionCodes.Contains(code))
        {
            return new AccessTokenRejectedException(code);
        }

        if (code == "TooManyRequests" || response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            var wait = CloudReplies.RetryAfter(response, Time);
            AliyundriveOpenLog.Throttled(Logger, MountPath, path, wait);
            return new ThrottledCloudException(described, wait);
        }

        if (code == "PreHashMatched")
        {
            return new PreHashMatchedException(described);
        }

        if (code.StartsWith("NotFound", StringComparison.Ordinal))
        {
            return new StorageException(StorageErrorKind.NotFound, described);
        }

        if (code.StartsWith("AlreadyExist", StringComparison.Ordinal))
        {
            return new StorageException(StorageErrorKind.AlreadyExists, described);
        }

        if (code is "QuotaExhausted.Drive" or "ExceedCapacityForbidden")
        {
            return new StorageException(StorageErrorKind.QuotaExceeded, described);
        }

        if (PermissionCodes.Contains(code))
        {
            return new StorageException(StorageErrorKind.PermissionDenied, described);
        }

        if (status >= 500)
        {
            return new TransientCloudException(described);
        }

        return new StorageException(
            StorageErrorKind.Unavailable,
            code.Length == 0 ? $"{described} without an error code (is api_base_url right?)" : described);
    }

    /// <summary>Reads <paramref name="bytes"/> as <typeparamref name="T"/>, or null when they are not that JSON.</summary>
    internal static T? TryRead<T>(byte[] bytes, JsonTypeInfo<T> type)
        where T : class
    {
        if (bytes.Length == 0)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(bytes, type);
        }
        catch (JsonException)
        {
            return null;
        }
    }

}

/// <summary>Upload create answered PreHashMatched: the first 1024 bytes match a known file; send the proof.</summary>
internal sealed class PreHashMatchedException : Exception
{
    public PreHashMatchedException(string message)
        : base(message)
    {
    }
}
