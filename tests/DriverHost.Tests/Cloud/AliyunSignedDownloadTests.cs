using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OpenList.DriverHost.CloudFakes;
using OpenList.DriverHost.Downloads;
using OpenList.DriverHost.DriverHost.Tests.Functional;

namespace OpenList.DriverHost.DriverHost.Tests.Cloud;

/// <summary>Issue 3: link cache, HEAD, proxy User-Agents, use_proxy_url and the signed /d and /p routes.</summary>
public sealed class AliyunSignedDownloadTests : IAsyncLifetime
{
    private const string LinkOperation = "/adrive/v1.0/openFile/getDownloadUrl";
    private FakeCloud _fake = null!;
    private AliyunAccount _account = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeCloud.StartAsync(new FakeCloudOptions { EnforceRateLimits = false });
        _account = _fake.Aliyun.CreateAccount();
        _account.AddFile("resource", "/Movies/a b#1.mkv", "movie bytes"u8.ToArray());
    }

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    private static DownloadSigner Signer(AliyunHost host) => host.Host.Services.GetRequiredService<DownloadService>().Signer;

    [Fact]
    public async Task Repeated_downloads_reuse_the_cached_link_and_an_overwrite_fetches_a_new_one()
    {
        await using var host = await AliyunHost.StartAsync(_fake, account: _account);
        using var client = host.Host.Client();
        _fake.Requests.Clear();

        var first = await client.GetAsync("/dav/aliyun/Movies/a%20b%231.mkv");
        var second = await client.GetAsync("/dav/aliyun/Movies/a%20b%231.mkv");
        Assert.Equal(HttpStatusCode.Found, first.StatusCode);
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal(1, _fake.Requests.Count(LinkOperation));

        await client.PutTextAsync("/dav/aliyun/Movies/a%20b%231.mkv", "new bytes");
        var third = await client.GetAsync("/dav/aliyun/Movies/a%20b%231.mkv");
        Assert.Equal(2, _fake.Requests.Count(LinkOperation));
        using var cdn = new HttpClient();
        Assert.Equal("new bytes", await cdn.GetStringAsync(third.Headers.Location));
    }

    [Fact]
    public async Task HEAD_is_answered_by_the_host_without_asking_for_a_link()
    {
        await using var host = await AliyunHost.StartAsync(_fake, account: _account);
        using var client = host.Host.Client();
        _fake.Requests.Clear();

        var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/dav/aliyun/Movies/a%20b%231.mkv"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(11, head.Content.Headers.ContentLength);
        Assert.Equal(0, _fake.Requests.Count(LinkOperation));
    }

    [Fact]
    public async Task An_empty_proxy_user_agents_list_redirects_even_the_Mini_Redirector()
    {
        await using var host = await AliyunHost.StartAsync(_fake, account: _account, storageExtra: "\"proxy_user_agents\": \"\"");
        using var client = host.Host.Client();
        client.DefaultRequestHeaders.UserAgent.ParseAdd("Microsoft-WebDAV-MiniRedir/10.0.19045");
        Assert.Equal(HttpStatusCode.Found, (await client.GetAsync("/dav/aliyun/Movies/a%20b%231.mkv")).StatusCode);
    }

    [Fact]
    public async Task Use_proxy_url_redirects_to_the_download_proxy_with_a_sign_the_d_route_accepts()
    {
        await using var host = await AliyunHost.StartAsync(_fake, policy: "use_proxy_url", account: _account, storageExtra: "\"down_proxy_url\": \"https://proxy.example.test/\"");
        using var client = host.Host.Client();
        _fake.Requests.Clear();

        var response = await client.GetAsync("/dav/aliyun/Movies/a%20b%231.mkv");
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.True(response.Headers.CacheControl!.NoStore);
        var location = response.Headers.Location!;
        Assert.Equal("https://proxy.example.test/aliyun/Movies/a%20b%231.mkv", location.GetLeftPart(UriPartial.Path));
        Assert.Equal(0, _fake.Requests.Count(LinkOperation));

        // The proxy forwards the path and sign to /d: anonymous, no Basic auth.
        using var anonymous = host.Host.Client(user: null);
        var direct = await anonymous.GetAsync("/d" + location.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, direct.StatusCode); // use_proxy_url is not a redirect policy for /d: it streams
        Assert.Equal("movie bytes", await direct.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_d_route_redirects_and_the_p_route_streams_with_ranges_and_both_refuse_bad_signs()
    {
        await using var host = await AliyunHost.StartAsync(_fake, account: _account);
        using var anonymous = host.Host.Client(user: null);
        var sign = Uri.EscapeDataString(Signer(host).Sign("/aliyun/Movies/a b#1.mkv"));

        var redirect = await anonymous.GetAsync($"/d/aliyun/Movies/a%20b%231.mkv?sign={sign}");
        Assert.Equal(HttpStatusCode.Found, redirect.StatusCode);

        using var ranged = new HttpRequestMessage(HttpMethod.Get, $"/p/aliyun/Movies/a%20b%231.mkv?sign={sign}");
        ranged.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(6, 10);
        var part = await anonymous.SendAsync(ranged);
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal("bytes", await part.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.Forbidden, (await anonymous.GetAsync("/d/aliyun/Movies/a%20b%231.mkv")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await anonymous.GetAsync($"/p/aliyun/Movies/other.mkv?sign={sign}")).StatusCode);
        var expired = Uri.EscapeDataString(Signer(host).Sign("/aliyun/Movies/a b#1.mkv", TimeSpan.FromSeconds(-10)));
        Assert.Equal(HttpStatusCode.Forbidden, (await anonymous.GetAsync($"/d/aliyun/Movies/a%20b%231.mkv?sign={expired}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await anonymous.GetAsync($"/d/aliyun/Movies%2Fa?sign={sign}")).StatusCode);
        var missing = Uri.EscapeDataString(Signer(host).Sign("/aliyun/Movies/none.mkv"));
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/d/aliyun/Movies/none.mkv?sign={missing}")).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await anonymous.PostAsync($"/d/aliyun/Movies/a%20b%231.mkv?sign={sign}", null)).StatusCode);
    }

    [Fact]
    public async Task Signed_routes_serve_local_mounts_and_the_generated_sign_key_survives_a_restart()
    {
        await using var host = await AliyunHost.StartAsync(_fake, account: _account);
        await File.WriteAllTextAsync(Path.Combine(host.Host.Data, "note.txt"), "local bytes");
        var sign = Uri.EscapeDataString(Signer(host).Sign("/local/note.txt"));

        await host.RestartAsync();
        using var anonymous = host.Host.Client(user: null);
        var response = await anonymous.GetAsync($"/d/local/note.txt?sign={sign}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("local bytes", await response.Content.ReadAsStringAsync());
    }
}
