using System.Globalization;
using System.Text;
using System.Xml.Linq;
using static OpenList.DriverHost.DriverHost.Tests.Clients.Replay;

namespace OpenList.DriverHost.DriverHost.Tests.Clients;

/// <summary>
/// Issue 7 item 1: Windows Explorer's WebClient (Mini-Redirector) sequences from webdav-clients.md §4.2, replayed
/// with its headers against a Local mount and a cloud mount: map the drive, list, open a file, copy a file in
/// (PROPFIND 404 → 0-byte PUT → LOCK → PROPPATCH Win32* → HEAD → PUT → PROPPATCH → UNLOCK), rename, delete.
/// </summary>
public sealed class MiniRedirectorReplayTests
{
    private const string UserAgent = "Microsoft-WebDAV-MiniRedir/10.0.19045";
    private static readonly (string, string) Translate = ("translate", "f");

    // Creation and modification times Explorer sends for a copied file (RFC 1123, as Windows writes them).
    private static readonly DateTimeOffset Created = new(2024, 3, 1, 8, 30, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Modified = new(2024, 3, 2, 9, 45, 12, TimeSpan.Zero);

    [Theory]
    [InlineData("local")]
    [InlineData("aliyun")]
    public async Task Map_list_open_copy_in_rename_and_delete_as_Explorer_does(string mount)
    {
        await using var host = await ReplayHost.StartAsync(mount, "win");
        var existing = Encoding.UTF8.GetBytes("already there\r\n");
        using (var seed = host.Host.Client())
        {
            Assert.Equal(201, (int)(await seed.SendBytes("PUT", host.Dir + "readme.txt", existing)).StatusCode);
        }

        // --- Map network drive: OPTIONS to the host root, unauthenticated, with the DAV headers in the answer.
        using var anonymous = host.Client("DavClnt", authenticated: false);
        var probe = await anonymous.Send("OPTIONS", "/", Translate);
        Assert.Equal(200, (int)probe.StatusCode);
        Assert.Contains("2", string.Join(",", probe.Headers.GetValues("DAV")), StringComparison.Ordinal);
        Assert.Equal("DAV", probe.Headers.GetValues("MS-Author-Via").Single());
        Assert.Contains("LOCK", string.Join(",", probe.Content.Headers.Allow), StringComparison.Ordinal);

        using var unauthenticated = host.Client(UserAgent, authenticated: false);
        var challenged = await unauthenticated.SendBytes("PROPFIND", "/dav", [], Translate, ("Depth", "0"));
        Assert.Equal(401, (int)challenged.StatusCode);
        Assert.Contains(challenged.Headers.WwwAuthenticate, h => h.Scheme == "Basic");

        using var explorer = host.Client(UserAgent);
        var root = await explorer.SendBytes("PROPFIND", "/dav", [], Translate, ("Depth", "0"));
        Assert.Equal(207, (int)root.StatusCode);
        var rootXml = await root.Xml();
        Assert.NotNull(rootXml.Descendants(D + "resourcetype").Single().Element(D + "collection"));

        // --- List the folder: Content-Length 0 is allprop, so every listed file carries the properties Explorer reads.
        var list = await explorer.SendBytes("PROPFIND", host.Dir, [], Translate, ("Depth", "1"));
        Assert.Equal(207, (int)list.StatusCode);
        var listXml = await list.Xml();
        Assert.Equal(["readme.txt"], MemberNames(listXml, host.Dir));
        Assert.Equal(existing.Length.ToString(CultureInfo.InvariantCulture), Prop(listXml, "readme.txt", D + "getcontentlength"));
        AssertRfc1123(Prop(listXml, "readme.txt", D + "getlastmodified"));
        AssertWindowsCreationDate(Prop(listXml, "readme.txt", D + "creationdate"));
        AssertWindowsCreationDate(Prop(listXml, "win", D + "creationdate"));

        // --- Open a file: PROPFIND Depth 0, then GET. The cloud mount redirects other clients; Explorer is streamed.
        var stat = await explorer.SendBytes("PROPFIND", host.Dir + "readme.txt", [], Translate, ("Depth", "0"));
        Assert.Equal(207, (int)stat.StatusCode);
        var open = await explorer.Send("GET", host.Dir + "readme.txt", Translate);
        Assert.Equal(200, (int)open.StatusCode);
        Assert.Equal(existing, await open.Content.ReadAsByteArrayAsync());

        // --- Copy a file in.
        var name = host.Dir + "Report 2024.docx";
        var content = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("quarterly numbers ", 500)));
        Assert.Equal(404, (int)(await explorer.SendBytes("PROPFIND", name, [], Translate, ("Depth", "0"))).StatusCode);

        var placeholder = await explorer.SendBytes("PUT", name, [], Translate);
        Assert.Equal(201, (int)placeholder.StatusCode);

        var locked = await explorer.SendXml("LOCK", name, LockBody, Translate, ("Timeout", "Second-3600"));
        Assert.Equal(200, (int)locked.StatusCode); // the placeholder exists, so this LOCK creates nothing
        var token = LockToken(locked);
        var ifHeader = ("If", $"({token})");

        var firstPatch = await explorer.SendXml("PROPPATCH", name, Win32Patch(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, "00000020"), Translate, ifHeader);
        await AssertAllWin32PropertiesOk(firstPatch);

        var head = await explorer.Send("HEAD", name, Translate);
        Assert.Equal(200, (int)head.StatusCode);
        Assert.Equal(0, head.Content.Headers.ContentLength);

