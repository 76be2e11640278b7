using OpenList.DriverHost.CloudFakes.Shared;

namespace OpenList.DriverHost.CloudFakes.Open123;

/// <summary>
/// 123 admin routes under /_fake/123/ for standalone scripts (curl), exempt from faults like the other admin routes:
/// <c>POST /_fake/123/accounts</c> (a fresh account with developer keys and a relay token chain; the answer holds
/// secrets, scripts read it, never print it), <c>/_fake/123/expire-access-tokens</c>, <c>/_fake/123/expire-links</c>.
/// </summary>
internal static class Open123AdminEndpoints
{
    private static readonly FakeOperation Admin = new(FakeOperation.AdminProvider, "admin", JsonErrorWriter.Instance);

    public static void Map(IEndpointRouteBuilder routes, Open123Fake fake)
    {
        routes.MapPost("/_fake/123/accounts", () => NewAccount(fake)).WithMetadata(Admin);
        routes.MapPost("/_fake/123/expire-access-tokens", () =>
        {
            fake.ExpireAccessTokensNow();
            return Results.NoContent();
        }).WithMetadata(Admin);
        routes.MapPost("/_fake/123/expire-links", () =>
        {
            fake.ExpireLinksNow();
            return Results.NoContent();
        }).WithMetadata(Admin);
    }

    private static IResult NewAccount(Open123Fake fake)
    {
        var clientId = "script" + Open123Fake.RandomToken(4);
        var secret = Open123Fake.RandomToken(16);
        var account = fake.RegisterClient(clientId, secret);
        account.DirectLinkPrivateKey = Open123Fake.RandomToken(8);
        var relay = fake.IssueRelayTokens(account);
        return Results.Json(new
        {
            uid = account.Uid,
            client_id = clientId,
            client_secret = secret,
            relay_refresh_token = relay.RefreshToken,
            relay_access_token = relay.AccessToken,
            direct_link_private_key = account.DirectLinkPrivateKey,
        });
    }
}
