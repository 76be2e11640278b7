using System.Globalization;
using System.Text.RegularExpressions;

namespace OpenList.DriverHost.DriverHost.Tests.Functional;

public sealed partial class PropFindTests : IAsyncLifetime
{
    private HostFixture _host = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _host = await HostFixture.StartAsync();
        _client = _host.Client();
        await _client.MkcolAsync("/dav/local/dir/");
        await _client.PutTextAsync("/dav/local/dir/a.txt", "hello");
        await _client.PutTextAsync("/dav/local/dir/" + Uri.EscapeDataString("中文 file#1%+.txt"), "x");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Depth1_lists_members_with_hrefs_under_the_request_prefix()
    {
        var response = await _client.SendAsync("PROPFIND", "/dav/local/dir/", null, ("Depth", "1"));
        Assert.Equal(207, (int)response.StatusCode);
        var hrefs = (await response.XmlAsync()).Descendants(Dav.D + "href").Select(h => h.Value).ToList();
        Assert.Equal(["/dav/local/dir/", "/dav/local/dir/%E4%B8%AD%E6%96%87%20file%231%25%2B.txt", "/dav/local/dir/a.txt"], hrefs.Order(StringComparer.Ordinal).ToList());
    }

    [Fact]
    public async Task Collection_without_trailing_slash_is_served_not_redirected()
    {
        // webdav-clients.md §0.5: a 301 here breaks Go clients, DAVx5 and Nautilus.
        var response = await _client.SendAsync("PROPFIND", "/dav/local/dir", null, ("Depth", "0"));
        Assert.Equal(207, (int)response.StatusCode);
        Assert.Equal("/dav/local/dir/", (await response.XmlAsync()).Descendants(Dav.D + "href").Single().Value);
    }

    [Fact]
    public async Task Empty_body_is_allprop_with_well_formed_dates()
    {
        var request = Dav.Request("PROPFIND", "/dav/local/dir/a.txt", null, ("Depth", "0"));
        request.Content = new ByteArrayContent([]);
        var xml = await (await _client.SendAsync(request)).XmlAsync();
        var prop = xml.Descendants(Dav.D + "prop").Single();
        Assert.Equal("5", prop.Element(Dav.D + "getcontentlength")!.Value);
        Assert.True(DateTime.TryParseExact(prop.Element(Dav.D + "getlastmodified")!.Value, "R", CultureInfo.InvariantCulture, DateTimeStyles.None, out _));
        Assert.Matches(CreationDate(), prop.Element(Dav.D + "creationdate")!.Value);
        Assert.NotNull(prop.Element(Dav.D + "supportedlock"));
        Assert.Empty(prop.Element(Dav.D + "resourcetype")!.Elements());

        var get = await _client.GetAsync("/dav/local/dir/a.txt");
        Assert.Equal(get.Headers.ETag!.ToString(), prop.Element(Dav.D + "getetag")!.Value);
    }

    [Fact]
    public async Task Unknown_properties_get_a_404_propstat_next_to_the_200_one()
    {
        var body = "<?xml version=\"1.0\"?><D:propfind xmlns:D=\"DAV:\" xmlns:X=\"urn:x\"><D:prop><D:resourcetype/><X:nope/><D:getcontentlength/></D:prop></D:propfind>";
        var xml = await (await _client.SendAsync("PROPFIND", "/dav/local/dir/", body, ("Depth", "0"))).XmlAsync();
        var propstats = xml.Descendants(Dav.D + "propstat").ToList();
        Assert.Equal(2, propstats.Count);
        Assert.Contains("200", propstats[0].Element(Dav.D + "status")!.Value, StringComparison.Ordinal);
        Assert.NotNull(propstats[0].Descendants(Dav.D + "collection").SingleOrDefault());
        var missing = propstats[1];
        Assert.Contains("404", missing.Element(Dav.D + "status")!.Value, StringComparison.Ordinal);
        Assert.Equal(2, missing.Element(Dav.D + "prop")!.Elements().Count()); // collections have no getcontentlength
    }

    [Fact]
    public async Task Propname_lists_names_without_values()
    {
        var xml = await (await _client.SendAsync("PROPFIND", "/dav/local/dir/a.txt", Dav.PropName, ("Depth", "0"))).XmlAsync();
        var names = xml.Descendants(Dav.D + "prop").Single().Elements().ToList();
        Assert.Contains(names, e => e.Name == Dav.D + "getetag");
        Assert.All(names, e => Assert.True(e.IsEmpty));
    }

    [Theory]
    [InlineData("2", 400)]
    [InlineData("infinity", 403)]
    [InlineData("", 403)] // no Depth on a collection means infinity
    public async Task Depth_policy(string depth, int expected)
    {
        var response = depth.Length == 0
            ? await _client.SendAsync("PROPFIND", "/dav/local/dir/")
            : await _client.SendAsync("PROPFIND", "/dav/local/dir/", null, ("Depth", depth));
        Assert.Equal(expected, (int)response.StatusCode);
        if (expected == 403)
        {
            Assert.Contains("propfind-finite-depth", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task No_depth_on_a_file_is_depth_zero()
    {
        var response = await _client.SendAsync("PROPFIND", "/dav/local/dir/a.txt");
        Assert.Equal(207, (int)response.StatusCode);
    }

    [Theory]
    [InlineData("<foo>")]
    [InlineData("<?xml version=\"1.0\"?><D:propfind xmlns:D=\"DAV:\" xmlns:bar=\"\"><D:allprop/></D:propfind>")]
    [InlineData("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><D:propfind xmlns:D=\"DAV:\"><D:prop>&e;</D:prop></D:propfind>")]
    [InlineData("<D:notpropfind xmlns:D=\"DAV:\"/>")]
    public async Task Malformed_or_hostile_xml_is_400(string body)
    {
        var response = await _client.SendAsync("PROPFIND", "/dav/local/dir/", body, ("Depth", "0"));
        Assert.Equal(400, (int)response.StatusCode);
    }

    [Fact]
    public async Task Oversized_xml_body_is_413()
    {
        var body = "<?xml version=\"1.0\"?><D:propfind xmlns:D=\"DAV:\"><D:prop>" + new string(' ', 2 * 1024 * 1024) + "</D:prop></D:propfind>";
        var response = await _client.SendAsync("PROPFIND", "/dav/local/dir/", body, ("Depth", "0"));
        Assert.Equal(413, (int)response.StatusCode);
    }

    [Fact]
    public async Task Missing_resource_is_a_plain_404()
    {
        var response = await _client.SendAsync("PROPFIND", "/dav/local/nope", null, ("Depth", "0"));
        Assert.Equal(404, (int)response.StatusCode);
    }

    [Fact]
    public async Task Quota_properties_come_from_the_storage()
    {
        var xml = await (await _client.SendAsync("PROPFIND", "/dav/local/", Dav.Prop("quota-available-bytes"), ("Depth", "0"))).XmlAsync();
        var value = xml.Descendants(Dav.D + "quota-available-bytes").Single().Value;
        Assert.True(long.Parse(value, CultureInfo.InvariantCulture) > 0);
    }

    [Fact]
    public async Task Root_lists_mounts_as_virtual_folders()
    {
        var xml = await (await _client.SendAsync("PROPFIND", "/dav/", null, ("Depth", "1"))).XmlAsync();
        var hrefs = xml.Descendants(Dav.D + "href").Select(h => h.Value).ToList();
        Assert.Equal(["/dav/", "/dav/local/"], hrefs);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$")]
    private static partial Regex CreationDate();
}
