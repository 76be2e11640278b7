using System.Globalization;
using System.Security;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using OpenList.DriverHost.CloudFakes.Shared;

namespace OpenList.DriverHost.CloudFakes.Open115;

/// <summary>
/// Wire helpers. Property names are written exactly as declared (the API mixes snake_case with
/// <c>AccessKeyId</c>-style keys); nulls are written, because <c>data</c> must always be present.
/// </summary>
internal static class Open115Json
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static async Task WriteAsync(HttpContext context, int status, object body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(context.Response.Body, body, body.GetType(), Options, context.RequestAborted);
    }

    /// <summary>The proapi success envelope around <paramref name="data"/>.</summary>
    public static Dictionary<string, object?> Ok(object? data) => new()
    {
        ["state"] = true,
        ["code"] = 0L,
        ["message"] = "",
        ["data"] = data,
    };

    /// <summary>A failure's numeric code; injected faults with a non-numeric code (e.g. "InternalError") answer 0.</summary>
    public static long NumericCode(string code) =>
        long.TryParse(code, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : 0;

    public static string Unix(DateTimeOffset time) => time.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    /// <summary>"1.5MB"-style sizes (the real format is not documented; drivers do not parse it).</summary>
    public static string FormatSize(long bytes)
    {
        string[] units = ["B", "KB", "MB", "GB", "TB", "PB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes}B")
            : string.Create(CultureInfo.InvariantCulture, $"{value:0.##}{units[unit]}");
    }
}

/// <summary>proapi errors: HTTP status of the failure (200 for business errors) and <c>{state:false, code, message, data:[]}</c>.</summary>
internal sealed class Open115ApiErrorWriter : IFakeErrorWriter
{
    public static readonly Open115ApiErrorWriter Instance = new();

    public Task WriteAsync(HttpContext context, InjectedFailure failure)
    {
        SetRetryAfter(context, failure);
        var body = new Dictionary<string, object?>
        {
            ["state"] = false,
            ["code"] = Open115Json.NumericCode(failure.Code),
            ["message"] = failure.Message,
            ["data"] = Array.Empty<object>(),
        };
        return Open115Json.WriteAsync(context, failure.Status, body);
    }

    public static void SetRetryAfter(HttpContext context, InjectedFailure failure)
    {
        if (failure.RetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }
    }
}

/// <summary>passportapi errors: <c>{state:0, code, message, data:{}, error, errno}</c> (the SDK fails on <c>code != 0</c> or a non-empty <c>error</c>).</summary>
internal sealed class Open115PassportErrorWriter : IFakeErrorWriter
{
    public static readonly Open115PassportErrorWriter Instance = new();

    public Task WriteAsync(HttpContext context, InjectedFailure failure)
    {
        Open115ApiErrorWriter.SetRetryAfter(context, failure);
        var code = Open115Json.NumericCode(failure.Code);
        var body = new Dictionary<string, object?>
        {
            ["state"] = 0,
            ["code"] = code,
            ["message"] = failure.Message,
            ["data"] = new Dictionary<string, object?>(),
            ["error"] = failure.Message,
            ["errno"] = code,
        };
        return Open115Json.WriteAsync(context, failure.Status, body);
    }
}

/// <summary>OSS-style XML errors (<c>&lt;Error&gt;&lt;Code&gt;…</c>), used by the OSS endpoint and the download links.</summary>
internal sealed class Open115XmlErrorWriter : IFakeErrorWriter
{
    public static readonly Open115XmlErrorWriter Instance = new();

