using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenList.DriverHost.CloudFakes.Shared;

/// <summary>
/// Errors as <c>application/json</c> <c>{"code": …, "message": …}</c> with the failure's HTTP status
/// (Aliyundrive Open's shape; OpenList's client only reads error bodies that are JSON with status ≥ 400).
/// </summary>
internal sealed class JsonErrorWriter : IFakeErrorWriter
{
    public static readonly JsonErrorWriter Instance = new();

    public async Task WriteAsync(HttpContext context, InjectedFailure failure)
    {
        var response = context.Response;
        response.StatusCode = failure.Status;
        response.ContentType = "application/json; charset=utf-8";
        if (failure.RetryAfter is { } retryAfter)
        {
            response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        await JsonSerializer.SerializeAsync(response.Body, new ErrorBody(failure.Code, failure.Message), ErrorJson.Options, context.RequestAborted);
    }

    private sealed record ErrorBody(
        [property: JsonPropertyName("code")] string Code,
        [property: JsonPropertyName("message")] string Message);
}

internal static class ErrorJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
