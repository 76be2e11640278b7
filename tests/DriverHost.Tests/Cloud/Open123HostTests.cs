using System.Net;
using OpenList.DriverHost.CloudFakes;
using OpenList.DriverHost.DriverHost.Tests.Functional;

namespace OpenList.DriverHost.DriverHost.Tests.Cloud;

/// <summary>Issue 5 through the host: developer tokens across restarts, direct-link 302s the fake verifies.</summary>
public sealed class Open123HostTests : IAsyncLifetime
{
    private const string ClientId = "host-test-client";
    private const string ClientSecret = "host-test-client-secret";
    private static readonly byte[] Movie = Enumerable.Range(0, 4000).Select(i => (byte)(i * 7)).ToArray();
    private FakeCloud _fake = null!;
    private Open123Account _account = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeCloud.StartAsync(new FakeCloudOptions { EnforceRateLimits = false });
        _account = _fake.Open123.RegisterClient(ClientId, ClientSecret);
        _account.AddFile("/movie.mkv", Movie);
        _account.DirectLinkPrivateKey = "host-test-private-key";
    }

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public async Task Ten_restarts_on_developer_credentials_mint_one_token_and_kick_none()
    {
        var root = Directory.CreateTempSubdirectory("dh-123-").FullName;
        var host = await HostFixture.StartAsync(extraStorages: "," + Storage(policy: "native_proxy"), root: root);
        try
        {
            for (var restart = 0; restart < 10; restart++)
            {
                using (var client = host.Client())
                {
                    var listing = await client.SendAsync("PROPFIND", "/dav/123/", null, ("Depth", "1"));
                    Assert.Equal(HttpStatusCode.MultiStatus, listing.StatusCode);
                    Assert.Equal(Movie, await client.GetByteArrayAsync("/dav/123/movie.mkv"));
                }

                var config = await File.ReadAllTextAsync(Path.Combine(root, "drivers.json"));
                await host.DisposeAsync_KeepFiles();
                host = await HostFixture.StartFromConfigAsync(root, config);
            }
        }
        finally
        {
            await host.DisposeAsync();
        }

        Assert.Equal(1, _fake.Open123.DeveloperTokenCount);
        Assert.Equal(0, _fake.Open123.DeveloperTokensKicked);
        Assert.Single(_fake.Open123.LiveDeveloperTokens(ClientId));
    }

    [Fact]
    public async Task A_direct_link_302_is_accepted_by_the_fake_and_a_tampered_one_is_refused()
    {
        var extra = $$""", "DirectLink": true, "DirectLinkPrivateKey": "{{_account.DirectLinkPrivateKey}}", "DirectLinkValidDuration": 30""";
        await using var host = await HostFixture.StartAsync(extraStorages: "," + Storage(policy: "302_redirect", extraAddition: extra));
        using var client = host.Client();

        var response = await client.GetAsync("/dav/123/movie.mkv");
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.Contains("auth_key=", location.Query, StringComparison.Ordinal);
        Assert.InRange(response.Headers.CacheControl!.MaxAge!.Value, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(30));

        using var cdn = new HttpClient();
        Assert.Equal(Movie, await cdn.GetByteArrayAsync(location));
        var tampered = new UriBuilder(location) { Path = location.AbsolutePath.Replace("movie", "movif", StringComparison.Ordinal) }.Uri;
        Assert.Equal(HttpStatusCode.Forbidden, (await cdn.GetAsync(tampered)).StatusCode);
        var badKey = new Uri(location.AbsoluteUri.Replace("auth_key=", "auth_key=0", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Forbidden, (await cdn.GetAsync(badKey)).StatusCode);
    }

    private string Storage(string policy, string extraAddition = "")
    {
        var baseUrl = _fake.BaseUrl.AbsoluteUri.TrimEnd('/');
        return $$"""
            { "mount_path": "/123", "driver": "123 Open", "cache_expiration": 0, "webdav_policy": "{{policy}}",
              "addition": { "ClientID": "{{ClientId}}", "ClientSecret": "{{ClientSecret}}", "use_online_api": false,
                            "root_folder_id": "0", "api_base_url": "{{baseUrl}}"{{extraAddition}} } }
            """;
    }
}
