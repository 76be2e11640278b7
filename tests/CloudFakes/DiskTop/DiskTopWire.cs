using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using OpenList.DriverHost.CloudFakes.Shared;

namespace OpenList.DriverHost.CloudFakes.DiskTop;

/// <summary>
/// An API error in the <c>{errno, errmsg, data}</c> envelope. DESIGN (the docs list no error codes): errno equals
/// the HTTP status (400 bad parameter, 401 bad/expired token, 403 scope or sandbox, 404 not found, 409 name taken,
/// 425 incomplete upload, 502 complete failed); <c>data</c> is null unless the error carries details.
/// </summary>
internal sealed class DiskTopException(int status, string message, object? data = null) : Exception(message)
{
    public int Status { get; } = status;

    public object? Details { get; } = data;
}

internal static class DiskTopErrors
{
    public static DiskTopException BadRequest(string message) => new(400, message);

    public static DiskTopException InvalidToken(string message) => new(401, "invalid_token: " + message);

    public static DiskTopException Forbidden(string message) => new(403, message);

    public static DiskTopException NotFound(string message) => new(404, message);

    public static DiskTopException Conflict(string message) => new(409, message);
}

/// <summary>The envelope: <c>{"errno":0,"errmsg":"ok","data":{…}}</c>. Properties are snake_case; no null is ever dropped.</summary>
internal static class DiskTopJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new FloatConverter() },
    };

    public static Task WriteOkAsync(HttpContext context, DiskTopFake fake, object data)
    {
        object body = fake.OmitSuccessErrmsg ? new OkWithoutErrmsg(0, data) : new Envelope(0, "ok", data);
        return WriteAsync(context, 200, body);
    }

    /// <param name="realStatus">Signed links and the upload service always use the real status (<see cref="DiskTopFake.ErrorsAsHttp200"/> is for the API).</param>
    public static Task WriteErrorAsync(HttpContext context, DiskTopFake fake, int status, string errmsg, object? data = null, TimeSpan? retryAfter = null, bool realStatus = false)
    {
        if (status == 401)
        {
            context.Response.Headers.WWWAuthenticate = $"Bearer realm=\"disk.top\", error=\"invalid_token\", error_description=\"{errmsg.Replace("\"", "'", StringComparison.Ordinal)}\"";
        }

        if (retryAfter is { } wait)
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        return WriteAsync(context, fake.ErrorsAsHttp200 && !realStatus ? 200 : status, new Envelope(status, errmsg, data));
    }

    public static async Task WriteAsync(HttpContext context, int status, object body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(context.Response.Body, body, body.GetType(), Options, context.RequestAborted);
    }

    /// <summary>Unix seconds.</summary>
    public static long Unix(DateTimeOffset time) => time.ToUnixTimeSeconds();

    private sealed record Envelope(int Errno, string Errmsg, object? Data);

    private sealed record OkWithoutErrmsg(int Errno, object Data);

    /// <summary>Documented "float" fields always carry a fraction ("35.0"), so a client that declared them int fails.</summary>
    private sealed class FloatConverter : JsonConverter<double>
    {
        public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDouble();

        public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options) =>
            writer.WriteRawValue(value.ToString("0.0##############", CultureInfo.InvariantCulture));
    }
}

/// <summary>Renders injected faults (and stray 500s) on the API routes as the envelope.</summary>
internal sealed class DiskTopApiErrorWriter(DiskTopFake fake, bool realStatus) : IFakeErrorWriter
{
    public Task WriteAsync(HttpContext context, InjectedFailure failure) =>
        DiskTopJson.WriteErrorAsync(context, fake, failure.Status, $"{failure.Code}: {failure.Message}", null, failure.RetryAfter, realStatus);
}

