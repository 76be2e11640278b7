using System.Globalization;

namespace OpenList.DriverHost.CloudFakes.Shared;

/// <summary>
/// A small control surface under /_fake/ for standalone use (curl), mirroring the in-process API.
/// Exempt from fault injection. Everything is POST except GET /_fake/requests.
/// </summary>
internal static class AdminEndpoints
{
    private static readonly FakeOperation Admin = new(FakeOperation.AdminProvider, "admin", JsonErrorWriter.Instance);

    public static void Map(IEndpointRouteBuilder routes, FaultInjector faults, RequestLog requests, AliyunFake aliyun, Open115Fake open115)
    {
        Post(routes, "/_fake/faults/down", q => faults.SetDown(Bool(q, "value", true)));
        Post(routes, "/_fake/faults/clear", _ => faults.Clear());
        Post(routes, "/_fake/faults/fail-next", q => faults.FailNext(Text(q, "operation"), Int(q, "count", 1), Int(q, "status", 500), q["code"].ToString() is { Length: > 0 } code ? code : null));
        Post(routes, "/_fake/faults/throttle", q => faults.Throttle(Text(q, "operation"), Int(q, "count", 1), TimeSpan.FromSeconds(Int(q, "retry_after", 1))));
        Post(routes, "/_fake/faults/delay", q => faults.Delay(Text(q, "operation"), TimeSpan.FromMilliseconds(Int(q, "ms", 1000)), Int(q, "count", int.MaxValue)));
        Post(routes, "/_fake/faults/drop-download", q => faults.DropDownloadAfter(Int(q, "bytes", 0), Int(q, "count", 1)));
        Post(routes, "/_fake/requests/clear", _ => requests.Clear());
        Post(routes, "/_fake/aliyun/expire-access-tokens", _ => aliyun.ExpireAccessTokensNow());
        Post(routes, "/_fake/aliyun/expire-links", _ => aliyun.ExpireLinksNow());
        routes.MapGet("/_fake/requests", () => Results.Json(requests.Snapshot())).WithMetadata(Admin);
        routes.MapPost("/_fake/aliyun/accounts", () => NewAliyunAccount(aliyun)).WithMetadata(Admin);
        Post(routes, "/_fake/115/expire-access-tokens", _ => open115.ExpireAccessTokensNow());
        Post(routes, "/_fake/115/expire-links", _ => open115.ExpireLinksNow());
        Post(routes, "/_fake/115/expire-oss-tokens", _ => open115.ExpireOssTokensNow());
        Post(routes, "/_fake/115/revoke-all", _ => open115.RevokeAllRefreshTokens());
        routes.MapPost("/_fake/115/accounts", (HttpContext context) => NewOpen115Account(open115, context.Request.Query)).WithMetadata(Admin);
    }

    /// <summary>
    /// A fresh empty 115 account with one authorization (optional query: <c>name</c>, <c>app_id</c>). The answer
    /// holds secrets: scripts read it, never print it.
    /// </summary>
    private static IResult NewOpen115Account(Open115Fake open115, IQueryCollection query)
    {
        var account = open115.CreateAccount(query["name"].ToString() is { Length: > 0 } name ? name : null);
        var tokens = open115.IssueTokens(account, query["app_id"].ToString() is { Length: > 0 } app ? app : Open115Fake.DefaultAppId);
        return Results.Json(new
        {
            user_id = account.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            access_token = tokens.AccessToken,
            refresh_token = tokens.RefreshToken,
            expires_in = tokens.ExpiresIn,
        });
    }

    /// <summary>
    /// A fresh empty account with two independent token chains (own app keys and the relay's), for scripts that
    /// mount one account twice. The answer holds secrets: scripts read it, never print it.
    /// </summary>
    private static IResult NewAliyunAccount(AliyunFake aliyun)
    {
        var clientId = "script-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4));
        var secret = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        aliyun.RegisterClient(clientId, secret);
        var account = aliyun.CreateAccount();
        var own = aliyun.IssueTokens(account, clientId);
        var relay = aliyun.IssueTokens(account, aliyun.RelayClientId);
        return Results.Json(new
        {
            user_id = account.UserId,
            client_id = clientId,
            client_secret = secret,
            own_refresh_token = own.RefreshToken,
            relay_refresh_token = relay.RefreshToken,
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
            catch (ArgumentException ex)
            {
                return Results.BadRequest(new { error = ex.Message });
            }
        }).WithMetadata(Admin);

    private static string Text(IQueryCollection query, string name) =>
        query[name].ToString() is { Length: > 0 } value ? value : throw new ArgumentException($"Query parameter '{name}' is required.");

    private static int Int(IQueryCollection query, string name, int fallback) =>
        query[name].ToString() is { Length: > 0 } value
            ? int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number : throw new ArgumentException($"'{name}' must be an integer.")
            : fallback;

    private static bool Bool(IQueryCollection query, string name, bool fallback) =>
        query[name].ToString() is { Length: > 0 } value
            ? bool.TryParse(value, out var flag) ? flag : throw new ArgumentException($"'{name}' must be true or false.")
            : fallback;
}
