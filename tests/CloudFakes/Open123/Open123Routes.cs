using OpenList.DriverHost.CloudFakes.Shared;

namespace OpenList.DriverHost.CloudFakes.Open123;

/// <summary>Maps every 123 Open route (API, upload server, links, relay) onto the fake's app.</summary>
internal static class Open123Routes
{
    /// <summary>The upload server's base path: create answers <c>servers:["&lt;base&gt;/123-upload"]</c>.</summary>
    public const string UploadServerPath = "/123-upload";

    public const string PlatformHeader = "Platform";
    public const string PlatformValue = "open_platform";

    public static void Map(IEndpointRouteBuilder routes, Open123Fake fake)
    {
        Open123TokenEndpoints.Map(routes, fake);
        Open123FileEndpoints.Map(routes, fake);
        Open123DownloadEndpoints.Map(routes, fake);
        Open123UploadEndpoints.Map(routes, fake);
        Open123RelayEndpoints.Map(routes, fake);
        Open123OAuthEndpoints.Map(routes, fake);
        Open123AdminEndpoints.Map(routes, fake);
    }

    /// <summary>
    /// An API route: the <c>Platform: open_platform</c> header (documented as required on every request; code 1
    /// without it, DESIGN), Bearer auth (code 401), the server QPS for the caller (code 429), the JSON body for
    /// POST/PUT, then the handler, whose result becomes <c>data</c>. Everything answers HTTP 200 + the envelope.
    /// </summary>
    public static void MapApi(IEndpointRouteBuilder routes, Open123Fake fake, string method, string path, Func<Open123Call, Task<object?>> handler)
    {
        var hasBody = method != HttpMethods.Get;

        async Task Handle(HttpContext context)
        {
            if (!string.Equals(context.Request.Method, method, StringComparison.OrdinalIgnoreCase))
            {
                // DESIGN: a wrong HTTP method is HTTP 405 with the envelope (code 405), so a client's mistake is visible.
                await Open123Json.WriteAsync(context, StatusCodes.Status405MethodNotAllowed, 405, "method not allowed", null);
                return;
            }

            try
            {
                RequirePlatform(context.Request);
                var account = Authenticate(fake, context.Request);
                fake.TakeRateLimit("uid:" + account.Uid, path, account.Vip);
                var body = hasBody ? await Open123Body.ReadAsync(context.Request, context.RequestAborted) : null;
                var data = await handler(new Open123Call(context, fake, account, body));
                await Open123Json.OkAsync(context, data);
            }
            catch (FakeApiException error)
            {
                await Open123ErrorWriter.Instance.WriteAsync(context, error.ToFailure());
            }
        }

        routes.MapMethods(path, [HttpMethods.Get, HttpMethods.Post, HttpMethods.Put, HttpMethods.Delete, HttpMethods.Patch], Handle).WithMetadata(Operation(path));
    }

    public static FakeOperation Operation(string name) => new(Open123Fake.Provider, name, Open123ErrorWriter.Instance);

    public static void RequirePlatform(HttpRequest request)
    {
        if (request.Headers[PlatformHeader].ToString() != PlatformValue)
        {
            throw Open123Errors.Invalid("请求头缺少 platform: open_platform");
        }
    }

    /// <summary>The caller's account from <c>Authorization: Bearer &lt;token&gt;</c>, or code 401.</summary>
    public static Open123Account Authenticate(Open123Fake fake, HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string Scheme = "Bearer ";
        var token = header.StartsWith(Scheme, StringComparison.Ordinal) ? header[Scheme.Length..].Trim() : null;
        return fake.Tokens.CheckAccess(token, out var uid) switch
        {
            Open123AccessCheck.Valid => fake.FindAccount(uid) ?? throw Open123Errors.Unauthorized("access_token无效"),
            Open123AccessCheck.Missing => throw Open123Errors.Unauthorized("缺少 access_token"),
            Open123AccessCheck.Expired => throw Open123Errors.Unauthorized("access_token已过期"),
            Open123AccessCheck.Kicked => throw Open123Errors.Unauthorized("tokens number has exceeded the limit"),
            Open123AccessCheck.Replaced => throw Open123Errors.Unauthorized("access_token已失效（已刷新）"),
            _ => throw Open123Errors.Unauthorized("access_token无效"),
        };
    }
}
