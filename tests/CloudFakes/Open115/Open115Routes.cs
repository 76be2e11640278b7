using System.Globalization;
using OpenList.DriverHost.CloudFakes.Shared;

namespace OpenList.DriverHost.CloudFakes.Open115;

/// <summary>Maps every 115 route (proapi, passportapi, download links, OSS) onto the fake's app.</summary>
internal static class Open115Routes
{
    public static void Map(IEndpointRouteBuilder routes, Open115Fake fake)
    {
        Open115TokenEndpoint.Map(routes, fake);
        Open115AuthorizeEndpoints.Map(routes, fake);
        Open115UserEndpoints.Map(routes, fake);
        Open115FileEndpoints.Map(routes, fake);
        Open115DownloadEndpoints.Map(routes, fake);
        Open115UploadEndpoints.Map(routes, fake);
        Open115OssEndpoints.Map(routes, fake);
    }

    /// <summary>
    /// A proapi route: Bearer auth (401… codes), the parameters (GET: query string; POST: the form body only —
    /// a JSON body carries no parameters, as on the real PHP backend), then the handler. Its result becomes
    /// <c>{state:true, code:0, message:"", data}</c> (or the whole body for <see cref="Open115FullBody"/>);
    /// a <see cref="FakeApiException"/> becomes HTTP 200 <c>state:false</c>.
    /// </summary>
    public static void MapApi(IEndpointRouteBuilder routes, Open115Fake fake, string method, string path, Func<Open115Call, Task<object?>> handler)
    {
        async Task Handle(HttpContext context)
        {
            try
            {
                var grant = Authenticate(fake, context.Request);
                var account = fake.FindAccount(grant.Subject) ?? throw Open115Errors.Api(Open115Errors.AccessTokenVerification, "access_token 校验失败");
                var parameters = await ReadParametersAsync(context.Request, context.RequestAborted);
                var result = await handler(new Open115Call(context, fake, account, parameters));
                await Open115Json.WriteAsync(context, StatusCodes.Status200OK, result is Open115FullBody full ? full.Body : Open115Json.Ok(result));
            }
            catch (FakeApiException error)
            {
                await Open115ApiErrorWriter.Instance.WriteAsync(context, error.ToFailure());
            }
        }

        routes.MapMethods(path, [method], Handle).WithMetadata(Operation(path, Open115ApiErrorWriter.Instance));
    }

    public static FakeOperation Operation(string name, IFakeErrorWriter errors) => new(Open115Fake.Provider, name, errors);

    /// <summary>GET parameters from the query string, POST parameters from a form body (urlencoded or multipart).</summary>
    public static async Task<Dictionary<string, string>> ReadParametersAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        if (HttpMethods.IsGet(request.Method))
        {
            foreach (var (key, value) in request.Query)
            {
                parameters[key] = value.ToString();
            }
        }
        else if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(cancellationToken);
            foreach (var (key, value) in form)
            {
                parameters[key] = value.ToString();
            }
        }

        return parameters;
    }

    private static AccessGrant Authenticate(Open115Fake fake, HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string Scheme = "Bearer ";
        var token = header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) ? header[Scheme.Length..].Trim() : "";

        // Shape and signature only decide the code of a token the fake never issued (NextTokens may issue any string).
        switch (fake.Tokens.Knows(token) ? TokenShape.Signed : fake.Tokens.Factory.Verify(token))
        {
            case TokenShape.Malformed:
                throw Open115Errors.Api(Open115Errors.AccessTokenFormat, "access_token 格式错误");
            case TokenShape.BadSignature:
                throw Open115Errors.Api(Open115Errors.AccessTokenSignature, "access_token 签名校验失败");
        }

        return fake.Tokens.CheckAccess(token, out var grant) switch
        {
            AccessCheck.Valid => grant!,
            AccessCheck.Expired or AccessCheck.Revoked => throw Open115Errors.Api(Open115Errors.AccessTokenInvalid, "access_token 无效（已过期或者已解除授权）"),
            _ => throw Open115Errors.Api(Open115Errors.AccessTokenVerification, "access_token 校验失败"),
        };
    }
}

/// <summary>A handler result that is the whole response body, not just <c>data</c> (the listing has top-level fields).</summary>
internal sealed record Open115FullBody(Dictionary<string, object?> Body);

/// <summary>An authenticated proapi call: the caller's account and the request parameters (empty values count as absent, like the SDK drops them).</summary>
internal sealed class Open115Call(HttpContext http, Open115Fake fake, Open115Account account, Dictionary<string, string> parameters)
{
    public HttpContext Http { get; } = http;

    public Open115Fake Fake { get; } = fake;

    public Open115Account Account { get; } = account;

    public DateTimeOffset Now => Fake.Time.GetUtcNow();

    public CancellationToken Aborted => Http.RequestAborted;

    public string? Optional(string name) => parameters.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

    public string Required(string name) => Optional(name) ?? throw Open115Errors.Missing(name);

    public long? OptionalInt64(string name) =>
        Optional(name) is not { } text
            ? null
            : long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : throw Open115Errors.Invalid(name, "must be an integer");

    public long RequiredInt64(string name) => OptionalInt64(name) ?? throw Open115Errors.Missing(name);

    /// <summary>A 0/1 flag; anything else is refused.</summary>
    public bool Flag(string name, bool fallback) =>
        Optional(name) switch
        {
            null => fallback,
            "1" => true,
            "0" => false,
            _ => throw Open115Errors.Invalid(name, "must be 0 or 1"),
        };

    /// <summary>A live node of the caller's tree. Call under the fake's lock.</summary>
    public FileNode Node(string id) => Account.Tree.GetLive(id) ?? throw Open115Errors.ObjectNotFound();

    /// <summary>A live folder of the caller's tree; a file id is "not found" too (DESIGN). Call under the fake's lock.</summary>
    public FileNode Folder(string id) => Node(id) is { IsFolder: true } folder ? folder : throw Open115Errors.ObjectNotFound();
}
