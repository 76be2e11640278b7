using System.Globalization;
using Microsoft.AspNetCore.StaticFiles;
using OpenList.DriverHost.CloudFakes.Shared;

namespace OpenList.DriverHost.CloudFakes.Open115;

/// <summary>
/// <c>POST /open/ufile/downurl</c> (form <c>pick_code</c>) and the links it hands out. A link is bound to the
/// <c>User-Agent</c> of the downurl request (the signature covers it, empty included): a GET or HEAD with any
/// other User-Agent answers 403, like an expired (<see cref="Open115Fake.DownloadLinkLifetime"/>), invalidated
/// (<see cref="Open115Fake.ExpireLinksNow"/>) or tampered link. Range requests get 206 / 416. No auth header.
/// </summary>
internal static class Open115DownloadEndpoints
{
    public const string Operation = "download";
    private const string Purpose = "115-download";
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    public static void Map(IEndpointRouteBuilder routes, Open115Fake fake)
    {
        Open115Routes.MapApi(routes, fake, HttpMethods.Post, "/open/ufile/downurl", DownUrlAsync);
        routes.MapMethods("/_links/115/download/{userId}/{fileId}/{name}", [HttpMethods.Get, HttpMethods.Head], context => ServeAsync(context, fake))
            .WithMetadata(Open115Routes.Operation(Operation, Open115XmlErrorWriter.Instance));
    }

    /// <summary>
    /// <c>data</c> keyed by file id: <c>{"&lt;fid&gt;": {file_name, file_size, pick_code, sha1, url: {url}}}</c>.
    /// Unknown pick code → 430004; a folder's pick code → 990009 (DESIGN).
    /// </summary>
    private static async Task<object?> DownUrlAsync(Open115Call call)
    {
        var pickCode = call.Required("pick_code");
        var userAgent = call.Http.Request.Headers.UserAgent.ToString();
        FileSnapshot node;
        lock (call.Fake.Gate)
        {
            var found = call.Account.FindByPickCode(pickCode) ?? throw Open115Errors.ObjectNotFound();
            if (found.IsFolder)
            {
                throw Open115Errors.Forbidden("A folder cannot be downloaded.");
            }

            node = found.Snapshot();
        }

        var expires = call.Now + call.Fake.DownloadLinkLifetime;
        var userId = call.Account.UserId.ToString(CultureInfo.InvariantCulture);
        var path = $"_links/115/download/{userId}/{node.Id}/{Uri.EscapeDataString(node.Name)}";
        var url = new Uri(call.Fake.BaseUrl, path) + call.Fake.DownloadLinks.SignQuery(Purpose, Resource(userId, node.Id, userAgent), expires);
        return new Dictionary<string, object?>
        {
            [node.Id] = new Dictionary<string, object?>
            {
                ["file_name"] = node.Name,
                ["file_size"] = node.Size,
                ["pick_code"] = pickCode,
                ["sha1"] = await node.Content!.Sha1HexAsync(),
                ["url"] = new Dictionary<string, object?> { ["url"] = url },
            },
        };
    }

    private static async Task ServeAsync(HttpContext context, Open115Fake fake)
    {
        try
        {
            var userId = (string)context.Request.RouteValues["userId"]!;
            var fileId = (string)context.Request.RouteValues["fileId"]!;
            var userAgent = context.Request.Headers.UserAgent.ToString();
            switch (fake.DownloadLinks.Check(Purpose, Resource(userId, fileId, userAgent), context.Request.Query, fake.Time.GetUtcNow()))
            {
                case LinkCheck.BadSignature:
                    throw new FakeApiException(403, "AccessDenied", "The link is not valid for this User-Agent, or was tampered with.");
                case LinkCheck.Expired:
                    throw new FakeApiException(403, "AccessDenied", "The link has expired.");
            }

            FileContent content;
            DateTimeOffset modified;
            string name;
            lock (fake.Gate)
            {
                var node = fake.FindAccountUnlocked(userId)?.Tree.GetLive(fileId);
                if (node?.Content is null)
                {
                    throw new FakeApiException(404, "NoSuchKey", "The file no longer exists.");
                }

                (content, modified, name) = (node.Content, node.UpdatedAt, node.Name);
            }

            var contentType = ContentTypes.TryGetContentType(name, out var type) ? type : "application/octet-stream";
            await RangeResponder.ServeAsync(context, content, contentType, modified, fake.Faults.TakeDownloadDrop);
        }
        catch (FakeApiException error)
        {
            await Open115XmlErrorWriter.Instance.WriteAsync(context, error.ToFailure());
        }
    }

    private static string Resource(string userId, string fileId, string userAgent) => $"{userId}/{fileId}\n{userAgent}";
}
