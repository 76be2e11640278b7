using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using OpenList.DriverHost.CloudFakes.Shared;

namespace OpenList.DriverHost.CloudFakes.Open123;

/// <summary>
/// The envelope <c>{code, message, data, x-traceID}</c> (always all four keys; <c>data</c> is null on errors) and
/// the 123 time formats. Property names are exactly the documented ones (set per property: the API mixes
/// <c>fileId</c> and <c>fileID</c>).
/// </summary>
internal static class Open123Json
{
    private static readonly TimeSpan Utc8 = TimeSpan.FromHours(8);

    public static readonly JsonSerializerOptions Options = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>"2006-01-02 15:04:05" in UTC+8, no zone (list entries, detail).</summary>
    public static string Time(DateTimeOffset value) =>
        value.ToOffset(Utc8).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>RFC 3339 in UTC+8, e.g. 2025-03-23T15:48:37+08:00 (developer token expiredAt).</summary>
    public static string Rfc3339(DateTimeOffset value) =>
        value.ToOffset(Utc8).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    public static string TraceId() => $"{Guid.NewGuid()}_kong-fake-{Open123Fake.RandomToken(3)}";

    public static async Task WriteAsync(HttpContext context, int httpStatus, int code, string message, object? data)
    {
        var response = context.Response;
        response.StatusCode = httpStatus;
        response.ContentType = "application/json; charset=utf-8";
        using var buffer = new MemoryStream();
        await using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("code", code);
            writer.WriteString("message", message);
            writer.WritePropertyName("data");
            if (data is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                JsonSerializer.Serialize(writer, data, data.GetType(), Options);
            }

            writer.WriteString("x-traceID", TraceId());
            writer.WriteEndObject();
        }

        response.ContentLength = buffer.Length;
        await response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), context.RequestAborted);
    }

    public static Task OkAsync(HttpContext context, object? data) => WriteAsync(context, StatusCodes.Status200OK, 0, "ok", data);
}

/// <summary>
/// Renders failures (raised or injected) as the envelope. The code is the failure's numeric code when it has one,
/// else its status (so injected 401 / 429 become code 401 / 429). HTTP status: 200, except that failures with
/// status ≥ 500 keep it (an injected gateway / server error), still with the JSON envelope.
/// </summary>
internal sealed class Open123ErrorWriter : IFakeErrorWriter
{
    public static readonly Open123ErrorWriter Instance = new();

    public Task WriteAsync(HttpContext context, InjectedFailure failure)
    {
        var code = int.TryParse(failure.Code, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var numeric) ? numeric : failure.Status;
        var httpStatus = failure.Status >= 500 ? failure.Status : StatusCodes.Status200OK;
        return Open123Json.WriteAsync(context, httpStatus, code, failure.Message, null);
    }
}
