using System.Net;

namespace OpenList.DriverHost.DriverHost.Tests.Functional;

/// <summary>MKCOL, DELETE, COPY, MOVE, PROPPATCH on the real host.</summary>
public sealed class WriteMethodTests : IAsyncLifetime
{
    private HostFixture _host = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _host = await HostFixture.StartAsync();
        _client = _host.Client();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private string Abs(string path) => new Uri(_host.BaseAddress, path).AbsoluteUri;

    [Fact]
    public async Task Mkcol_status_codes()
    {
        Assert.Equal(201, (int)(await _client.SendAsync("MKCOL", "/dav/local/c/")).StatusCode);
        Assert.Equal(405, (int)(await _client.SendAsync("MKCOL", "/dav/local/c/")).StatusCode);
        Assert.Equal(409, (int)(await _client.SendAsync("MKCOL", "/dav/local/no/parent/")).StatusCode);
        var withBody = Dav.Request("MKCOL", "/dav/local/b/");
        withBody.Content = new StringContent("afafafaf", null, "xzy-foo/bar-512");
        Assert.Equal(415, (int)(await _client.SendAsync(withBody)).StatusCode);
        Assert.False(Directory.Exists(Path.Combine(_host.Data, "b")));
    }

    [Fact]
    public async Task Delete_is_recursive_and_a_fragment_is_a_literal_name()
    {
        await _client.MkcolAsync("/dav/local/frag/");
        await _client.PutTextAsync("/dav/local/frag/x.txt", "x");
        Assert.Equal(404, (int)(await _client.SendAsync("DELETE", "/dav/local/frag/%23ment")).StatusCode);
        Assert.True(Directory.Exists(Path.Combine(_host.Data, "frag")));
        Assert.Equal(204, (int)(await _client.SendAsync("DELETE", "/dav/local/frag/")).StatusCode);
        Assert.False(Directory.Exists(Path.Combine(_host.Data, "frag")));
        Assert.Equal(404, (int)(await _client.SendAsync("DELETE", "/dav/local/frag/")).StatusCode);
    }

    [Fact]
    public async Task Copy_and_move_status_codes()
    {
        await _client.PutTextAsync("/dav/local/src.txt", "source");
        Assert.Equal(201, (int)(await _client.SendAsync("COPY", "/dav/local/src.txt", null, ("Destination", Abs("/dav/local/dst.txt")))).StatusCode);
        Assert.Equal(412, (int)(await _client.SendAsync("COPY", "/dav/local/src.txt", null, ("Destination", Abs("/dav/local/dst.txt")), ("Overwrite", "F"))).StatusCode);
        Assert.Equal(204, (int)(await _client.SendAsync("COPY", "/dav/local/src.txt", null, ("Destination", "/dav/local/dst.txt"))).StatusCode); // absolute path, Overwrite absent = T
        Assert.Equal(409, (int)(await _client.SendAsync("COPY", "/dav/local/src.txt", null, ("Destination", Abs("/dav/local/none/x.txt")))).StatusCode);
        Assert.Equal(403, (int)(await _client.SendAsync("COPY", "/dav/local/src.txt", null, ("Destination", Abs("/dav/local/src.txt")))).StatusCode);
        Assert.Equal(502, (int)(await _client.SendAsync("COPY", "/dav/local/src.txt", null, ("Destination", "http://elsewhere.example:81/dav/local/x.txt"))).StatusCode);
        Assert.Equal(400, (int)(await _client.SendAsync("COPY", "/dav/local/src.txt")).StatusCode);
        Assert.Equal(400, (int)(await _client.SendAsync("MOVE", "/dav/local/src.txt", null, ("Destination", Abs("/dav/local/m.txt")), ("Depth", "0"))).StatusCode);

        Assert.Equal(201, (int)(await _client.SendAsync("MOVE", "/dav/local/src.txt", null, ("Destination", Abs("/dav/local/moved.txt")))).StatusCode);
        Assert.False(File.Exists(Path.Combine(_host.Data, "src.txt")));
        Assert.Equal("source", await File.ReadAllTextAsync(Path.Combine(_host.Data, "moved.txt")));
    }

