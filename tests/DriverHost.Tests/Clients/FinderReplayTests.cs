using System.Globalization;
using System.Text;
using static OpenList.DriverHost.DriverHost.Tests.Clients.Replay;

namespace OpenList.DriverHost.DriverHost.Tests.Clients;

/// <summary>
/// Issue 7 item 2: macOS Finder (WebDAVFS/3.0.0) sequences from webdav-clients.md §4.1, against a Local mount and a
/// cloud mount: mount (OPTIONS, quota PROPFIND, the system-name probes), browse (with a <c>._name</c> and
/// <c>.DS_Store</c> probe per file, answered from the cached listing without an upstream call), copy in (LOCK of
/// an unmapped URL, chunked PUT with <c>X-Expected-Entity-Length</c>, AppleDouble sidecar, UNLOCK), rename,
/// delete; and <c>ignore_system_files</c>.
/// </summary>
public sealed class FinderReplayTests
{
    private const string UserAgent = "WebDAVFS/3.0.0 (03008000) Darwin/22.6.0 (x86_64)";

    private const string MountProps =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><D:propfind xmlns:D=\"DAV:\"><D:prop><D:getlastmodified/><D:getcontentlength/>"
        + "<D:creationdate/><D:resourcetype/></D:prop></D:propfind>";

    private const string QuotaProps =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><D:propfind xmlns:D=\"DAV:\"><D:prop><D:quota-available-bytes/><D:quota-used-bytes/>"
        + "<D:quota/><D:quotaused/></D:prop></D:propfind>";

    private const string LockBody =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><D:lockinfo xmlns:D=\"DAV:\"><D:lockscope><D:exclusive/></D:lockscope>"
        + "<D:locktype><D:write/></D:locktype><D:owner><D:href>http://www.apple.com/webdav_fs/</D:href></D:owner></D:lockinfo>";

    [Theory]
    [InlineData("local")]
    [InlineData("aliyun")]
    public async Task Mount_browse_copy_in_rename_and_delete_as_Finder_does(string mount)
    {
        await using var host = await ReplayHost.StartAsync(mount, "mac");
        var existing = Encoding.UTF8.GetBytes("hello from the server");
        using (var seed = host.Host.Client())
        {
            Assert.Equal(201, (int)(await seed.SendBytes("PUT", host.Dir + "readme.txt", existing)).StatusCode);
        }

        // --- Connect to Server: OPTIONS (class 2, or Finder mounts read-only), then PROPFINDs of the root incl. quota.
        using var anonymous = host.Client(UserAgent, authenticated: false);
        var options = await anonymous.Send("OPTIONS", "/dav/");
        Assert.Equal(200, (int)options.StatusCode);
        Assert.Equal("1, 2", options.Headers.GetValues("DAV").Single());
        Assert.Equal(401, (int)(await anonymous.SendXml("PROPFIND", "/dav/", MountProps, ("Depth", "0"))).StatusCode);

        using var finder = host.Client(UserAgent);
        Assert.Equal(207, (int)(await finder.SendXml("PROPFIND", "/dav/", MountProps, ("Depth", "0"))).StatusCode);
        Assert.Equal(207, (int)(await finder.SendXml("PROPFIND", "/dav/", QuotaProps, ("Depth", "0"))).StatusCode);
        foreach (var probe in new[] { "._.", ".Spotlight-V100", "mach_kernel", "Backups.backupdb", ".metadata_never_index", ".ql_disablethumbnails", ".localized" })
        {
            Assert.Equal(404, (int)(await finder.SendXml("PROPFIND", "/dav/" + probe, MountProps, ("Depth", "0"))).StatusCode);
        }

        // --- Browse: the listing, then the AppleDouble and .DS_Store probes Finder sends for what it listed.
        var listing = await finder.SendXml("PROPFIND", host.Dir, MountProps, ("Depth", "1"));
        Assert.Equal(207, (int)listing.StatusCode);
        var listXml = await listing.Xml();
        Assert.Equal(["readme.txt"], MemberNames(listXml, host.Dir));
        Assert.NotNull(Prop(listXml, "readme.txt", D + "creationdate"));

        host.ClearUpstream();
        foreach (var probe in new[] { "._readme.txt", ".DS_Store", "._.", ".localized" })
        {
            Assert.Equal(404, (int)(await finder.SendXml("PROPFIND", host.Dir + probe, MountProps, ("Depth", "0"))).StatusCode);
        }

        Assert.Equal(207, (int)(await finder.SendXml("PROPFIND", host.Dir + "readme.txt", MountProps, ("Depth", "0"))).StatusCode);
        Assert.Equal(0, host.UpstreamCalls); // answered from the cached parent listing: a 404 costs no cloud call

        // --- Open: streamed to Finder even on a 302_redirect mount (WebDAVFS is not trusted to follow).
        var open = await finder.Send("GET", host.Dir + "readme.txt");
        Assert.Equal(200, (int)open.StatusCode);
        Assert.Equal(existing, await open.Content.ReadAsByteArrayAsync());

        // --- Copy in: LOCK the new name (201, creates it), chunked PUT with the token, the ._ sidecar, UNLOCK.
        var name = host.Dir + "photo 1.jpg";
        var sidecar = host.Dir + "._photo 1.jpg";
        var photo = Enumerable.Range(0, 200_000).Select(i => (byte)(i * 7)).ToArray();
        Assert.Equal(404, (int)(await finder.SendXml("PROPFIND", name, MountProps, ("Depth", "0"))).StatusCode);
        Assert.Equal(404, (int)(await finder.SendXml("PROPFIND", sidecar, MountProps, ("Depth", "0"))).StatusCode);

        var locked = await finder.SendXml("LOCK", name, LockBody, ("Depth", "0"), ("Timeout", "Second-600"));
        Assert.Equal(201, (int)locked.StatusCode);
        var token = LockToken(locked);

        var put = await finder.PutChunked(name, photo, ("If", $"({token})"), ("X-Expected-Entity-Length", photo.Length.ToString(CultureInfo.InvariantCulture)));
        Assert.Equal(204, (int)put.StatusCode);
        var appleDouble = new byte[4096];
        appleDouble[1] = 0x05; // AppleDouble magic 0x00051607
        appleDouble[2] = 0x16;
        appleDouble[3] = 0x07;
        Assert.Equal(201, (int)(await finder.PutChunked(sidecar, appleDouble, ("X-Expected-Entity-Length", "4096"))).StatusCode);
        Assert.Equal(204, (int)(await finder.Send("UNLOCK", name, ("Lock-Token", token))).StatusCode);

        var stat = await (await finder.SendXml("PROPFIND", name, MountProps, ("Depth", "0"))).Xml();
        Assert.Equal(photo.Length.ToString(CultureInfo.InvariantCulture), Prop(stat, "photo 1.jpg", D + "getcontentlength"));
        Assert.Equal(photo, await (await finder.Send("GET", name)).Content.ReadAsByteArrayAsync());

        // --- Rename the file and its sidecar.
        var renamed = host.Dir + "holiday.jpg";
        Assert.Equal(201, (int)(await finder.Send("MOVE", name, ("Destination", host.Absolute(renamed)), ("Overwrite", "F"))).StatusCode);
        Assert.Equal(201, (int)(await finder.Send("MOVE", sidecar, ("Destination", host.Absolute(host.Dir + "._holiday.jpg")), ("Overwrite", "F"))).StatusCode);
        var afterRename = await (await finder.SendXml("PROPFIND", host.Dir, MountProps, ("Depth", "1"))).Xml();
        Assert.Equal(["._holiday.jpg", "holiday.jpg", "readme.txt"], MemberNames(afterRename, host.Dir).Order(StringComparer.Ordinal));
        Assert.Equal(photo.Length.ToString(CultureInfo.InvariantCulture), Prop(afterRename, "/holiday.jpg", D + "getcontentlength"));

        // --- Move to Trash on a network volume deletes both.
        Assert.Equal(204, (int)(await finder.Send("DELETE", renamed)).StatusCode);
        Assert.Equal(204, (int)(await finder.Send("DELETE", host.Dir + "._holiday.jpg")).StatusCode);
        var afterDelete = await (await finder.SendXml("PROPFIND", host.Dir, MountProps, ("Depth", "1"))).Xml();
        Assert.Equal(["readme.txt"], MemberNames(afterDelete, host.Dir));
    }