    public async Task WriteAsync(HttpContext context, InjectedFailure failure)
    {
        Open115ApiErrorWriter.SetRetryAfter(context, failure);
        var requestId = Guid.NewGuid().ToString("N")[..24].ToUpperInvariant();
        context.Response.StatusCode = failure.Status;
        context.Response.ContentType = "application/xml";
        context.Response.Headers["x-oss-request-id"] = requestId;
        var xml = $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <Error>
              <Code>{SecurityElement.Escape(failure.Code)}</Code>
              <Message>{SecurityElement.Escape(failure.Message)}</Message>
              <RequestId>{requestId}</RequestId>
              <HostId>{SecurityElement.Escape(context.Request.Host.Value ?? "")}</HostId>
            </Error>
            """;
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(xml), context.RequestAborted);
    }
}

/// <summary>One entry of <c>/open/ufile/files</c> <c>data[]</c>, with the Go SDK's types (§1.5).</summary>
internal sealed record Open115ListEntry
{
    [JsonPropertyName("fid")] public required string Fid { get; init; }

    [JsonPropertyName("aid")] public string Aid { get; init; } = "1";

    [JsonPropertyName("pid")] public required string Pid { get; init; }

    [JsonPropertyName("fc")] public required string Fc { get; init; }

    [JsonPropertyName("fn")] public required string Fn { get; init; }

    [JsonPropertyName("fco")] public string Fco { get; init; } = "";

    [JsonPropertyName("ism")] public required string Ism { get; init; }

    [JsonPropertyName("isp")] public int Isp { get; init; }

    [JsonPropertyName("pc")] public required string Pc { get; init; }

    [JsonPropertyName("upt")] public required long Upt { get; init; }

    [JsonPropertyName("uet")] public required long Uet { get; init; }

    [JsonPropertyName("uppt")] public required long Uppt { get; init; }

    [JsonPropertyName("cm")] public long Cm { get; init; }

    [JsonPropertyName("fdesc")] public string Fdesc { get; init; } = "";

    [JsonPropertyName("ispl")] public long Ispl { get; init; }

    [JsonPropertyName("fl")] public IReadOnlyList<object> Fl { get; init; } = [];

    [JsonPropertyName("sha1")] public required string Sha1 { get; init; }

    [JsonPropertyName("fs")] public required long Fs { get; init; }

    [JsonPropertyName("fta")] public string Fta { get; init; } = "1";

    [JsonPropertyName("ico")] public required string Ico { get; init; }

    [JsonPropertyName("fatr")] public string Fatr { get; init; } = "";

    [JsonPropertyName("isv")] public required long Isv { get; init; }

    [JsonPropertyName("def")] public long Def { get; init; }

    [JsonPropertyName("def2")] public long Def2 { get; init; }

    [JsonPropertyName("play_long")] public long PlayLong { get; init; }

    [JsonPropertyName("v_img")] public string VImg { get; init; } = "";

    [JsonPropertyName("thumb")] public string Thumb { get; init; } = "";

    [JsonPropertyName("uo")] public string Uo { get; init; } = "";
}

/// <summary>The <c>/open/folder/get_info</c> object (§1.5): note <c>ptime</c>/<c>utime</c> are strings here.</summary>
internal sealed record Open115FolderInfo
{
    [JsonPropertyName("count")] public required long Count { get; init; }

    [JsonPropertyName("size")] public required string Size { get; init; }

    [JsonPropertyName("size_byte")] public required long SizeByte { get; init; }

    [JsonPropertyName("folder_count")] public required long FolderCount { get; init; }

    [JsonPropertyName("play_long")] public long PlayLong { get; init; }

    [JsonPropertyName("show_play_long")] public long ShowPlayLong { get; init; }

    [JsonPropertyName("ptime")] public required string Ptime { get; init; }

    [JsonPropertyName("utime")] public required string Utime { get; init; }

    [JsonPropertyName("file_name")] public required string FileName { get; init; }

    [JsonPropertyName("pick_code")] public required string PickCode { get; init; }

    [JsonPropertyName("sha1")] public required string Sha1 { get; init; }

    [JsonPropertyName("file_id")] public required string FileId { get; init; }

    [JsonPropertyName("is_mark")] public string IsMark { get; init; } = "0";

    [JsonPropertyName("open_time")] public long OpenTime { get; init; }

    [JsonPropertyName("file_category")] public required string FileCategory { get; init; }

    [JsonPropertyName("paths")] public required IReadOnlyList<Open115PathItem> Paths { get; init; }
}

internal sealed record Open115PathItem(
    [property: JsonPropertyName("file_id")] string FileId,
    [property: JsonPropertyName("file_name")] string FileName);
