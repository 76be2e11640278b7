namespace OpenList.DriverHost.DriverHost.Tests.Functional;

public sealed class LockTests : IAsyncLifetime
{
    private const string LockBody = "<?xml version=\"1.0\"?><D:lockinfo xmlns:D=\"DAV:\"><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype><D:owner>me</D:owner></D:lockinfo>";
    private HostFixture _host = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _host = await HostFixture.StartAsync();
        _client = _host.Client();
        await _client.PutTextAsync("/dav/local/l.txt", "l");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<string> LockAsync(string url, string depth = "0")
    {
        var response = await _client.SendAsync("LOCK", url, LockBody, ("Depth", depth), ("Timeout", "Second-60"));
        Assert.True((int)response.StatusCode is 200 or 201, $"LOCK {url}: {(int)response.StatusCode}");
        return response.Headers.GetValues("Lock-Token").Single().Trim('<', '>');
    }

    [Fact]
    public async Task Writes_without_the_token_are_423_and_with_it_succeed()
    {
        var token = await LockAsync("/dav/local/l.txt");
        Assert.StartsWith("opaquelocktoken:", token, StringComparison.Ordinal);
        var put = await _client.PutAsync("/dav/local/l.txt", new StringContent("x"));
        Assert.Equal(423, (int)put.StatusCode);
        Assert.Contains("lock-token-submitted", await put.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(423, (int)(await _client.SendAsync("DELETE", "/dav/local/l.txt")).StatusCode);
        Assert.Equal(423, (int)(await _client.SendAsync("LOCK", "/dav/local/l.txt", LockBody)).StatusCode);

        var withToken = Dav.Request("PUT", "/dav/local/l.txt", null, ("If", $"(<{token}>)"));
        withToken.Content = new StringContent("y");
        Assert.Equal(204, (int)(await _client.SendAsync(withToken)).StatusCode);

        var discovery = await (await _client.SendAsync("PROPFIND", "/dav/local/l.txt", Dav.Prop("lockdiscovery"), ("Depth", "0"))).XmlAsync();
        Assert.Equal(token, discovery.Descendants(Dav.D + "locktoken").Single().Value);
        Assert.Equal("me", discovery.Descendants(Dav.D + "owner").Single().Value);

        Assert.Equal(409, (int)(await _client.SendAsync("UNLOCK", "/dav/local/l.txt", null, ("Lock-Token", "<opaquelocktoken:bogus>"))).StatusCode);
        Assert.Equal(400, (int)(await _client.SendAsync("UNLOCK", "/dav/local/l.txt")).StatusCode);
        Assert.Equal(204, (int)(await _client.SendAsync("UNLOCK", "/dav/local/l.txt", null, ("Lock-Token", $"<{token}>"))).StatusCode);
        Assert.Equal(204, (int)(await _client.PutAsync("/dav/local/l.txt", new StringContent("z"))).StatusCode);
    }

    [Fact]
    public async Task Refresh_keeps_the_token_and_unknown_token_is_412()
    {
        var token = await LockAsync("/dav/local/l.txt");
        var refresh = await _client.SendAsync("LOCK", "/dav/local/l.txt", null, ("If", $"(<{token}>)"), ("Timeout", "Second-100"));
        Assert.Equal(200, (int)refresh.StatusCode);
        Assert.Equal(token, (await refresh.XmlAsync()).Descendants(Dav.D + "locktoken").Single().Value);
        Assert.Equal(412, (int)(await _client.SendAsync("LOCK", "/dav/local/l.txt", null, ("If", "(<opaquelocktoken:nope>)"))).StatusCode);
    }

    [Fact]
    public async Task Lock_on_unmapped_url_creates_an_empty_file_with_201()
    {
        var response = await _client.SendAsync("LOCK", "/dav/local/unmapped.txt", LockBody, ("Depth", "0"));
        Assert.Equal(201, (int)response.StatusCode);
        Assert.Equal(0, new FileInfo(Path.Combine(_host.Data, "unmapped.txt")).Length);
        Assert.Equal(409, (int)(await _client.SendAsync("LOCK", "/dav/local/none/x.txt", LockBody, ("Depth", "0"))).StatusCode);
    }

    [Fact]
    public async Task Depth_infinity_lock_protects_new_members_and_tagged_if_unlocks_them()
    {
        await _client.MkcolAsync("/dav/local/lc/");
        var token = await LockAsync("/dav/local/lc/", "infinity");
        Assert.Equal(423, (int)(await _client.PutAsync("/dav/local/lc/new.txt", new StringContent("n"))).StatusCode);
        var tagged = Dav.Request("PUT", "/dav/local/lc/new.txt", null, ("If", $"<{new Uri(_host.BaseAddress, "/dav/local/lc/")}> (<{token}>)"));
        tagged.Content = new StringContent("n");
        Assert.Equal(201, (int)(await _client.SendAsync(tagged)).StatusCode);
        var indirect = await _client.SendAsync("LOCK", "/dav/local/lc/new.txt", null, ("If", $"(<{token}>)"));
        Assert.Equal(200, (int)indirect.StatusCode);
    }

    [Fact]
    public async Task If_header_etag_conditions_are_evaluated()
    {
        var etag = (await _client.GetAsync("/dav/local/l.txt")).Headers.ETag!.ToString();
        var good = Dav.Request("PUT", "/dav/local/l.txt", null, ("If", $"([{etag}])"));
        good.Content = new StringContent("a");
        Assert.Equal(204, (int)(await _client.SendAsync(good)).StatusCode);
        var stale = Dav.Request("PUT", "/dav/local/l.txt", null, ("If", $"([{etag}])"));
        stale.Content = new StringContent("b");
        Assert.Equal(412, (int)(await _client.SendAsync(stale)).StatusCode);
        var noLock = Dav.Request("PUT", "/dav/local/l.txt", null, ("If", "(<DAV:no-lock>)"));
        noLock.Content = new StringContent("c");
        Assert.Equal(412, (int)(await _client.SendAsync(noLock)).StatusCode);
        var malformed = Dav.Request("PUT", "/dav/local/l.txt", null, ("If", "(<unterminated"));
        malformed.Content = new StringContent("d");
        Assert.Equal(400, (int)(await _client.SendAsync(malformed)).StatusCode);
    }

    [Fact]
    public async Task Another_user_cannot_unlock_my_lock()
    {
        var token = await LockAsync("/dav/local/l.txt");
        var reader = _host.Client("reader");
        var response = await reader.SendAsync("UNLOCK", "/dav/local/l.txt", null, ("Lock-Token", $"<{token}>"));
        Assert.Equal(403, (int)response.StatusCode);
        Assert.Equal(204, (int)(await _client.SendAsync("UNLOCK", "/dav/local/l.txt", null, ("Lock-Token", $"<{token}>"))).StatusCode);
    }
}
