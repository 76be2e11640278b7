using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using OpenList.DriverHost.CloudFakes.Shared;

namespace OpenList.DriverHost.CloudFakes.Aliyun;

/// <summary>
/// The online-API relay's Aliyun renewal (specs/online-api-relay.md §3.3, §5):
/// <c>GET /alicloud/renewapi?refresh_ui=&lt;rt&gt;&amp;server_use=true&amp;driver_txt=alicloud_qr</c>
/// (also <c>POST</c> with the same fields as a form). With server_use=true it refreshes with the relay's
/// built-in app (<see cref="AliyunFake.RelayClientId"/>), otherwise with client_uid / client_key.
/// Success is 200 <c>{refresh_token, access_token}</c> (no expires_in, like the real relay); failures are 500
/// in the shape <see cref="AliyunFake.RelayErrorShape"/> selects. The TV variant is not emulated.
/// </summary>
internal static class AliyunRelayEndpoints
{
    public const string Path = "/alicloud/renewapi";
    public const string Operation = "relay";
    public const string Provider = "relay";

    public static void Map(IEndpointRouteBuilder routes, AliyunFake fake)
    {
        var errors = new RelayErrorWriter(fake);
        routes.MapMethods(Path, [HttpMethods.Get, HttpMethods.Post], context => RenewAsync(context, fake, errors))
            .WithMetadata(new FakeOperation(Provider, Operation, errors));
    }

    private static async Task RenewAsync(HttpContext context, AliyunFake fake, RelayErrorWriter errors)
    {
        var fields = context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        if (HttpMethods.IsPost(context.Request.Method) && context.Request.HasFormContentType)
        {
            foreach (var (key, value) in await context.Request.ReadFormAsync(context.RequestAborted))
            {
                fields[key] = value.ToString();
            }
        }

        var serverUse = fields.GetValueOrDefault("server_use");
        var driverText = fields.GetValueOrDefault("driver_txt");
        if ((serverUse is null or "" or "false") && (string.IsNullOrEmpty(driverText) || string.IsNullOrEmpty(fields.GetValueOrDefault("client_key"))))
        {
            await WriteTextAsync(context, "传入参数缺少");
            return;
        }

        if (driverText == "alicloud_tv")
        {
            await WriteTextAsync(context, "刷新Token失败");
            return;
        }

        // Exactly "true" selects the relay's keys; any other value means the caller's (possibly empty) keys.
        var (clientId, clientSecret) = serverUse == "true"
            ? (fake.RelayClientId, fake.RelayClientSecret)
            : (fields.GetValueOrDefault("client_uid"), fields.GetValueOrDefault("client_key"));
        try
        {
            var tokens = AliyunTokenService.Refresh(fake, clientId, clientSecret, "refresh_token", fields.GetValueOrDefault("refresh_ui"));
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/json; charset=utf-8";
            await JsonSerializer.SerializeAsync(context.Response.Body, new RenewResponse(tokens.RefreshToken, tokens.AccessToken), ErrorJson.Options, context.RequestAborted);
        }
        catch (FakeApiException error)
        {
            await errors.WriteAsync(context, new InjectedFailure(500, error.Code, error.Message));
        }
    }

    private static async Task WriteTextAsync(HttpContext context, string text)
    {
        context.Response.StatusCode = StatusCodes.Status500InternalServerError;
        context.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(context.Response.Body, new TextBody(text), ErrorJson.Options, context.RequestAborted);
    }

    private sealed record RenewResponse(
        [property: JsonPropertyName("refresh_token")] string RefreshToken,
        [property: JsonPropertyName("access_token")] string AccessToken);

    private sealed record TextBody([property: JsonPropertyName("text")] string Text);

    /// <summary>Relay failures (and faults injected on "relay") in the currently selected <see cref="RelayErrorShape"/>.</summary>
    private sealed class RelayErrorWriter(AliyunFake fake) : IFakeErrorWriter
    {
        public async Task WriteAsync(HttpContext context, InjectedFailure failure)
        {
            var response = context.Response;
            response.StatusCode = failure.Status;
            if (failure.RetryAfter is { } retryAfter)
            {
                response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            }

            switch (fake.RelayErrorShape)
            {
                case RelayErrorShape.PlainText:
                    response.ContentType = "text/plain; charset=utf-8";
                    await response.WriteAsync("Internal Server Error", context.RequestAborted);
                    return;
                case RelayErrorShape.TextObject:
                    response.ContentType = "application/json; charset=utf-8";
                    await response.WriteAsync("""{"text":{}}""", context.RequestAborted);
                    return;
                case RelayErrorShape.Missing:
                    response.ContentType = "application/json; charset=utf-8";
                    await response.WriteAsync("{}", context.RequestAborted);
                    return;
                default:
                    response.ContentType = "application/json; charset=utf-8";
                    await JsonSerializer.SerializeAsync(response.Body, new TextBody(failure.Message), ErrorJson.Options, context.RequestAborted);
                    return;
            }
        }
    }
}
