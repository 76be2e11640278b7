using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using OpenList.DriverHost.Drivers.Relay;

namespace OpenList.DriverHost.Relay;

/// <summary>
/// What renewapi answers, in OpenList's relay vocabulary: 200 <c>{refresh_token, access_token, expires_in}</c> or a
/// non-2xx <c>{text}</c>. Never cached (<c>Cache-Control: no-store</c>): the body holds tokens.
/// </summary>
internal static class RelayResponses
{
    /// <summary>Seconds a caller should wait when the provider failed without saying how long.</summary>
    public static readonly TimeSpan OutageRetryAfter = TimeSpan.FromSeconds(30);

    public static Task TokensAsync(HttpContext context, RelayTokens tokens)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        return WriteAsync(context, writer =>
        {
            writer.WriteString("refresh_token", tokens.RefreshToken);
            writer.WriteString("access_token", tokens.AccessToken);
            if (tokens.ExpiresIn is { } expiresIn)
            {
                writer.WriteNumber("expires_in", expiresIn);
            }
        });
    }

    /// <summary>A refusal or failure: <c>{"text": …}</c>, with Retry-After when the caller should come back.</summary>
    public static Task TextAsync(HttpContext context, int status, string text, TimeSpan? retryAfter = null)
    {
        context.Response.StatusCode = status;
        if (retryAfter is { } wait)
        {
            context.Response.Headers.RetryAfter = Seconds(wait).ToString(CultureInfo.InvariantCulture);
        }

        return WriteAsync(context, writer => writer.WriteString("text", text));
    }

    /// <summary>
    /// The status for an upstream failure. Our client and OpenList's both read a JSON reason on 4xx/500 as "the token
    /// is refused"; 429/502/503/504 mean "try later" whatever the body.
    /// </summary>
    public static (int Status, string Text, TimeSpan? RetryAfter) ForUpstream(RelayUpstreamException error) => error switch
    {
        { Rejected: true } => (StatusCodes.Status401Unauthorized, error.Message, null),
        { UpstreamStatus: 429 } => (StatusCodes.Status503ServiceUnavailable, error.Message, error.RetryAfter ?? OutageRetryAfter),
        _ => (StatusCodes.Status502BadGateway, error.Message, error.RetryAfter ?? OutageRetryAfter),
    };

    /// <summary>Whole seconds, at least 1 (Retry-After: 0 invites a tight loop).</summary>
    public static long Seconds(TimeSpan wait) => Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds));

    /// <summary>The headers every relay answer carries, set before anything else can write.</summary>
    public static void NoStore(HttpResponse response)
    {
        response.Headers.CacheControl = "no-store";
        response.Headers.Pragma = "no-cache";
        response.Headers.XContentTypeOptions = "nosniff";
    }

    private static async Task WriteAsync(HttpContext context, Action<Utf8JsonWriter> body)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        using var buffer = new MemoryStream();
        await using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        context.Response.ContentLength = buffer.Length;
        await context.Response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), context.RequestAborted).ConfigureAwait(false);
    }
}