        // Without the token the real PUT is refused: the LOCK really protects the file.
        Assert.Equal(423, (int)(await explorer.SendBytes("PUT", name, content, Translate)).StatusCode);
        var upload = await explorer.SendBytes("PUT", name, content, Translate, ifHeader);
        Assert.Equal(204, (int)upload.StatusCode);

        var secondPatch = await explorer.SendXml("PROPPATCH", name, Win32Patch(Created, Modified, "00000020"), Translate, ifHeader);
        await AssertAllWin32PropertiesOk(secondPatch);

        var unlocked = await explorer.Send("UNLOCK", name, Translate, ("Lock-Token", token));
        Assert.Equal(204, (int)unlocked.StatusCode);

        var copied = await (await explorer.SendBytes("PROPFIND", name, [], Translate, ("Depth", "0"))).Xml();
        Assert.Equal(content.Length.ToString(CultureInfo.InvariantCulture), Prop(copied, "Report 2024.docx", D + "getcontentlength"));
        Assert.Null(copied.Descendants(D + "lockdiscovery").SingleOrDefault()?.Element(D + "activelock"));
        if (!host.IsCloud)
        {
            // Local keeps modification times: Win32LastModifiedTime became the file's getlastmodified.
            Assert.Equal(Modified, DateTimeOffset.Parse(Prop(copied, "Report 2024.docx", D + "getlastmodified")!, CultureInfo.InvariantCulture));
        }

        var read = await explorer.Send("GET", name, Translate);
        Assert.Equal(content, await read.Content.ReadAsByteArrayAsync());

        // --- Rename (F2): MOVE with an absolute Destination and Overwrite: F.
        var renamed = host.Dir + "Report final.docx";
        var move = await explorer.Send("MOVE", name, Translate, ("Destination", host.Absolute(renamed)), ("Overwrite", "F"));
        Assert.Equal(201, (int)move.StatusCode);
        Assert.Equal(404, (int)(await explorer.SendBytes("PROPFIND", name, [], Translate, ("Depth", "0"))).StatusCode);
        var after = await (await explorer.SendBytes("PROPFIND", host.Dir, [], Translate, ("Depth", "1"))).Xml();
        Assert.Equal(["Report final.docx", "readme.txt"], MemberNames(after, host.Dir).Order(StringComparer.Ordinal));

        // --- Delete.
        Assert.Equal(204, (int)(await explorer.Send("DELETE", renamed, Translate)).StatusCode);
        Assert.Equal(404, (int)(await explorer.SendBytes("PROPFIND", renamed, [], Translate, ("Depth", "0"))).StatusCode);
        var last = await (await explorer.SendBytes("PROPFIND", host.Dir, [], Translate, ("Depth", "1"))).Xml();
        Assert.Equal(["readme.txt"], MemberNames(last, host.Dir));
    }

    private const string LockBody =
        "<?xml version=\"1.0\" encoding=\"utf-8\" ?><D:lockinfo xmlns:D=\"DAV:\"><D:lockscope><D:exclusive/></D:lockscope>"
        + "<D:locktype><D:write/></D:locktype><D:owner><D:href>DESKTOP-7Q2\\alice</D:href></D:owner></D:lockinfo>";

    private static string Win32Patch(DateTimeOffset created, DateTimeOffset modified, string attributes) =>
        "<?xml version=\"1.0\" encoding=\"utf-8\" ?><D:propertyupdate xmlns:D=\"DAV:\" xmlns:Z=\"urn:schemas-microsoft-com:\"><D:set><D:prop>"
        + $"<Z:Win32CreationTime>{created.ToString("R", CultureInfo.InvariantCulture)}</Z:Win32CreationTime>"
        + $"<Z:Win32LastAccessTime>{modified.ToString("R", CultureInfo.InvariantCulture)}</Z:Win32LastAccessTime>"
        + $"<Z:Win32LastModifiedTime>{modified.ToString("R", CultureInfo.InvariantCulture)}</Z:Win32LastModifiedTime>"
        + $"<Z:Win32FileAttributes>{attributes}</Z:Win32FileAttributes>"
        + "</D:prop></D:set></D:propertyupdate>";

    /// <summary>207, one propstat, 200, each Win32 property named with a real prefix (a bare URN name broke Windows 10).</summary>
    private static async Task AssertAllWin32PropertiesOk(HttpResponseMessage response)
    {
        Assert.Equal(207, (int)response.StatusCode);
        var xml = await response.Xml();
        var propstat = Assert.Single(xml.Descendants(D + "propstat"));
        Assert.Contains(" 200 ", (string?)propstat.Element(D + "status"), StringComparison.Ordinal);
        var names = propstat.Element(D + "prop")!.Elements().ToList();
        Assert.Equal(["Win32CreationTime", "Win32FileAttributes", "Win32LastAccessTime", "Win32LastModifiedTime"], names.Select(n => n.Name.LocalName).Order(StringComparer.Ordinal));
        Assert.All(names, n =>
        {
            Assert.Equal(Z, n.Name.Namespace);
            Assert.False(string.IsNullOrEmpty(n.GetPrefixOfNamespace(Z)), "Win32 property written without a namespace prefix");
        });
    }

    private static void AssertRfc1123(string? value)
    {
        Assert.NotNull(value);
        Assert.True(DateTimeOffset.TryParseExact(value, "R", CultureInfo.InvariantCulture, DateTimeStyles.None, out _), $"getlastmodified {value} is not RFC 1123");
    }

    /// <summary>RFC 3339 in UTC with at most 3 fractional digits: older Windows clients fail on 7 (NWebDav).</summary>
    private static void AssertWindowsCreationDate(string? value)
    {
        Assert.NotNull(value);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})$", value);
    }
}
