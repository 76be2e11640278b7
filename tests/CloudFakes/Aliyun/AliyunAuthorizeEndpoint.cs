using OpenList.DriverHost.CloudFakes.Shared;

namespace OpenList.DriverHost.CloudFakes.Aliyun;

/// <summary>
/// The consent page <c>GET /oauth/authorize?client_id&amp;redirect_uri&amp;scope&amp;response_type=code&amp;state</c>
/// (online-api-relay.md §3.3; the relay's alicloud_go sends no state), auto-approving as
/// <see cref="AliyunFake.AuthorizingAccount"/>. An unknown client or an unacceptable redirect_uri is a 400
/// <c>{code, message}</c> page with no redirect; everything else redirects (302) to redirect_uri with
/// <c>code</c> (or RFC 6749 <c>error</c>) and the state exactly as received. The path is shared with Disk.Top;
/// <see cref="OAuthAuthorizeRoute"/> sends a request here when its client_id is an Aliyun app.
/// </summary>
internal static class AliyunAuthorizeEndpoint
{
    public const string Path = "/oauth/authorize";

    /// <summary>The scopes the relay asks for (user:base,file:all:read,file:all:write); others are invalid_scope.</summary>
    private static readonly HashSet<string> KnownScopes = new(["user:base", "file:all:read", "file:all:write"], StringComparer.Ordinal);

    public static async Task HandleAsync(HttpContext context, AliyunFake fake)
    {
        var query = context.Request.Query;
        var clientId = query["client_id"].ToString();
        var redirectUri = query["redirect_uri"].ToString();
        var state = query["state"].ToString();
        var registered = fake.RedirectUrisOf(clientId);
        var problem = registered is null ? null : ConsentPage.CheckRedirectUri(redirectUri, registered);
        if (registered is null || problem is not null)
        {
            var failure = registered is null
                ? new InjectedFailure(400, "InvalidClientId", "Client id is invalid.")
                : new InjectedFailure(400, "InvalidParameter.RedirectUri", problem!);
            await JsonErrorWriter.Instance.WriteAsync(context, failure);
            return;
        }

        var scope = query["scope"].ToString();
        var scopes = scope.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var location = fake.Consent.Answer(
            redirectUri,
            state,
            query["response_type"].ToString() == "code",
            scopes.Length > 0 && scopes.All(KnownScopes.Contains),
            () => fake.DefaultAccount() is { } account ? fake.Codes.Issue(account.UserId, clientId, redirectUri, string.Join(',', scopes)) : null);
        context.Response.Redirect(location);
    }
}
