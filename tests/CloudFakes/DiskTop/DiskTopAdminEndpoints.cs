using System.Security.Cryptography;
using OpenList.DriverHost.CloudFakes.Shared;

namespace OpenList.DriverHost.CloudFakes.DiskTop;

/// <summary>
/// Disk.Top admin routes under /_fake/disktop/ for scripts (never faulted):
/// <c>POST /_fake/disktop/accounts[?scope=…]</c> → a fresh account and app with a token pair;
/// <c>POST /_fake/disktop/expire-access-tokens</c>, <c>/expire-links</c>, <c>/revoke-refresh-tokens</c>;
/// <c>POST /_fake/disktop/device/approve?user_code=…</c> and <c>/device/deny?user_code=…</c>.
/// </summary>
internal static class DiskTopAdminEndpoints
{
    private static readonly FakeOperation Admin = new(FakeOperation.AdminProvider, "admin", JsonErrorWriter.Instance);

    public static void Map(IEndpointRouteBuilder routes, DiskTopFake fake)
    {
        routes.MapPost("/_fake/disktop/accounts", (HttpContext context) => NewAccount(fake, context.Request.Query["scope"].ToString())).WithMetadata(Admin);
        Post(routes, "/_fake/disktop/expire-access-tokens", _ => fake.ExpireAccessTokensNow());
        Post(routes, "/_fake/disktop/expire-links", _ => fake.ExpireLinksNow());
        Post(routes, "/_fake/disktop/revoke-refresh-tokens", _ => fake.RevokeAllRefreshTokens());
        Post(routes, "/_fake/disktop/device/approve", q => fake.ApproveDevice(q["user_code"].ToString()));
        Post(routes, "/_fake/disktop/device/deny", q => fake.DenyDevice(q["user_code"].ToString()));
    }

    /// <summary>
    /// A new empty account and a new app allowed every scope, with tokens for <paramref name="scope"/> (default
    /// "user.read files.app_data"). The answer holds secrets: scripts read it, never print it.
    /// </summary>
    private static IResult NewAccount(DiskTopFake fake, string scope)
    {
        var clientId = "script-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        fake.RegisterClient(clientId, secret, allowedScopes: DiskTopScopes.All);
        var account = fake.CreateAccount();
        DiskTopTokens tokens;
        try
        {
            tokens = fake.IssueTokens(account, clientId, scope.Length > 0 ? scope : DiskTopScopes.Default);
        }
        catch (ArgumentException ex)
        {
            return Results.BadRequest(new { error = ex.Message });
        }

        return Results.Json(new
        {
            uid = account.Uid,
            client_id = clientId,
            client_secret = secret,
            access_token = tokens.AccessToken,
            refresh_token = tokens.RefreshToken,
            scope = tokens.Scope,
            sandbox_path = fake.SandboxPath(clientId),
            upload_endpoint = fake.UploadEndpoint,
        });
    }

    private static void Post(IEndpointRouteBuilder routes, string path, Action<IQueryCollection> action) =>
        routes.MapPost(path, (HttpContext context) =>
        {
            try
            {
                action(context.Request.Query);
                return Results.NoContent();
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
            {
                return Results.BadRequest(new { error = ex.Message });
            }
        }).WithMetadata(Admin);
}
