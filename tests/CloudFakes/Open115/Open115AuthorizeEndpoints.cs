using System.Globalization;
using OpenList.DriverHost.CloudFakes.Shared;

namespace OpenList.DriverHost.CloudFakes.Open115;

/// <summary>
/// The authorization-code flow the relay uses (specs/cloud-apis.md §1.3, online-api-relay.md §3.1), both on
/// passportapi: <c>GET /open/authorize?client_id&amp;state&amp;response_type=code&amp;redirect_uri</c> auto-approves
/// as <see cref="Open115Fake.AuthorizingAccount"/> and redirects (302) to redirect_uri with <c>code</c> and the
/// state exactly as received (or <c>error=access_denied</c>); an unknown client or an unacceptable redirect_uri is
/// HTTP 400 with the passport envelope and no redirect. <c>POST /open/authCodeToToken</c> (form client_id,
/// client_secret, redirect_uri, code, grant_type=authorization_code) answers exactly like <c>/open/refreshToken</c>.
/// Each exchange is a new authorization (the two-per-app rule applies). Codes: single use, bound to client_id and
/// redirect_uri, 10 minutes. Error codes (HTTP 200, passport envelope): missing parameter or wrong grant_type 990002;
/// the rest are DESIGN (the spec lists no code for them): unknown client_id 40140100, wrong secret 40140111,
/// bad / used / expired code or other redirect_uri 40140130.
/// </summary>
internal static class Open115AuthorizeEndpoints
{
    public const string AuthorizePath = "/open/authorize";
    public const string ExchangePath = "/open/authCodeToToken";
    public const long UnknownClient = 40140100;
    public const long WrongSecret = 40140111;
    public const long InvalidCode = 40140130;

    public static void Map(IEndpointRouteBuilder routes, Open115Fake fake)
    {
        routes.MapGet(AuthorizePath, context => AuthorizeAsync(context, fake))
            .WithMetadata(Open115Routes.Operation(AuthorizePath, Open115PassportErrorWriter.Instance));
        routes.MapPost(ExchangePath, context => ExchangeAsync(context, fake))
            .WithMetadata(Open115Routes.Operation(ExchangePath, Open115PassportErrorWriter.Instance));
    }

    private static async Task AuthorizeAsync(HttpContext context, Open115Fake fake)
    {
        var query = context.Request.Query;
        var clientId = query["client_id"].ToString();
        var redirectUri = query["redirect_uri"].ToString();
        var state = query["state"].ToString();
        var client = fake.FindClient(clientId);
        var problem = client is null ? null : ConsentPage.CheckRedirectUri(redirectUri, client.RedirectUris);
        if (client is null || problem is not null)
        {
            var failure = client is null
                ? new InjectedFailure(400, Code(UnknownClient), "client_id 错误")
                : new InjectedFailure(400, Code(Open115Errors.InvalidParameter), "参数错误: " + problem);
            await Open115PassportErrorWriter.Instance.WriteAsync(context, failure);
            return;
        }

        var location = fake.Consent.Answer(
            redirectUri,
            state,
            query["response_type"].ToString() == "code",
            scopeOk: true, // 115's authorize takes no scope
            () => fake.DefaultAccount() is { } account ? fake.Codes.Issue(account.UserId.ToString(CultureInfo.InvariantCulture), clientId, redirectUri, "") : null);
        context.Response.Redirect(location);
    }

    private static async Task ExchangeAsync(HttpContext context, Open115Fake fake)
    {
        try
        {
            var form = await Open115Routes.ReadParametersAsync(context.Request, context.RequestAborted);
            string Required(string name) => form.GetValueOrDefault(name) is { Length: > 0 } value ? value : throw Open115Errors.Missing(name);
            var clientId = Required("client_id");
            var secret = Required("client_secret");
            var redirectUri = Required("redirect_uri");
            var code = Required("code");
            if (Required("grant_type") != "authorization_code")
            {
                throw Open115Errors.Invalid("grant_type", "must be authorization_code");
            }

            var client = fake.FindClient(clientId) ?? throw Open115Errors.Api(UnknownClient, "client_id 错误");
            if (client.Secret != secret)
            {
                throw Open115Errors.Api(WrongSecret, "APP Secret 错误");
            }

            if (fake.Codes.Redeem(code, clientId, redirectUri, out var grant) != CodeCheck.Valid
                || fake.FindAccount(grant!.Subject) is not { } account)
            {
                throw Open115Errors.Api(InvalidCode, "code 无效或已过期");
            }

            await Open115TokenEndpoint.WriteTokensAsync(context, fake.IssueTokens(account, clientId));
        }
        catch (FakeApiException error)
        {
            await Open115PassportErrorWriter.Instance.WriteAsync(context, error.ToFailure());
        }
    }

    private static string Code(long code) => code.ToString(CultureInfo.InvariantCulture);
}
