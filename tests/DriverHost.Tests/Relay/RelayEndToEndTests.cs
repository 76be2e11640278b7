using System.Net;
using System.Text.Json;
using OpenList.DriverHost.CloudFakes;
using OpenList.DriverHost.DriverHost.Tests.AuthTests;
using OpenList.DriverHost.DriverHost.Tests.Cloud;
using OpenList.DriverHost.DriverHost.Tests.Functional;

namespace OpenList.DriverHost.DriverHost.Tests.Relay;

/// <summary>
/// Issue 9: our drivers renew through our relay. A relay host serves the fake's providers; a second host mounts
/// them with <c>use_online_api</c> and <c>api_url_address</c> pointing at the relay, with expired access tokens.
/// </summary>
public sealed class RelayEndToEndTests
{
    [Theory]
    [InlineData(true, "POST")]
    [InlineData(false, "GET")]
    public async Task Aliyun_mount_refreshes_through_the_relay(bool post, string method)
    {
        await using var fake = await FakeCloud.StartAsync(new FakeCloudOptions { EnforceRateLimits = false });
        using var relayLogs = new CapturingLoggerProvider();
        await using var relay = await RelayHost.StartAsync(fake, loggerFactory: relayLogs.CreateFactory());
        var account = fake.Aliyun.CreateAccount();
        account.AddFile("resource", "/a.txt", "a"u8.ToArray());
        var tokens = fake.Aliyun.IssueTokens(account, fake.Aliyun.RelayClientId);
        var storage = AliyunHost.Storage(fake, AliyunAuthMode.OnlineApi, "302_redirect", 0, tokens.RefreshToken, tokens.AccessToken, extraAddition: $"\"online_api_post\": {(post ? "true" : "false")}");
        storage = PointAt(storage, new Uri(fake.BaseUrl, "alicloud/renewapi"), relay.RenewUrl("alicloud"));
        await using var host = await HostFixture.StartAsync(extraStorages: "," + storage);
        fake.Aliyun.ExpireAccessTokensNow();
        using var client = host.Client();

        using var listing = await client.SendAsync("PROPFIND", "/dav/aliyun/", null, ("Depth", "1"));

        Assert.Equal(HttpStatusCode.MultiStatus, listing.StatusCode);
        Assert.Contains("a.txt", await listing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(fake.Aliyun.RefreshCount >= 1);
        Assert.Contains(relayLogs.Entries, e => e.Text.Contains("relay alicloud: renewed token", StringComparison.Ordinal) && e.Text.Contains($"({method})", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DiskTop_mount_refreshes_through_the_relay_by_POST()
    {
        await using var fake = await FakeCloud.StartAsync(new FakeCloudOptions { EnforceRateLimits = false });
        using var relayLogs = new CapturingLoggerProvider();
        await using var relay = await RelayHost.StartAsync(fake, loggerFactory: relayLogs.CreateFactory());
        var tokens = fake.DiskTop.IssueTokens(fake.DiskTop.CreateAccount(), RelayHost.DiskTopClientId);
        var addition = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["root_folder_path"] = "/",
            ["access_token"] = tokens.AccessToken,
            ["refresh_token"] = tokens.RefreshToken,
            ["use_online_api"] = true,
            ["online_api_post"] = true,
            ["api_url_address"] = relay.RenewUrl("disktop").AbsoluteUri,
            ["api_base_url"] = fake.BaseUrl.AbsoluteUri.TrimEnd('/'),
        });
        await using var host = await HostFixture.StartAsync(extraStorages: $$""", { "mount_path": "/disktop", "driver": "DiskTop", "cache_expiration": 0, "addition": {{addition}} }""");
        fake.DiskTop.ExpireAccessTokensNow();
        using var client = host.Client();

        using var listing = await client.SendAsync("PROPFIND", "/dav/disktop/", null, ("Depth", "1"));

        Assert.Equal(HttpStatusCode.MultiStatus, listing.StatusCode);
        Assert.True(fake.DiskTop.RefreshCount >= 1);
        Assert.Contains(relayLogs.Entries, e => e.Text.Contains("relay disktop: renewed token", StringComparison.Ordinal) && e.Text.Contains("(POST)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Open123_mount_refreshes_through_the_relay_by_POST()
    {
        await using var fake = await FakeCloud.StartAsync(new FakeCloudOptions { EnforceRateLimits = false });
        using var relayLogs = new CapturingLoggerProvider();
        await using var relay = await RelayHost.StartAsync(fake, loggerFactory: relayLogs.CreateFactory());
        var tokens = fake.Open123.IssueRelayTokens(fake.Open123.CreateAccount());
        var addition = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["RefreshToken"] = tokens.RefreshToken,
            ["AccessToken"] = tokens.AccessToken,
            ["use_online_api"] = true,
            ["online_api_post"] = true,
            ["api_url_address"] = relay.RenewUrl("123cloud").AbsoluteUri,
            ["root_folder_id"] = "0",
            ["api_base_url"] = fake.BaseUrl.AbsoluteUri.TrimEnd('/'),
        });
        await using var host = await HostFixture.StartAsync(extraStorages: $$""", { "mount_path": "/123", "driver": "123 Open", "cache_expiration": 0, "addition": {{addition}} }""");
        fake.Open123.ExpireAccessTokensNow();
        using var client = host.Client();

        using var listing = await client.SendAsync("PROPFIND", "/dav/123/", null, ("Depth", "1"));

        Assert.Equal(HttpStatusCode.MultiStatus, listing.StatusCode);
        Assert.True(fake.Open123.OAuthTokenCount >= 1);
        Assert.Contains(relayLogs.Entries, e => e.Text.Contains("relay 123cloud: renewed token", StringComparison.Ordinal) && e.Text.Contains("(POST)", StringComparison.Ordinal));
    }

    /// <summary>Replaces the storage's api_url_address (the fake's own relay) with ours.</summary>
    private static string PointAt(string storage, Uri from, Uri to)
    {
        var before = JsonSerializer.Serialize(from.AbsoluteUri);
        Assert.Contains(before, storage, StringComparison.Ordinal);
        return storage.Replace(before, JsonSerializer.Serialize(to.AbsoluteUri), StringComparison.Ordinal);
    }
}
