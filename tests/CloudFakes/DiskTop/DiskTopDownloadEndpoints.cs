using System.Globalization;
using System.Text;
using OpenList.DriverHost.CloudFakes.Shared;

namespace OpenList.DriverHost.CloudFakes.DiskTop;

/// <summary>
/// <c>GET /v1/files/{id}/download</c> → a signed link valid <see cref="DiskTopFake.LinkLifetime"/> (600 s) that
/// answers GET/HEAD with Range (206, 416) and 403 once expired, invalidated or tampered with; no auth header is
/// needed (one is ignored). <c>GET /v1/files/{id}/stream</c> → for video files (by extension) a signed HLS master
/// playlist whose single quality ("1080p") plays the file as one segment; other files are 400.
/// </summary>
internal static class DiskTopDownloadEndpoints
{
    public const string Operation = "download";
    public const string StreamOperation = "stream";
    private const string DownloadPurpose = "disktop-download";
    private const string HlsPurpose = "disktop-hls";
    private static readonly HashSet<string> VideoExtensions = new(StringComparer.Ordinal) { "mp4", "mkv", "mov", "avi", "wmv", "flv", "webm", "m4v", "ts", "rmvb", "3gp", "mpg", "mpeg" };

    public static void Map(IEndpointRouteBuilder routes, DiskTopFake fake)
    {
        DiskTopRoutes.MapApi(routes, fake, HttpMethods.Get, "/v1/files/{id}/download", DownloadAsync);
        DiskTopRoutes.MapApi(routes, fake, HttpMethods.Get, "/v1/files/{id}/stream", Stream);
        routes.MapMethods("/_links/disktop/download/{uid}/{fileId}/{name}", [HttpMethods.Get, HttpMethods.Head], context => ServeAsync(context, fake))
            .WithMetadata(DiskTopRoutes.Operation(fake, Operation, realStatus: true));
        routes.MapGet("/_links/disktop/hls/{uid}/{fileId}/{playlist}", context => PlaylistAsync(context, fake))
            .WithMetadata(DiskTopRoutes.Operation(fake, StreamOperation, realStatus: true));
    }

    private static async Task<object> DownloadAsync(DiskTopCall call)
    {
        var id = DiskTopFileEndpoints.RouteId(call);
        DiskTopNode file;
        lock (call.Fake.Gate)
        {
            file = call.File(id);
        }

        var expires = call.Now + call.Fake.LinkLifetime;
        return new DiskTopDownload(DownloadLink(call.Fake, call.Account.Uid, file, expires), (int)call.Fake.LinkLifetime.TotalSeconds, file.Name, file.Size, await file.Content!.Md5);
    }

    private static Task<object> Stream(DiskTopCall call)
    {
        var id = DiskTopFileEndpoints.RouteId(call);
        DiskTopNode file;
        lock (call.Fake.Gate)
        {
            file = call.File(id);
        }

        if (!VideoExtensions.Contains(FakePath.Extension(file.Name)))
        {
            throw DiskTopErrors.BadRequest($"file {id} is not a video");
        }

        var expires = call.Now + call.Fake.LinkLifetime;
        var master = HlsLink(call.Fake, call.Account.Uid, file.Id, "master.m3u8", expires);
        var media = HlsLink(call.Fake, call.Account.Uid, file.Id, "index.m3u8", expires);
        object answer = new DiskTopStream(master, Duration(file.Size), [new DiskTopQuality("1080p", media)], (int)call.Fake.LinkLifetime.TotalSeconds);
        return Task.FromResult(answer);
    }

    /// <summary>DESIGN: the fake's "video" plays at 1 Mbit/s, so its duration is size / 125000 s (at least 1).</summary>
    private static long Duration(long size) => Math.Max(1, size / 125_000);

    private static string DownloadLink(DiskTopFake fake, long uid, DiskTopNode file, DateTimeOffset expires)
    {
        var path = string.Create(CultureInfo.InvariantCulture, $"_links/disktop/download/{uid}/{file.Id}/{Uri.EscapeDataString(file.Name)}");
        return new Uri(fake.BaseUrl, path) + fake.Links.SignQuery(DownloadPurpose, Resource(uid, file.Id, ""), expires);
    }

