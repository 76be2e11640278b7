using OpenList.DriverHost.CloudFakes;
using OpenList.DriverHost.DriverHost.Tests.Cloud;

namespace OpenList.DriverHost.DriverHost.Tests.Clients;

/// <summary>
/// Issue 7 item 5 (User-Agent part): on a <c>302_redirect</c> cloud mount, clients that do not follow a redirect on
/// GET (webdav-clients.md §4, §5 item 7) are streamed and the others redirected; <c>proxy_user_agents</c> on the
/// storage replaces the list. A Local mount streams to everyone.
/// </summary>
public sealed class UserAgentPolicyTests : IClassFixture<UserAgentPolicyTests.Hosts>
{
    private static readonly byte[] Body = Enumerable.Range(0, 3000).Select(i => (byte)(i % 251)).ToArray();
    private readonly Hosts _hosts;

    public UserAgentPolicyTests(Hosts hosts) => _hosts = hosts;

    public static TheoryData<string, int> Defaults => new()
    {
        { "Microsoft-WebDAV-MiniRedir/10.0.19045", 200 },
        { "DavClnt", 200 }, // the Mini-Redirector while the WebClient service starts
        { "WebDAVFS/3.0.0 (03008000) Darwin/22.6.0 (x86_64)", 200 },
        { "cadaver/0.24 neon/0.32.5", 200 },
        { "davfs2/1.6.1 neon/0.32.5", 200 },
        { "rclone/v1.60.1", 302 },
        { "VLC/3.0.24 LibVLC/3.0.24", 302 },
        { "Lavf/59.27.100", 302 },
        { "mpv 0.35.1", 302 },
        { "Kodi/18.9 (X11; Linux x86_64) Ubuntu/22.04 App_Bitness/64 Version/18.9-(18.9.0)-Git:20201024-0b1ad1e5c3", 302 },
        { "curl/7.88.1", 302 },
    };

    [Theory]
    [MemberData(nameof(Defaults))]
    public async Task By_default_clients_that_cannot_follow_a_302_are_streamed_and_the_others_redirected(string userAgent, int expected)
    {
        var response = await GetAsync(_hosts.Default, "/dav/aliyun/movie.mkv", userAgent);
        await AssertAnswer(response, expected);
    }

    [Theory]
    [MemberData(nameof(Defaults))]
    public async Task A_Local_mount_streams_to_every_client(string userAgent, int unused)
    {
        _ = unused;
        var response = await GetAsync(_hosts.Default, "/dav/local/movie.mkv", userAgent);
        await AssertAnswer(response, 200);
    }

    [Theory]
    [InlineData("VLC/3.0.24 LibVLC/3.0.24", 200)]
    [InlineData("Lavf/59.27.100", 200)]
    [InlineData("Microsoft-WebDAV-MiniRedir/10.0.19045", 302)]
    [InlineData("WebDAVFS/3.0.0 (03008000) Darwin/22.6.0 (x86_64)", 302)]
    [InlineData("curl/7.88.1", 302)]
    public async Task Proxy_user_agents_on_the_storage_replaces_the_built_in_list(string userAgent, int expected)
    {
        var response = await GetAsync(_hosts.Custom, "/dav/aliyun/movie.mkv", userAgent);
        await AssertAnswer(response, expected);
    }

    [Theory]
    [InlineData("Microsoft-WebDAV-MiniRedir/10.0.19045")]
    [InlineData("davfs2/1.6.1 neon/0.32.5")]
    public async Task An_empty_proxy_user_agents_redirects_everyone(string userAgent)
    {
        var response = await GetAsync(_hosts.Nobody, "/dav/aliyun/movie.mkv", userAgent);
        await AssertAnswer(response, 302);
    }

    private static async Task<HttpResponseMessage> GetAsync(AliyunHost host, string path, string userAgent)
    {
        using var client = host.Host.Client();
        client.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", userAgent);
        return await client.GetAsync(path);
    }

    private static async Task AssertAnswer(HttpResponseMessage response, int expected)
    {
        Assert.Equal(expected, (int)response.StatusCode);
        if (expected == 200)
        {
            Assert.Equal(Body, await response.Content.ReadAsByteArrayAsync());
        }
        else
        {
            var location = response.Headers.Location;
            Assert.NotNull(location);
            Assert.True(location.IsAbsoluteUri, $"Location {location} is not absolute");
            Assert.DoesNotContain("/dav/", location.AbsolutePath, StringComparison.Ordinal); // the provider's link, not ours
            Assert.Contains("max-age=", response.Headers.CacheControl?.ToString() ?? "", StringComparison.Ordinal);
        }
    }

    /// <summary>Three hosts over one fake: default list, <c>proxy_user_agents: "VLC, Lavf"</c>, and <c>""</c>.</summary>
    public sealed class Hosts : IAsyncLifetime
    {
        private FakeCloud _fake = null!;

        public AliyunHost Default { get; private set; } = null!;

        public AliyunHost Custom { get; private set; } = null!;

        public AliyunHost Nobody { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            _fake = await FakeCloud.StartAsync(new FakeCloudOptions { EnforceRateLimits = false });
            Default = await StartAsync("");
            Custom = await StartAsync("\"proxy_user_agents\": \"VLC, Lavf\"");
            Nobody = await StartAsync("\"proxy_user_agents\": \"\"");
        }

        public async Task DisposeAsync()
        {
            await Default.DisposeAsync();
            await Custom.DisposeAsync();
            await Nobody.DisposeAsync();
            await _fake.DisposeAsync();
        }

        private async Task<AliyunHost> StartAsync(string storageExtra)
        {
            var account = _fake.Aliyun.CreateAccount();
            account.AddFile("resource", "/movie.mkv", Body);
            var host = await AliyunHost.StartAsync(_fake, account: account, storageExtra: storageExtra);
            await File.WriteAllBytesAsync(Path.Combine(host.Host.Data, "movie.mkv"), Body);
            return host;
        }
    }
}
