using OpenList.DriverHost.CloudFakes.Aliyun;
using OpenList.DriverHost.CloudFakes.DiskTop;

namespace OpenList.DriverHost.CloudFakes.Shared;

/// <summary>
/// <c>GET /oauth/authorize</c> is the real path of both Aliyundrive Open and Disk.Top, and the fake serves every
/// provider on one base URL. The client_id decides: an Aliyun app that Disk.Top does not know goes to Aliyun's
/// consent page, a Disk.Top app to Disk.Top's; a client neither knows goes by the scope's shape (Aliyun's
/// "user:base,…" has colons), so each provider answers its own "unknown client" page. Log entries, fault names
/// ("/oauth/authorize") and injected error formats follow the chosen provider.
/// </summary>
internal static class OAuthAuthorizeRoute
{
    public static void Map(IEndpointRouteBuilder routes, AliyunFake aliyun, DiskTopFake diskTop)
    {
        bool IsAliyun(HttpRequest request)
        {
            var clientId = request.Query["client_id"].ToString();
            if (diskTop.KnowsClient(clientId))
            {
                return false;
            }

            // A client neither knows: Aliyun scopes look like "user:base,…", Disk.Top's like "user.read files.app_data".
            return aliyun.RedirectUrisOf(clientId) is not null || request.Query["scope"].ToString().Contains(':', StringComparison.Ordinal);
        }

        var aliyunOperation = AliyunRoutes.Operation(AliyunAuthorizeEndpoint.Path);
        var diskTopOperation = DiskTopRoutes.OAuthOperation(DiskTopOAuthEndpoints.AuthorizePath);
        routes.MapGet(DiskTopOAuthEndpoints.AuthorizePath, context => IsAliyun(context.Request)
                ? AliyunAuthorizeEndpoint.HandleAsync(context, aliyun)
                : DiskTopOAuthEndpoints.Authorize(context, diskTop))
            .WithMetadata(diskTopOperation with { Resolve = request => IsAliyun(request) ? aliyunOperation : diskTopOperation });
    }
}
