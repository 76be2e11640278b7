namespace OpenList.DriverHost.CloudFakes.Aliyun;

/// <summary>getDriveInfo and getSpaceInfo (both accept an empty body).</summary>
internal static class AliyunUserEndpoints
{
    public static void Map(IEndpointRouteBuilder routes, AliyunFake fake)
    {
        AliyunRoutes.MapApi(routes, fake, AliyunRoutes.ApiPrefix + "/user/getDriveInfo", AliyunRateClass.Other, DriveInfo, allowEmptyBody: true);
        AliyunRoutes.MapApi(routes, fake, AliyunRoutes.ApiPrefix + "/user/getSpaceInfo", AliyunRateClass.Other, SpaceInfo, allowEmptyBody: true);
    }

    private static Task<object> DriveInfo(AliyunCall call)
    {
        var account = call.Account;
        object info = new AliyunDriveInfo(
            account.UserId,
            account.Name,
            "",
            account.DriveId("default"),
            account.DriveId("resource"),
            account.DriveId("backup"));
        return Task.FromResult(info);
    }

    private static Task<object> SpaceInfo(AliyunCall call)
    {
        long used;
        lock (call.Fake.Gate)
        {
            used = call.Account.Drives.Sum(d => d.Tree.UsedBytes());
        }

        object info = new AliyunSpaceInfo(new AliyunPersonalSpace(used, call.Account.TotalSize));
        return Task.FromResult(info);
    }
}
