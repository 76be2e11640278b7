namespace OpenList.DriverHost.CloudFakes.Open115;

/// <summary><c>GET /open/user/info</c>: user id (number), name, avatars, quota (sizes as numbers) and VIP info.</summary>
internal static class Open115UserEndpoints
{
    public static void Map(IEndpointRouteBuilder routes, Open115Fake fake) =>
        Open115Routes.MapApi(routes, fake, HttpMethods.Get, "/open/user/info", UserInfo);

    private static Task<object?> UserInfo(Open115Call call)
    {
        long used;
        lock (call.Fake.Gate)
        {
            used = call.Account.Tree.UsedBytes();
        }

        var total = call.Account.TotalSize;
        static Dictionary<string, object?> Size(long bytes) => new() { ["size"] = bytes, ["size_format"] = Open115Json.FormatSize(bytes) };
        var face = new Uri(call.Fake.BaseUrl, "_links/115/avatar.png").ToString();
        object? data = new Dictionary<string, object?>
        {
            ["user_id"] = call.Account.UserId,
            ["user_name"] = call.Account.Name,
            ["user_face_s"] = face,
            ["user_face_m"] = face,
            ["user_face_l"] = face,
            ["rt_space_info"] = new Dictionary<string, object?>
            {
                ["all_total"] = Size(total),
                ["all_remain"] = Size(Math.Max(0, total - used)),
                ["all_use"] = Size(used),
            },
            ["vip_info"] = new Dictionary<string, object?>
            {
                ["level_name"] = "VIP",
                ["expire"] = call.Now.AddYears(1).ToUnixTimeSeconds(),
            },
        };
        return Task.FromResult<object?>(data);
    }
}
