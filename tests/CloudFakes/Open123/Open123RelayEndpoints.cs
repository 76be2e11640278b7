using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using OpenList.DriverHost.CloudFakes.Shared;

namespace OpenList.DriverHost.CloudFakes.Open123;

/// <summary>
/// The online-API relay's 123 renewal (specs/online-api-relay.md §3.4):
/// <c>GET /123cloud/renewapi?refresh_ui=&lt;rt&gt;&amp;server_use=true&amp;driver_txt=123cloud_oa</c>.
/// Validation as the relay's helper: unless server_use is present and not "false", driver_txt and client_key are
/// required (500 <c>{"text":"传入参数缺少"}</c>). Only refresh_ui is used; the relay always renews with its own app.
/// Success: 200 <c>{refresh_token, access_token, expires_in}</c>; the refresh token is single-use and rotates and
/// the previous access token dies at once (the grant is <see cref="Open123OAuthService.Refresh"/>, shared with
/// <c>/api/v1/oauth2/access_token</c>). Failure: 500 <c>{"text":"无法获取AccessToken"}</c> in <see cref="Open123Fake.RelayErrorShape"/>.
/// DESIGN: the relay always answers that fallback text, not the upstream error_description, so failures look the
/// same whatever the reason (kept from before the fake had an oauth2 endpoint).
/// </summary>
internal static class Open123RelayEndpoints
{
    public const string Path = "/123cloud/renewapi";
    public const string Provider = "relay";
    private const string Failed = "无法获取AccessToken";

    public static void Map(IEndpointRouteBuilder routes, Open123Fake fake)
    {
        var errors = new RelayErrorWriter(fake);
        routes.MapMethods(Path, [HttpMethods.Get, HttpMethods.Post], context => RenewAsync(context, fake, errors))
            .WithMetadata(new FakeOperation(Provider, Path, errors));
    }

    private static async Task RenewAsync(HttpContext context, Open123Fake fake, RelayErrorWriter errors)
    {
        var query = context.Request.Query;
        var serverUse = query["server_use"].ToString();
        if ((serverUse is "" or "false") && (query["driver_txt"].ToString().Length == 0 || query["client_key"].ToString().Length == 0))
        {
            await WriteTextAsync(context, "传入参数缺少");
            return;
        }

        // The same refresh grant as POST /api/v1/oauth2/access_token, with the relay's built-in app.
        Open123Tokens tokens;
        try
        {
            tokens = Open123OAuthService.Refresh(fake, fake.RelayClientId, fake.RelayClientSecret, query["refresh_ui"].ToString());
        }
        catch (Open123OAuthException)
        {
            await errors.WriteAsync(context, new InjectedFailure(500, "relay", Failed));
            return;
        }

        fake.CountRelayRefresh();
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json; charset=utf-8";
        long? expiresIn = fake.RelayOmitsExpiresIn ? null : fake.RelayExpiresInOverride ?? tokens.ExpiresIn;
        await JsonSerializer.SerializeAsync(context.Response.Body, new RenewResponse(tokens.RefreshToken, tokens.AccessToken, expiresIn), Open123Json.Options, context.RequestAborted);
    }

    private static async Task WriteTextAsync(HttpContext context, string text)
    {
        context.Response.StatusCode = StatusCodes.Status500InternalServerError;
        context.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(context.Response.Body, new TextBody(text), Open123Json.Options, context.RequestAborted);
    }

    private sealed record RenewResponse(
        [property: JsonPropertyName("refresh_token")] string RefreshToken,
        [property: JsonPropertyName("access_token")] string AccessToken,
        [property: JsonPropertyName("expires_in")] long? ExpiresIn);

    private sealed record TextBody([property: JsonPropertyName("text")] string Text);

    /// <summary>Relay failures (and faults injected on "/123cloud/renewapi") in the selected <see cref="RelayErrorShape"/>.</summary>
    private sealed class RelayErrorWriter(Open123Fake fake) : IFakeErrorWriter
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
                    await JsonSerializer.SerializeAsync(response.Body, new TextBody(failure.Message), Open123Json.Options, context.RequestAborted);
                    return;
            }
        }
    }
}
