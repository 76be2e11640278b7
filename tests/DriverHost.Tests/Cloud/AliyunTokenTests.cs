using System.Net;
using System.Net.Http.Json;
using OpenList.DriverHost.CloudFakes;
using OpenList.DriverHost.DriverHost.Tests.Functional;
using OpenList.DriverHost.State;

namespace OpenList.DriverHost.DriverHost.Tests.Cloud;

/// <summary>Issue 3: tokens per mount, single-flight renewal, rotation saved before use, per-mount errors.</summary>
public sealed class AliyunTokenTests : IAsyncLifetime
{
    private FakeCloud _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeCloud.StartAsync(new FakeCloudOptions { EnforceRateLimits = false });

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    private static void Seed(AliyunAccount account)
    {
        for (var i = 0; i < 10; i++)
        {
            account.AddFolder("resource", $"/dir{i}");
            account.AddFile("resource", $"/dir{i}/file.txt", "hello"u8.ToArray());
        }
    }

    [Theory]
    [InlineData(AliyunAuthMode.OwnKeys)]
    [InlineData(AliyunAuthMode.OnlineApi)]
    public async Task Hundred_concurrent_requests_on_an_expired_access_token_cause_exactly_one_refresh(AliyunAuthMode mode)
    {
        var account = _fake.Aliyun.CreateAccount();
        Seed(account);
        await using var host = await AliyunHost.StartAsync(_fake, mode, account: account);
        using var client = host.Host.Client();
        Assert.Equal(HttpStatusCode.MultiStatus, (await client.SendAsync("PROPFIND", "/dav/aliyun/", null, ("Depth", "1"))).StatusCode);

        _fake.Aliyun.ExpireAccessTokensNow();
        var before = _fake.Aliyun.RefreshCount;
        var responses = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => Task.Run(async () =>
        {
            var dir = $"/dav/aliyun/dir{i % 10}/";
            return i % 2 == 0
                ? (await client.SendAsync("PROPFIND", dir, null, ("Depth", "1"))).StatusCode
                : (await client.GetAsync(dir + "file.txt")).StatusCode;
        })));

        Assert.All(responses, s => Assert.True(s is HttpStatusCode.MultiStatus or HttpStatusCode.Found or HttpStatusCode.OK, s.ToString()));
        Assert.Equal(1, _fake.Aliyun.RefreshCount - before);
    }

    [Fact]
    public async Task A_rotated_refresh_token_is_saved_and_used_after_a_restart_while_the_old_one_is_dead()
    {
        await using var host = await AliyunHost.StartAsync(_fake);
        using (var client = host.Host.Client())
        {
            _fake.Aliyun.ExpireAccessTokensNow();
            Assert.Equal(HttpStatusCode.MultiStatus, (await client.SendAsync("PROPFIND", "/dav/aliyun/", null, ("Depth", "1"))).StatusCode);
        }

        var saved = await ReadSavedTokensAsync(host.Host.Root);
        Assert.NotNull(saved.RefreshToken);
        Assert.NotEqual(host.ConfiguredRefreshToken, saved.RefreshToken);
        Assert.Equal(host.ConfiguredRefreshToken, saved.ConfiguredRefreshToken);

        await host.RestartAsync();
        _fake.Aliyun.ExpireAccessTokensNow();
        using (var client = host.Host.Client())
        {
            Assert.Equal(HttpStatusCode.MultiStatus, (await client.SendAsync("PROPFIND", "/dav/aliyun/", null, ("Depth", "1"))).StatusCode);
        }

        // The refresh token still written in drivers.json was used once and is dead at the provider.
        using var direct = new HttpClient { BaseAddress = _fake.BaseUrl };
        var refused = await direct.PostAsJsonAsync("oauth/access_token", new { client_id = AliyunHost.ClientId, client_secret = AliyunHost.ClientSecret, grant_type = "refresh_token", refresh_token = host.ConfiguredRefreshToken });
        Assert.False(refused.IsSuccessStatusCode);
        Assert.NotEqual(saved.RefreshToken, (await ReadSavedTokensAsync(host.Host.Root)).RefreshToken);
    }

    [Fact]
    public async Task A_revoked_refresh_token_makes_only_that_mount_answer_503_with_the_cause_and_the_fix()
    {
        await using var host = await AliyunHost.StartAsync(_fake);
        _fake.Aliyun.RevokeRefreshToken(host.ConfiguredRefreshToken);
        _fake.Aliyun.ExpireAccessTokensNow();
        using var client = host.Host.Client();

        var response = await client.SendAsync("PROPFIND", "/dav/aliyun/", null, ("Depth", "1"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("/aliyun: refresh token rejected by Aliyun (RefreshTokenExpired); re-authorize and paste a new refresh token", body, StringComparison.Ordinal);

        var root = await client.SendAsync("PROPFIND", "/dav/", null, ("Depth", "1"));
        Assert.Equal(HttpStatusCode.MultiStatus, root.StatusCode);
        Assert.Contains("/dav/aliyun/", await root.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.MultiStatus, (await client.SendAsync("PROPFIND", "/dav/local/", null, ("Depth", "1"))).StatusCode);
    }

    private static async Task<Drivers.Tokens.StoredTokens> ReadSavedTokensAsync(string root)
    {
        await using var state = SqliteStateStore.Open(Path.Combine(root, "state.db"));
        var tokens = await state.LoadTokensAsync("/aliyun", CancellationToken.None);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        return tokens!;
    }
}