/// <summary>
/// Renders injected faults on the OAuth routes RFC 6749-style: <c>{"error": …, "error_description": …}</c>
/// (5xx → server_error, 503 → temporarily_unavailable, 429 → slow_down, 401 → invalid_client, else invalid_request).
/// </summary>
internal sealed class DiskTopOAuthErrorWriter : IFakeErrorWriter
{
    public static readonly DiskTopOAuthErrorWriter Instance = new();

    public Task WriteAsync(HttpContext context, InjectedFailure failure)
    {
        var error = failure.Status switch
        {
            503 => "temporarily_unavailable",
            >= 500 => "server_error",
            429 => "slow_down",
            401 => "invalid_client",
            _ => "invalid_request",
        };
        if (failure.RetryAfter is { } wait)
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        return DiskTopJson.WriteAsync(context, failure.Status, new OAuthError(error, $"{failure.Code}: {failure.Message}"));
    }
}

internal sealed record OAuthError(string Error, string ErrorDescription);

// ---- data shapes (documented fields only, documented JSON types) ----

internal sealed record DiskTopTokenResponse(string AccessToken, string TokenType, int ExpiresIn, string RefreshToken, string Scope);

internal sealed record DiskTopDeviceCodeResponse(
    string DeviceCode,
    string UserCode,
    string VerificationUri,
    string VerificationUriComplete,
    string QrUrl,
    int ExpiresIn,
    int Interval);

internal sealed record DiskTopUserInfo(
    long Uid,
    string Username,
    string Nickname,
    string Email,
    string AvatarUrl,
    bool IsVip,
    int VipGroup,
    long VipExpireTs,
    long StorageQuotaBytes,
    long CreatedAtTs,
    DiskTopOAuthInfo Oauth);

internal sealed record DiskTopOAuthInfo(string ClientId, IReadOnlyList<string> Scopes);

internal sealed record DiskTopQuota(long TotalBytes, long UsedBytes, long FreeBytes, double UsedPct);

internal sealed record DiskTopShareEnable(bool Enabled, string Note);

internal sealed record DiskTopFolderItem(long Id, string Name);

internal sealed record DiskTopFileItem(long Id, string Name, long Size, string Md5);

internal sealed record DiskTopList(string Path, IReadOnlyList<DiskTopFolderItem> Folders, IReadOnlyList<DiskTopFileItem> Files, long Total);

internal sealed record DiskTopSearch(IReadOnlyList<DiskTopFileItem> Files, long Total);

internal sealed record DiskTopFileMeta(long Id, string Name, long Size, string Md5, string Ext, string Mime, string Path, long ParentFolder, long CreateTime);

internal sealed record DiskTopDownload(string Url, int ExpiresIn, string Name, long Size, string Md5);

internal sealed record DiskTopStream(string StreamUrl, long Duration, IReadOnlyList<DiskTopQuality> Qualities, int ExpiresIn);

internal sealed record DiskTopQuality(string Name, string Url);

internal sealed record DiskTopFolderCreated(long FolderId, string Name, string Path);

internal sealed record DiskTopAffected(int Affected);

internal sealed record DiskTopPrecreateHit(bool InstantUpload, long FileId, string Path, long Size);

internal sealed record DiskTopPrecreateMiss(bool InstantUpload, string UploadId, string Endpoint, long ChunkSize, int TotalParts, long ExpiresIn);

internal sealed record DiskTopChunkReceived(int PartSeq, string Etag, long Size, int ReceivedParts, int TotalParts);

internal sealed record DiskTopParts(string UploadId, int TotalParts, IReadOnlyList<int> ReceivedParts, double Progress, IReadOnlyDictionary<string, DiskTopPartInfo> Parts);

internal sealed record DiskTopPartInfo(int PartNumber, string Etag, long Size);

internal sealed record DiskTopIncomplete(string UploadId, int TotalParts, IReadOnlyList<int> ReceivedParts, IReadOnlyList<int> MissingParts);

internal sealed record DiskTopCompleted(long FileId, string Path, long Size, string Md5);

internal sealed record DiskTopAborted(bool Ok);
