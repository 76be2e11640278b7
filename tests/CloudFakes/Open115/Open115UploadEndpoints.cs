namespace OpenList.DriverHost.CloudFakes.Open115;

internal static class Open115UploadEndpoints
{
    public static void Map(IEndpointRouteBuilder routes, Open115Fake fake)
    {
        _ = routes;
        _ = fake;
    }
}
