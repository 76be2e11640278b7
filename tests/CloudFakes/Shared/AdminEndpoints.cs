using System.Globalization;

namespace OpenList.DriverHost.CloudFakes.Shared;

/// <summary>
/// A small control surface under /_fake/ for standalone use (curl), mirroring the in-process API.
/// Exempt from fault injection. Everything is POST except GET /_fake/requests.
/// </summary>
internal static class AdminEndpoints
{
    private static readonly FakeOperation Admin = new(FakeOperation.AdminProvider, "admin", JsonErrorWriter.Instance);

    public static void Map(IEndpointRouteBuilder routes, FaultInjector faults, RequestLog requests, AliyunFake aliyun)
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