    [Theory]
    [InlineData("local")]
    [InlineData("aliyun")]
    public async Task With_ignore_system_files_Finder_and_Explorer_litter_is_refused_without_reaching_the_storage(string mount)
    {
        await using var host = await ReplayHost.StartAsync(mount, "litter", storageExtra: "\"ignore_system_files\": true");
        using var finder = host.Client(UserAgent);
        Assert.Equal(201, (int)(await finder.PutChunked(host.Dir + "readme.txt", [1, 2, 3], ("X-Expected-Entity-Length", "3"))).StatusCode);
        Assert.Equal(207, (int)(await finder.SendXml("PROPFIND", host.Dir, MountProps, ("Depth", "1"))).StatusCode);

        host.ClearUpstream();
        Assert.Equal(403, (int)(await finder.PutChunked(host.Dir + ".DS_Store", [0, 0, 0, 1], ("X-Expected-Entity-Length", "4"))).StatusCode);
        Assert.Equal(403, (int)(await finder.PutChunked(host.Dir + "._readme.txt", [0, 5, 22, 7], ("X-Expected-Entity-Length", "4"))).StatusCode);
        Assert.Equal(403, (int)(await finder.SendXml("LOCK", host.Dir + "._new.txt", LockBody, ("Depth", "0"))).StatusCode);
        Assert.Equal(403, (int)(await finder.SendBytes("PUT", host.Dir + "Thumbs.db", [1])).StatusCode);
        Assert.Equal(403, (int)(await finder.SendBytes("PUT", host.Dir + "desktop.ini", [1])).StatusCode);
        Assert.Equal(403, (int)(await finder.Send("MKCOL", host.Dir + "@eaDir")).StatusCode);
        Assert.Equal(403, (int)(await finder.Send("COPY", host.Dir + "readme.txt", ("Destination", host.Absolute(host.Dir + "._copy")))).StatusCode);
        Assert.Equal(0, host.UpstreamCalls);

        // Ordinary names still go through, and nothing of the litter was stored.
        Assert.Equal(201, (int)(await finder.SendBytes("PUT", host.Dir + "DS_Store.txt", [1])).StatusCode);
        var listing = await (await finder.SendXml("PROPFIND", host.Dir, MountProps, ("Depth", "1"), ("Cache-Control", "no-cache"))).Xml();
        Assert.Equal(["DS_Store.txt", "readme.txt"], MemberNames(listing, host.Dir).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Without_ignore_system_files_the_litter_is_stored()
    {
        await using var host = await ReplayHost.StartAsync("local", "kept");
        using var finder = host.Client(UserAgent);
        Assert.Equal(201, (int)(await finder.PutChunked(host.Dir + ".DS_Store", [0, 0, 0, 1], ("X-Expected-Entity-Length", "4"))).StatusCode);
        Assert.Equal(201, (int)(await finder.Send("MKCOL", host.Dir + "@eaDir")).StatusCode);
    }
}
