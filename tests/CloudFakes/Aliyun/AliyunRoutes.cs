using OpenList.DriverHost.CloudFakes.Shared;

namespace OpenList.DriverHost.CloudFakes.Aliyun;

/// <summary>Maps every Aliyundrive Open route (API base, OAuth, signed links, relay) onto the fake's app.</summary>
internal static class AliyunRoutes
{
    public const string ApiPrefix = "/adrive/v1.0";

    public static void Map(IEndpointRouteBuilder routes, AliyunFake fake)
    {
        AliyunTokenEndpoint.Map(routes, fake);
        AliyunUserEndpoints.Map(routes, fake);
        AliyunFileEndpoints.Map(routes, fake);
        AliyunCreateEndpoint.Map(routes, fake);
        AliyunUploadEndpoints.Map(routes, fake);
        AliyunDownloadEndpoints.Map(routes, fake);
        AliyunRelayEndpoints.Map(routes, fake);
    }

    /// <summary>
    /// A <c>POST</c> API route: Bearer auth (401 AccessTokenInvalid / AccessTokenExpired), the server rate limit
    /// for the caller's user and app, the JSON body, then the handler; its result is the 200 JSON body and any
    /// <see cref="FakeApiException"/> becomes <c>{code, message}</c>.
    /// </summary>
    public static void MapApi(
        IEndpointRouteBuilder routes,
        AliyunFake fake,
        string path,
        AliyunRateClass rateClass,
        Func<AliyunCall, Task<object>> handler,
        bool allowEmptyBody = false)
    {
        async Task Handle(HttpContext context)
        {
            try
            {
                var token = BearerToken(context.Request);
                var grant = Authenticate(fake, token);
                var account = fake.FindAccount(grant.Subject) ?? throw AliyunErrors.AccessTokenInvalid();
                fake.TakeRateLimit(account.UserId, grant.ClientId, rateClass);
                var body = await JsonRequest.ReadAsync(context.Request, allowEmptyBody, context.RequestAborted);
                var result = await handler(new AliyunCall(context, fake, account, grant.ClientId, token, body));
                await AliyunJson.WriteAsync(context, StatusCodes.Status200OK, result);
            }
            catch (FakeApiException error)
            {
                await JsonErrorWriter.Instance.WriteAsync(context, error.ToFailure());
            }
        }

        routes.MapPost(path, Handle).WithMetadata(Operation(path));
    }

    public static FakeOperation Operation(string name) => new(AliyunFake.Provider, name, JsonErrorWriter.Instance);

    private static string BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string Scheme = "Bearer ";
        return header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) ? header[Scheme.Length..].Trim() : "";
    }

    private static AccessGrant Authenticate(AliyunFake fake, string token) =>
        fake.Tokens.CheckAccess(token, out var grant) switch
        {
            AccessCheck.Valid => grant!,
            AccessCheck.Expired => throw AliyunErrors.AccessTokenExpired(),
            _ => throw AliyunErrors.AccessTokenInvalid(),
        };
}