    [Fact]
    public async Task Overwriting_a_collection_replaces_it_instead_of_merging()
    {
        await _client.MkcolAsync("/dav/local/a/");
        await _client.PutTextAsync("/dav/local/a/one.txt", "1");
        await _client.MkcolAsync("/dav/local/b/");
        await _client.PutTextAsync("/dav/local/b/extra.txt", "e");
        var response = await _client.SendAsync("COPY", "/dav/local/a/", null, ("Destination", Abs("/dav/local/b/")), ("Overwrite", "T"));
        Assert.Equal(204, (int)response.StatusCode);
        Assert.True(File.Exists(Path.Combine(_host.Data, "b", "one.txt")));
        Assert.False(File.Exists(Path.Combine(_host.Data, "b", "extra.txt")));
    }

    [Fact]
    public async Task Shallow_copy_of_a_collection_has_no_members()
    {
        await _client.MkcolAsync("/dav/local/deep/");
        await _client.PutTextAsync("/dav/local/deep/m.txt", "m");
        Assert.Equal(201, (int)(await _client.SendAsync("COPY", "/dav/local/deep/", null, ("Destination", Abs("/dav/local/shallow/")), ("Depth", "0"))).StatusCode);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_host.Data, "shallow")));
    }

    [Fact]
    public async Task Dead_properties_round_trip_travel_with_move_and_survive_restart()
    {
        await _client.PutTextAsync("/dav/local/p.txt", "p");
        const string patch = """
            <?xml version="1.0"?>
            <D:propertyupdate xmlns:D="DAV:" xmlns:X="urn:test:">
              <D:set><D:prop><X:color xml:lang="en">red <X:nested>&#65536;</X:nested></X:color><plain xmlns="">v</plain></D:prop></D:set>
            </D:propertyupdate>
            """;
        var response = await _client.SendAsync("PROPPATCH", "/dav/local/p.txt", patch);
        Assert.Equal(207, (int)response.StatusCode);
        Assert.All((await response.XmlAsync()).Descendants(Dav.D + "status"), s => Assert.Contains("200", s.Value, StringComparison.Ordinal));

        await _client.SendAsync("MOVE", "/dav/local/p.txt", null, ("Destination", Abs("/dav/local/q.txt")));
        var root = _host.Root;
        await _host.DisposeAsync_KeepFiles();
        _host = await HostFixture.StartAsync(root: root);
        _client = _host.Client();

        var body = "<?xml version=\"1.0\"?><D:propfind xmlns:D=\"DAV:\" xmlns:X=\"urn:test:\"><D:prop><X:color/><plain xmlns=\"\"/></D:prop></D:propfind>";
        var xml = await (await _client.SendAsync("PROPFIND", "/dav/local/q.txt", body, ("Depth", "0"))).XmlAsync();
        var color = xml.Descendants((System.Xml.Linq.XNamespace)"urn:test:" + "color").Single();
        Assert.Equal("\U00010000", color.Element((System.Xml.Linq.XNamespace)"urn:test:" + "nested")!.Value);
        Assert.Equal("en", color.Attribute(System.Xml.Linq.XNamespace.Xml + "lang")!.Value);
        Assert.Equal("v", xml.Descendants("plain").Single().Value);
    }

    [Fact]
    public async Task Protected_property_fails_with_403_and_siblings_424_and_nothing_changes()
    {
        await _client.PutTextAsync("/dav/local/r.txt", "r");
        const string patch = """
            <D:propertyupdate xmlns:D="DAV:" xmlns:X="urn:test:">
              <D:set><D:prop><X:a>1</X:a><D:getetag>"x"</D:getetag></D:prop></D:set>
            </D:propertyupdate>
            """;
        var xml = await (await _client.SendAsync("PROPPATCH", "/dav/local/r.txt", patch)).XmlAsync();
        var statuses = xml.Descendants(Dav.D + "propstat").ToDictionary(p => p.Element(Dav.D + "prop")!.Elements().Single().Name.LocalName, p => p.Element(Dav.D + "status")!.Value);
        Assert.Contains("403", statuses["getetag"], StringComparison.Ordinal);
        Assert.Contains("424", statuses["a"], StringComparison.Ordinal);
        var check = await (await _client.SendAsync("PROPFIND", "/dav/local/r.txt", "<D:propfind xmlns:D=\"DAV:\" xmlns:X=\"urn:test:\"><D:prop><X:a/></D:prop></D:propfind>", ("Depth", "0"))).XmlAsync();
        Assert.Contains("404", check.Descendants(Dav.D + "status").Single().Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Windows_win32_proppatch_is_207_with_200s_and_sets_mtime()
    {
        await _client.PutTextAsync("/dav/local/w.txt", "w");
        const string patch = """
            <?xml version="1.0" encoding="utf-8" ?><D:propertyupdate xmlns:D="DAV:" xmlns:Z="urn:schemas-microsoft-com:"><D:set><D:prop>
            <Z:Win32CreationTime>Wed, 02 Jan 2019 03:04:05 GMT</Z:Win32CreationTime>
            <Z:Win32LastAccessTime>Wed, 02 Jan 2019 03:04:05 GMT</Z:Win32LastAccessTime>
            <Z:Win32LastModifiedTime>Wed, 02 Jan 2019 03:04:05 GMT</Z:Win32LastModifiedTime>
            <Z:Win32FileAttributes>00000020</Z:Win32FileAttributes>
            </D:prop></D:set></D:propertyupdate>
            """;
        var response = await _client.SendAsync("PROPPATCH", "/dav/local/w.txt", patch);
        Assert.Equal(207, (int)response.StatusCode);
        var statuses = (await response.XmlAsync()).Descendants(Dav.D + "status").Select(s => s.Value).ToList();
        Assert.All(statuses, s => Assert.Equal("HTTP/1.1 200 OK", s));
        Assert.Equal(new DateTime(2019, 1, 2, 3, 4, 5, DateTimeKind.Utc), File.GetLastWriteTimeUtc(Path.Combine(_host.Data, "w.txt")));
    }

    [Fact]
    public async Task Proppatch_applies_remove_and_set_in_document_order()
    {
        await _client.PutTextAsync("/dav/local/o.txt", "o");
        const string patch = """
            <D:propertyupdate xmlns:D="DAV:" xmlns:X="urn:test:">
              <D:set><D:prop><X:k>x</X:k></D:prop></D:set>
              <D:remove><D:prop><X:k/></D:prop></D:remove>
              <D:set><D:prop><X:j>y</X:j></D:prop></D:set>
            </D:propertyupdate>
            """;
        await _client.SendAsync("PROPPATCH", "/dav/local/o.txt", patch);
        var xml = await (await _client.SendAsync("PROPFIND", "/dav/local/o.txt", null, ("Depth", "0"))).XmlAsync();
        var test = (System.Xml.Linq.XNamespace)"urn:test:";
        Assert.Empty(xml.Descendants(test + "k"));
        Assert.Equal("y", xml.Descendants(test + "j").Single().Value);
    }

    [Fact]
    public async Task Depth1_allprop_returns_each_members_dead_properties()
    {
        await _client.MkcolAsync("/dav/local/d/");
        await _client.PutTextAsync("/dav/local/d/one.txt", "1");
        await _client.PutTextAsync("/dav/local/d/two.txt", "2");
        const string patch = "<D:propertyupdate xmlns:D=\"DAV:\" xmlns:X=\"urn:test:\"><D:set><D:prop><X:tag>{0}</X:tag></D:prop></D:set></D:propertyupdate>";
        await _client.SendAsync("PROPPATCH", "/dav/local/d/one.txt", string.Format(System.Globalization.CultureInfo.InvariantCulture, patch, "first"));
        await _client.SendAsync("PROPPATCH", "/dav/local/d/", string.Format(System.Globalization.CultureInfo.InvariantCulture, patch, "folder"));

        var xml = await (await _client.SendAsync("PROPFIND", "/dav/local/d/", null, ("Depth", "1"))).XmlAsync();
        var tags = xml.Descendants(Dav.D + "response").ToDictionary(
            r => r.Element(Dav.D + "href")!.Value,
            r => r.Descendants((System.Xml.Linq.XNamespace)"urn:test:" + "tag").SingleOrDefault()?.Value);
        Assert.Equal("folder", tags["/dav/local/d/"]);
        Assert.Equal("first", tags["/dav/local/d/one.txt"]);
        Assert.Null(tags["/dav/local/d/two.txt"]);
    }
}
