using OpenList.DriverHost.CloudFakes.Aliyun;
using OpenList.DriverHost.CloudFakes.DiskTop;

namespace OpenList.DriverHost.CloudFakes.Shared;

/// <summary>
/// <c>GET /oauth/authorize</c> is the real path of both Aliyundrive Open and Disk.Top, and the fake serves every
/// provider on one base URL. The client_id decides: an Aliyun app that Disk.Top does not know goes to Aliyun's
/// consent page, everything else to Disk.Top's (its behaviour before Aliyun had one). Log entries, fault names
/// ("/oauth/authorize") and injected error formats follow the chosen provider.
/// </summary>
internal static class OAuthAuthorizeRoute
{
    public static void Map(IEndpointRouteBuilder routes, AliyunFake aliyun, DiskTopFake diskTop)
    {
        bool IsAliyun(HttpRequest request)
        {
            var clientId = request.Query["client_id"].ToString();
            return aliyun.RedirectUrisOf(clientId) is not null && !diskTop.KnowsClient(clientId);
        }

        var aliyunOperation = AliyunRoutes.Operation(AliyunAuthorizeEndpoint.Path);
        var diskTopOperation = DiskTopRoutes.OAuthOperation(DiskTopOAuthEndpoints.AuthorizePath);
        routes.MapGet(DiskTopOAuthEndpoints.AuthorizePath, context => IsAliyun(context.Request)
                ? AliyunAuthorizeEndpoint.HandleAsync(context, aliyun)
                : DiskTopOAuthEndpoints.Authorize(context, diskTop))
            .WithMetadata(diskTopOperation with { Resolve = request => IsAliyun(request) ? aliyunOperation : diskTopOperation });
    }
}