    private static string HlsLink(DiskTopFake fake, long uid, long fileId, string playlist, DateTimeOffset expires)
    {
        var path = string.Create(CultureInfo.InvariantCulture, $"_links/disktop/hls/{uid}/{fileId}/{playlist}");
        return new Uri(fake.BaseUrl, path) + fake.Links.SignQuery(HlsPurpose, Resource(uid, fileId, playlist), expires);
    }

    private static async Task ServeAsync(HttpContext context, DiskTopFake fake)
    {
        try
        {
            var (account, fileId) = Check(context, fake, DownloadPurpose, "");
            DiskTopNode file;
            lock (fake.Gate)
            {
                file = account.Files.GetValueOrDefault(fileId) ?? throw DiskTopErrors.NotFound("the file no longer exists");
            }

            var encoded = Uri.EscapeDataString(file.Name);
            context.Response.Headers.ContentDisposition = $"attachment; filename*=UTF-8''{encoded}";
            await RangeResponder.ServeAsync(context, file.Content!.Data, file.Mime, file.CreatedAt, fake.Faults.TakeDownloadDrop);
        }
        catch (DiskTopException error)
        {
            await DiskTopJson.WriteErrorAsync(context, fake, error.Status, error.Message, realStatus: true);
        }
    }

    private static async Task PlaylistAsync(HttpContext context, DiskTopFake fake)
    {
        try
        {
            var playlist = (string)context.Request.RouteValues["playlist"]!;
            if (playlist is not ("master.m3u8" or "index.m3u8"))
            {
                throw DiskTopErrors.NotFound("no such playlist");
            }

            var (account, fileId) = Check(context, fake, HlsPurpose, playlist);
            DiskTopNode file;
            lock (fake.Gate)
            {
                file = account.Files.GetValueOrDefault(fileId) ?? throw DiskTopErrors.NotFound("the file no longer exists");
            }

            var expires = DateTimeOffset.FromUnixTimeSeconds(long.Parse(context.Request.Query["x-expires"].ToString(), CultureInfo.InvariantCulture));
            var text = new StringBuilder("#EXTM3U\n");
            if (playlist == "master.m3u8")
            {
                text.Append("#EXT-X-STREAM-INF:BANDWIDTH=1000000,RESOLUTION=1920x1080,NAME=\"1080p\"\n")
                    .Append(HlsLink(fake, account.Uid, fileId, "index.m3u8", expires)).Append('\n');
            }
            else
            {
                var duration = Duration(file.Size);
                text.Append(CultureInfo.InvariantCulture, $"#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:{duration}\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXTINF:{duration}.0,\n")
                    .Append(DownloadLink(fake, account.Uid, file, expires)).Append("\n#EXT-X-ENDLIST\n");
            }

            context.Response.ContentType = "application/vnd.apple.mpegurl";
            await context.Response.WriteAsync(text.ToString(), context.RequestAborted);
        }
        catch (DiskTopException error)
        {
            await DiskTopJson.WriteErrorAsync(context, fake, error.Status, error.Message, realStatus: true);
        }
    }

    /// <summary>Verifies the link's signature and expiry; returns its account and file id.</summary>
    private static (DiskTopAccount Account, long FileId) Check(HttpContext context, DiskTopFake fake, string purpose, string variant)
    {
        var values = context.Request.RouteValues;
        if (!long.TryParse((string?)values["uid"], NumberStyles.None, CultureInfo.InvariantCulture, out var uid)
            || !long.TryParse((string?)values["fileId"], NumberStyles.None, CultureInfo.InvariantCulture, out var fileId))
        {
            throw DiskTopErrors.NotFound("no such link");
        }

        switch (fake.Links.Check(purpose, Resource(uid, fileId, variant), context.Request.Query, fake.Time.GetUtcNow()))
        {
            case LinkCheck.BadSignature:
                throw DiskTopErrors.Forbidden("link signature does not match");
            case LinkCheck.Expired:
                throw DiskTopErrors.Forbidden("link expired");
        }

        lock (fake.Gate)
        {
            var account = fake.Accounts.FirstOrDefault(a => a.Uid == uid) ?? throw DiskTopErrors.NotFound("no such link");
            return (account, fileId);
        }
    }

    private static string Resource(long uid, long fileId, string variant) =>
        string.Create(CultureInfo.InvariantCulture, $"{uid}/{fileId}/{variant}");
}
