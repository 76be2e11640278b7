using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.StaticFiles;
using OpenList.DriverHost.CloudFakes.Shared;

namespace OpenList.DriverHost.CloudFakes.Open123;

/// <summary>
/// download_info (signed expiring links, GET/HEAD with Range, 403 once expired, invalidated or tampered with, 404
/// once the file is trashed) and the direct-link API. Direct links are path-based like the real ones
/// (<c>&lt;base&gt;/123-direct/&lt;uid&gt;/&lt;path from the root&gt;</c>), so a renamed or moved file's old link is 404. When the
/// account has a <see cref="Open123Account.DirectLinkPrivateKey"/>, a direct link needs
/// <c>auth_key=&lt;exp_ts&gt;-&lt;rand&gt;-&lt;uid&gt;-&lt;md5hex("&lt;urlpath&gt;-&lt;exp_ts&gt;-&lt;rand&gt;-&lt;uid&gt;-&lt;privateKey&gt;")&gt;</c> (spec §5):
/// missing, malformed, tampered (403) or expired (403 once now ≥ exp_ts).
/// </summary>
internal static class Open123DownloadEndpoints
{
    public const string Operation = "download";
    private const string Purpose = "123-download";
    private const string DownloadPrefix = "123-download";
    private const string DirectPrefix = "123-direct";
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    public static void Map(IEndpointRouteBuilder routes, Open123Fake fake)
    {
        Open123Routes.MapApi(routes, fake, HttpMethods.Get, "/api/v1/file/download_info", DownloadInfo);
        Open123Routes.MapApi(routes, fake, HttpMethods.Get, "/api/v1/direct-link/url", DirectLink);
        var operation = new FakeOperation(Open123Fake.Provider, Operation, JsonErrorWriter.Instance);
        routes.MapMethods($"/{DownloadPrefix}/{{uid:long}}/{{fileId:long}}/{{name}}", [HttpMethods.Get, HttpMethods.Head], context => ServeSignedAsync(context, fake))
            .WithMetadata(operation);
        routes.MapMethods($"/{DirectPrefix}/{{uid:long}}/{{**path}}", [HttpMethods.Get, HttpMethods.Head], context => ServeDirectAsync(context, fake))
            .WithMetadata(operation);
    }

    /// <summary><c>?fileId=</c> → <c>{downloadUrl}</c>; 5066 for an unknown or trashed id, 5113 when the account's traffic is used up; a folder is code 1.</summary>
    private static Task<object?> DownloadInfo(Open123Call call)
    {
        var id = call.QueryId("fileId");
        lock (call.Fake.Gate)
        {
            var node = call.Account.GetLive(id) ?? throw Open123Errors.NotFound();
            if (node.IsFolder)
            {
                throw Open123Errors.Invalid("文件夹不支持下载");
            }

            if (call.Account.DownloadTrafficExceeded)
            {
                throw Open123Errors.DownloadTrafficExceeded();
            }

            var resource = Resource(call.Account.Uid, node.Id);
            var path = $"{DownloadPrefix}/{call.Account.Uid}/{node.Id}/{Uri.EscapeDataString(node.Name)}";
            var query = call.Fake.DownloadLinks.SignQuery(Purpose, resource, call.Now + call.Fake.DownloadLinkLifetime);
            return Task.FromResult<object?>(new Open123DownloadData(new Uri(call.Fake.BaseUrl, path) + query));
        }
    }

