using System.Globalization;
using Microsoft.AspNetCore.StaticFiles;
using OpenList.DriverHost.CloudFakes.Shared;

namespace OpenList.DriverHost.CloudFakes.Aliyun;

/// <summary>
/// getDownloadUrl and the signed links it hands out. A link is valid for expire_sec (default 900, at most
/// 14400 = 4 h; larger values are clamped), answers GET/HEAD with Range support, and 403 once expired,
/// invalidated (<see cref="AliyunFake.ExpireLinksNow"/>) or tampered with. No auth header is needed.
/// .livp files get <c>url:""</c> plus <c>streamsUrl.jpeg</c> / <c>streamsUrl.mov</c>; DESIGN: both streams
/// serve the stored bytes (the fake does not split Live Photos), under a .jpeg / .mov name.
/// </summary>
internal static class AliyunDownloadEndpoints
{
    public const string Operation = "download";
    private const string Purpose = "download";
    private const long DefaultExpireSeconds = 900;
    private const long MaxExpireSeconds = 14_400;
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    public static void Map(IEndpointRouteBuilder routes, AliyunFake fake)
    {
        AliyunRoutes.MapApi(routes, fake, AliyunRoutes.ApiPrefix + "/openFile/getDownloadUrl", AliyunRateClass.Link, GetDownloadUrl);
        routes.MapMethods("/_links/aliyun/download/{driveId}/{fileId}/{name}", [HttpMethods.Get, HttpMethods.Head], context => ServeAsync(context, fake))
            .WithMetadata(AliyunRoutes.Operation(Operation));
    }

    private static Task<object> GetDownloadUrl(AliyunCall call)
    {
        var seconds = call.Body.OptionalInt64("expire_sec") ?? DefaultExpireSeconds;
        if (seconds < 1)
        {
            throw AliyunErrors.Invalid("expire_sec", "must be positive");
        }

        var expires = call.Now + TimeSpan.FromSeconds(Math.Min(seconds, MaxExpireSeconds));
        lock (call.Fake.Gate)
        {
            var drive = call.Drive();
            var node = call.Node(drive);
            if (node.IsFolder)
            {
                throw AliyunErrors.Invalid("file_id", "is a folder");
            }

            var expiration = AliyunJson.Time(expires);
            object answer = FakePath.Extension(node.Name) == "livp"
                ? new AliyunDownloadUrl("", expiration, "GET", node.Size, new AliyunStreamsUrl(
                    Link(call.Fake, drive.DriveId, node, "jpeg", expires),
                    Link(call.Fake, drive.DriveId, node, "mov", expires)))
                : new AliyunDownloadUrl(Link(call.Fake, drive.DriveId, node, "", expires), expiration, "GET", node.Size, null);
            return Task.FromResult(answer);
        }
    }

    private static string Link(AliyunFake fake, string driveId, FileNode node, string variant, DateTimeOffset expires)
    {
        var name = variant.Length == 0 ? node.Name : System.IO.Path.ChangeExtension(node.Name, variant);
        var path = $"_links/aliyun/download/{driveId}/{node.Id}/{Uri.EscapeDataString(name)}";
        var query = fake.DownloadLinks.SignQuery(Purpose, Resource(driveId, node.Id, variant), expires);
        return new Uri(fake.BaseUrl, path) + query + (variant.Length == 0 ? "" : "&variant=" + variant);
    }

    private static async Task ServeAsync(HttpContext context, AliyunFake fake)
    {
        try
        {
            var driveId = (string)context.Request.RouteValues["driveId"]!;
            var fileId = (string)context.Request.RouteValues["fileId"]!;
            var variant = context.Request.Query["variant"].ToString();
            switch (fake.DownloadLinks.Check(Purpose, Resource(driveId, fileId, variant), context.Request.Query, fake.Time.GetUtcNow()))
            {
                case LinkCheck.BadSignature:
                    throw new FakeApiException(403, "SignatureDoesNotMatch", "The request signature does not match.");
                case LinkCheck.Expired:
                    throw new FakeApiException(403, "AccessDenied", "Request has expired.");
            }

            FileContent content;
            DateTimeOffset modified;
            string name;
            lock (fake.Gate)
            {
                var node = fake.FindDrive(driveId)?.Tree.GetLive(fileId);
                if (node?.Content is null)
                {
                    throw new FakeApiException(404, "NoSuchKey", "The file no longer exists.");
                }

                (content, modified, name) = (node.Content, node.UpdatedAt, node.Name);
            }

            if (variant.Length > 0)
            {
                name = System.IO.Path.ChangeExtension(name, variant);
            }

            var contentType = ContentTypes.TryGetContentType(name, out var type) ? type : "application/octet-stream";
            await RangeResponder.ServeAsync(context, content, contentType, modified, fake.Faults.TakeDownloadDrop);
        }
        catch (FakeApiException error)
        {
            await JsonErrorWriter.Instance.WriteAsync(context, error.ToFailure());
        }
    }

    private static string Resource(string driveId, string fileId, string variant) =>
        string.Create(CultureInfo.InvariantCulture, $"{driveId}/{fileId}/{variant}");
}
