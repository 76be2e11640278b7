using System.Net;
using OpenList.DriverHost.CloudFakes;
using OpenList.DriverHost.DriverHost.Tests.Functional;

namespace OpenList.DriverHost.DriverHost.Tests.Cloud;

/// <summary>
/// Issue 4 through the host: 115 links are bound to the User-Agent they were minted for (cloud-apis.md §5), so a 302
/// sends each client to a link minted for its own User-Agent, and native_proxy fetches with the header the link needs.
/// </summary>
public sealed class Open115DownloadTests : IAsyncLifetime
{
    private const string Vlc = "VLC/3.0.20 LibVLC/3.0.20";
    private const string Mpv = "mpv 0.38.0";
    private static readonly byte[] Movie = Enumerable.Range(0, 5000).Select(i => (byte)(i * 13)).ToArray();
    private FakeCloud _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeCloud.StartAsync(new FakeCloudOptions { EnforceRateLimits = false });

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public async Task A_302_sends_each_client_to_a_link_minted_for_its_own_user_agent()
    {
        await using var host = await StartAsync("302_redirect");
        using var client = host.Client();

        var forVlc = await GetAsync(client, Vlc);
        var forMpv = await GetAsync(client, Mpv);

        Assert.Equal(HttpStatusCode.Found, forVlc.StatusCode);
        Assert.Equal(HttpStatusCode.Found, forMpv.StatusCode);
        Assert.NotEqual(forVlc.Headers.Location, forMpv.Headers.Location);
        using var cdn = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await FetchAsync(cdn, forVlc.Headers.Location!, Vlc)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await FetchAsync(cdn, forVlc.Headers.Location!, Mpv)).StatusCode);
        Assert.Equal(Movie, await (await FetchAsync(cdn, forMpv.Headers.Location!, Mpv)).Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Native_proxy_streams_with_the_user_agent_the_link_was_minted_for()
    {
        await using var host = await StartAsync("native_proxy");
        using var client = host.Client();
        _fake.Requests.Clear();

        var response = await GetAsync(client, Vlc);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Movie, await response.Content.ReadAsByteArrayAsync());
        Assert.Contains(_fake.Requests.Snapshot(), r => r.Operation == "/open/ufile/downurl" && r.UserAgent == Vlc);
        Assert.Contains(_fake.Requests.Snapshot(), r => r.Operation == "download" && r.Status == 206 && r.UserAgent == Vlc);
    }

    [Fact]
    public async Task A_client_that_does_not_follow_redirects_is_streamed_under_302_redirect()
    {
        await using var host = await StartAsync("302_redirect");
        using var client = host.Client();

        var response = await GetAsync(client, "davfs2/1.7.0 neon/0.32.5");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Movie, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_revoked_refresh_token_makes_only_the_115_mount_answer_503_with_the_re_authorize_message()
    {
        await using var host = await StartAsync("302_redirect");
        using var client = host.Client();
        Assert.Equal(HttpStatusCode.MultiStatus, (await client.SendAsync("PROPFIND", "/dav/115/", null, ("Depth", "1"))).StatusCode);

        _fake.Open115.RevokeAllRefreshTokens();
        _fake.Open115.ExpireAccessTokensNow();
        var refused = await client.SendAsync("PROPFIND", "/dav/115/", null, ("Depth", "1"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        var message = await refused.Content.ReadAsStringAsync();
        Assert.Contains("/115", message, StringComparison.Ordinal);
        Assert.Contains("re-authorize", message, StringComparison.Ordinal);

        await client.PutTextAsync("/dav/local/still.txt", "served");
        Assert.Equal("served", await client.GetStringAsync("/dav/local/still.txt"));
    }

    private async Task<HostFixture> StartAsync(string policy)
    {
        var account = _fake.Open115.CreateAccount();
        account.AddFile("/movie.mkv", Movie);
        var tokens = _fake.Open115.IssueTokens(account);
        var baseUrl = _fake.BaseUrl.AbsoluteUri.TrimEnd('/');
        var storage = $$"""
            { "mount_path": "/115", "driver": "115 Open", "cache_expiration": 0, "webdav_policy": "{{policy}}",
              "addition": { "root_folder_id": "0", "access_token": "{{tokens.AccessToken}}", "refresh_token": "{{tokens.RefreshToken}}",
                            "limit_rate": 0, "api_base_url": "{{baseUrl}}", "auth_base_url": "{{baseUrl}}" } }
            """;
        return await HostFixture.StartAsync(extraStorages: "," + storage);
    }

    private static async Task<HttpResponseMessage> GetAsync(HttpClient client, string userAgent)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/dav/115/movie.mkv");
        request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        return await client.SendAsync(request);
    }

    private static async Task<HttpResponseMessage> FetchAsync(HttpClient http, Uri url, string userAgent)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        return await http.SendAsync(request);
    }
}
