namespace OpenList.DriverHost.CloudFakes.Shared;

/// <summary>
/// The admin routes every provider with a consent page has (never faulted, like the other admin routes):
/// <c>POST /_fake/{provider}/next-tokens</c> (form or query <c>access_token</c> and/or <c>refresh_token</c>: the next
/// pair issued takes these values, e.g. hostile strings) and <c>POST /_fake/{provider}/deny-next-authorization</c>
/// (the next consent redirects with <c>error=access_denied</c>). 204 on success, 400 <c>{error}</c> otherwise.
/// </summary>
internal static class OAuthAdminEndpoints
{
    private static readonly FakeOperation Admin = new(FakeOperation.AdminProvider, "admin", JsonErrorWriter.Instance);

    /// <param name="provider">The path segment: aliyun, 115, 123 or disktop.</param>
    public static void Map(IEndpointRouteBuilder routes, string provider, Action<string?, string?> nextTokens, Action denyNext)
    {
        routes.MapPost($"/_fake/{provider}/next-tokens", async (HttpContext context) =>
        {
            var fields = context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
            if (context.Request.HasFormContentType)
            {
                foreach (var (key, value) in await context.Request.ReadFormAsync(context.RequestAborted))
                {
                    fields[key] = value.ToString();
                }
            }

            try
            {
                nextTokens(fields.GetValueOrDefault("access_token"), fields.GetValueOrDefault("refresh_token"));
                return Results.NoContent();
            }
            catch (ArgumentException ex)
            {
                return Results.BadRequest(new { error = ex.Message });
            }
        }).WithMetadata(Admin);
        routes.MapPost($"/_fake/{provider}/deny-next-authorization", () =>
        {
            denyNext();
            return Results.NoContent();
        }).WithMetadata(Admin);
    }
}
