namespace OpenList.DriverHost.CloudFakes.DiskTop;

/// <summary><c>GET /v1/user/info</c>, <c>GET /v1/user/quota</c> (scope user.read), <c>POST /v1/user/share-enable</c> (scope share.create).</summary>
internal static class DiskTopUserEndpoints
{
    public static void Map(IEndpointRouteBuilder routes, DiskTopFake fake)
    {
        DiskTopRoutes.MapApi(routes, fake, HttpMethods.Get, "/v1/user/info", Info);
        DiskTopRoutes.MapApi(routes, fake, HttpMethods.Get, "/v1/user/quota", Quota);
        DiskTopRoutes.MapApi(routes, fake, HttpMethods.Post, "/v1/user/share-enable", ShareEnable);
    }

    private static Task<object> Info(DiskTopCall call)
    {
        call.RequireScope(DiskTopScopes.UserRead);
        var a = call.Account;
        object info = new DiskTopUserInfo(
            a.Uid,
            a.Username,
            a.Nickname,
            a.Email,
            a.AvatarUrl,
            a.IsVip,
            a.VipGroup,
            a.VipExpireTs,
            a.QuotaBytes,
            DiskTopJson.Unix(a.CreatedAt),
            new DiskTopOAuthInfo(call.Grant.ClientId, call.Grant.Scopes));
        return Task.FromResult(info);
    }

    /// <summary>free_bytes never goes below 0; used_pct is rounded to 2 decimals.</summary>
    private static Task<object> Quota(DiskTopCall call)
    {
        call.RequireScope(DiskTopScopes.UserRead);
        var total = call.Account.QuotaBytes;
        var used = call.Account.UsedBytes;
        var pct = total <= 0 ? 100.0 : Math.Round(used * 100.0 / total, 2);
        object quota = new DiskTopQuota(total, used, Math.Max(0, total - used), pct);
        return Task.FromResult(quota);
    }

    private static Task<object> ShareEnable(DiskTopCall call)
    {
        call.RequireScope(DiskTopScopes.ShareCreate);
        object answer = new DiskTopShareEnable(true, "Share endpoints are now active.");
        return Task.FromResult(answer);
    }
}