    /// <summary><c>?fileID=</c> → <c>{url}</c>, the file's unsigned direct link (clients add auth_key themselves).</summary>
    private static Task<object?> DirectLink(Open123Call call)
    {
        var id = call.QueryId("fileID");
        lock (call.Fake.Gate)
        {
            var node = call.Account.GetLive(id) ?? throw Open123Errors.NotFound();
            if (node.IsFolder)
            {
                throw Open123Errors.Invalid("文件夹不支持直链");
            }

            var segments = call.Account.PathOf(node).Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.EscapeDataString);
            var path = $"{DirectPrefix}/{call.Account.Uid}/{string.Join('/', segments)}";
            return Task.FromResult<object?>(new Open123DirectLinkData(new Uri(call.Fake.BaseUrl, path).AbsoluteUri));
        }
    }

    private static async Task ServeSignedAsync(HttpContext context, Open123Fake fake)
    {
        try
        {
            var uid = long.Parse((string)context.Request.RouteValues["uid"]!, CultureInfo.InvariantCulture);
            var fileId = long.Parse((string)context.Request.RouteValues["fileId"]!, CultureInfo.InvariantCulture);
            switch (fake.DownloadLinks.Check(Purpose, Resource(uid, fileId), context.Request.Query, fake.Time.GetUtcNow()))
            {
                case LinkCheck.BadSignature:
                    throw new FakeApiException(403, "SignatureDoesNotMatch", "The request signature does not match.");
                case LinkCheck.Expired:
                    throw new FakeApiException(403, "AccessDenied", "Request has expired.");
            }

            Open123Node node;
            lock (fake.Gate)
            {
                node = fake.FindAccountLocked(uid)?.GetLive(fileId) is { IsFolder: false } live
                    ? live
                    : throw new FakeApiException(404, "NoSuchKey", "The file no longer exists.");
            }

            await ServeAsync(context, fake, node);
        }
        catch (FakeApiException error)
        {
            await JsonErrorWriter.Instance.WriteAsync(context, error.ToFailure());
        }
    }

    private static async Task ServeDirectAsync(HttpContext context, Open123Fake fake)
    {
        try
        {
            var uid = long.Parse((string)context.Request.RouteValues["uid"]!, CultureInfo.InvariantCulture);
            var path = "/" + ((string?)context.Request.RouteValues["path"] ?? "");
            Open123Node? node;
            string? key;
            lock (fake.Gate)
            {
                var account = fake.FindAccountLocked(uid);
                key = account?.DirectLinkPrivateKey;
                node = account?.Resolve(path);
            }

            if (key is not null)
            {
                CheckAuthKey(context, uid, key, fake.Time.GetUtcNow());
            }

            if (node is not { IsFolder: false })
            {
                throw new FakeApiException(404, "NoSuchKey", "The file does not exist.");
            }

            await ServeAsync(context, fake, node);
        }
        catch (FakeApiException error)
        {
            await JsonErrorWriter.Instance.WriteAsync(context, error.ToFailure());
        }
    }

    /// <summary>Verifies <c>auth_key</c> over the request's (decoded) URL path, as the client signed <c>url.Path</c>.</summary>
    private static void CheckAuthKey(HttpContext context, long uid, string privateKey, DateTimeOffset now)
    {
        var authKey = context.Request.Query["auth_key"].ToString();
        var parts = authKey.Split('-');
        if (parts.Length != 4
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
            || parts[1].Length == 0
            || parts[2] != uid.ToString(CultureInfo.InvariantCulture))
        {
            throw new FakeApiException(403, "AuthKeyInvalid", "auth_key is missing or malformed.");
        }

        var urlPath = context.Request.PathBase.Value + context.Request.Path.Value;
        var expected = Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes($"{urlPath}-{parts[0]}-{parts[1]}-{parts[2]}-{privateKey}")));
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(parts[3])))
        {
            throw new FakeApiException(403, "AuthKeyInvalid", "auth_key does not match.");
        }

        if (now.ToUnixTimeSeconds() >= expires)
        {
            throw new FakeApiException(403, "AuthKeyExpired", "auth_key has expired.");
        }
    }

    private static Task ServeAsync(HttpContext context, Open123Fake fake, Open123Node node)
    {
        var contentType = ContentTypes.TryGetContentType(node.Name, out var type) ? type : "application/octet-stream";
        return RangeResponder.ServeAsync(context, node.Content!.Data, contentType, node.UpdatedAt, fake.Faults.TakeDownloadDrop);
    }

    private static string Resource(long uid, long fileId) => string.Create(CultureInfo.InvariantCulture, $"{uid}/{fileId}");
}
