using System.Text.Json.Serialization;
using OpenList.DriverHost.CloudFakes.Shared;

namespace OpenList.DriverHost.CloudFakes.Open123;

/// <summary>
/// <c>POST /api/v1/access_token</c> with JSON <c>{clientID, clientSecret}</c> and <c>Platform: open_platform</c>
/// → <c>{accessToken, expiredAt}</c> (RFC 3339, UTC+8), valid 30 days, no refresh token. At most three tokens of a
/// client are live; the fourth issue kicks the oldest offline (it then answers code 401 "tokens number has exceeded
/// the limit"). Rate limited per client (8 QPS free / 10 VIP). DESIGN: unknown client or wrong secret is code 1.
/// </summary>
internal static class Open123TokenEndpoints
{
    public const string Path = "/api/v1/access_token";

    public static void Map(IEndpointRouteBuilder routes, Open123Fake fake) =>
        routes.MapPost(Path, context => IssueAsync(context, fake)).WithMetadata(Open123Routes.Operation(Path));

    private static async Task IssueAsync(HttpContext context, Open123Fake fake)
    {
        try
        {
            Open123Routes.RequirePlatform(context.Request);
            var body = await Open123Body.ReadAsync(context.Request, context.RequestAborted);
            var clientId = body.RequiredString("clientID");
            var secret = body.RequiredString("clientSecret");
            var client = fake.FindClient(clientId);
            if (client is null || client.ClientSecret != secret)
            {
                throw Open123Errors.Invalid("clientID或clientSecret错误");
            }

            fake.TakeRateLimit("client:" + clientId, Path, client.Owner.Vip);
            var token = fake.IssueDeveloperTokenCore(clientId);
            await Open123Json.OkAsync(context, new DeveloperTokenData(token.AccessToken, Open123Json.Rfc3339(token.ExpiresAt)));
        }
        catch (FakeApiException error)
        {
            await Open123ErrorWriter.Instance.WriteAsync(context, error.ToFailure());
        }
    }

    private sealed record DeveloperTokenData(
        [property: JsonPropertyName("accessToken")] string AccessToken,
        [property: JsonPropertyName("expiredAt")] string ExpiredAt);
}
