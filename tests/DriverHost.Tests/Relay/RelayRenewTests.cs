using System.Net;
using OpenList.DriverHost.CloudFakes;
using OpenList.DriverHost.Drivers.Errors;
using OpenList.DriverHost.Drivers.Tokens;

namespace OpenList.DriverHost.DriverHost.Tests.Relay;

/// <summary>Issue 9: /relay/&lt;prefix&gt;/renewapi against the cloud fakes, in OpenList's GET format and our POST form.</summary>
public sealed class RelayRenewTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Alicloud_renews_with_the_relay_keys_and_answers_OpenList_fields(bool post)
    {
        await using var fake = await FakeCloud.StartAsync(new FakeCloudOptions { EnforceRateLimits = false });
        await using var relay = await RelayHost.StartAsync(fake);
        var tokens = fake.Aliyun.IssueTokens(fake.Aliyun.CreateAccount(), fake.Aliyun.RelayClientId);
        using var client = relay.Client();

        using var response = post
            ? await RelayCalls.PostAsync(client, "alicloud", tokens.RefreshToken, "alicloud_qr")
            : await RelayCalls.GetAsync(client, "alicloud", tokens.RefreshToken, "alicloud_qr");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var body = await RelayCalls.JsonAsync(response);
        Assert.NotEqual(tokens.RefreshToken, body.GetProperty("refresh_token").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("access_token").GetString()));
        Assert.InRange(body.GetProperty("expires_in").GetInt64(), 7000, 7200);
        Assert.Equal(1, fake.Aliyun.RefreshCount);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Open115_renews_without_a_secret(bool post)
    {
        await using var fake = await FakeCloud.StartAsync(new FakeCloudOptions { EnforceRateLimits = false });
        await using var relay = await RelayHost.StartAsync(fake);
        var tokens = fake.Open115.IssueTokens(fake.Open115.CreateAccount());
        using var client = relay.Client();

        using var response = post
            ? await RelayCalls.PostAsync(client, "115cloud", tokens.RefreshToken, "115cloud_go")
            : await RelayCalls.GetAsync(client, "115cloud", tokens.RefreshToken, "115cloud_go");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await RelayCalls.JsonAsync(response);
        Assert.False(string.IsNullOrEmpty(body.GetProperty("refresh_token").GetString()));
        Assert.True(body.GetProperty("expires_in").GetInt64() > 0);
        Assert.Equal(1, fake.Open115.RefreshCount);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DiskTop_renews_with_the_relay_app(bool post)
    {
        await using var fake = await FakeCloud.StartAsync(new FakeCloudOptions { EnforceRateLimits = false });
        await using var relay = await RelayHost.StartAsync(fake);
        var tokens = fake.DiskTop.IssueTokens(fake.DiskTop.CreateAccount(), RelayHost.DiskTopClientId);
        using var client = relay.Client();

        using var response = post
            ? await RelayCalls.PostAsync(client, "disktop", tokens.RefreshToken, "disktop_go")
            : await RelayCalls.GetAsync(client, "disktop", tokens.RefreshToken, "");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await RelayCalls.JsonAsync(response);
        Assert.False(string.IsNullOrEmpty(body.GetProperty("access_token").GetString()));
        Assert.Equal(1, fake.DiskTop.RefreshCount);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Open123_renews_on_the_oauth2_endpoint_with_expires_in(bool post)
    {
        await using var fake = await FakeCloud.StartAsync(new FakeCloudOptions { EnforceRateLimits = false });
        await using var relay = await RelayHost.StartAsync(fake);
        var tokens = fake.Open123.IssueRelayTokens(fake.Open123.CreateAccount());
        using var client = relay.Client();

        using var response = post
            ? await RelayCalls.PostAsync(client, "123cloud", tokens.RefreshToken, "123cloud_oa")
            : await RelayCalls.GetAsync(client, "123cloud", tokens.RefreshToken, "123cloud_oa");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await RelayCalls.JsonAsync(response);
        Assert.NotEqual(tokens.RefreshToken, body.GetProperty("refresh_token").GetString());
        Assert.True(body.GetProperty("expires_in").GetInt64() > 0);
        Assert.Equal(1, fake.Open123.OAuthTokenCount);
        Assert.Equal(0, fake.Open123.RelayRefreshCount); // our relay, not the fake's own /123cloud/renewapi
    }

    [Fact]
    public async Task A_refused_refresh_token_is_401_with_the_providers_reason()
    {
        await using var fake = await FakeCloud.StartAsync(new FakeCloudOptions { EnforceRateLimits = false });
        await using var relay = await RelayHost.StartAsync(fake);
        var tokens = fake.Aliyun.IssueTokens(fake.Aliyun.CreateAccount(), fake.Aliyun.RelayClientId);
        fake.Aliyun.RevokeAllRefreshTokens();
        using var client = relay.Client();

        using var response = await RelayCalls.GetAsync(client, "alicloud", tokens.RefreshToken, "alicloud_qr");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("RefreshTokenExpired", await RelayCalls.TextAsync(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Provider_outage_is_502_with_Retry_After()
    {
        await using var fake = await FakeCloud.StartAsync(new FakeCloudOptions { EnforceRateLimits = false });
        await using var relay = await RelayHost.StartAsync(fake);
        var tokens = fake.Open115.IssueTokens(fake.Open115.CreateAccount());
        using var client = relay.Client();
        fake.Faults.SetDown(true);

        using var response = await RelayCalls.PostAsync(client, "115cloud", tokens.RefreshToken, "115cloud_go");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.NotEmpty(await RelayCalls.TextAsync(response));

        // Our drivers' relay client reads that as "try later", not as a refused token.
        using var http = new HttpClient();
        var error = await Assert.ThrowsAsync<StorageException>(() =>
            OnlineApiRelayClient.RefreshAsync(http, relay.RenewUrl("115cloud"), tokens.RefreshToken, "115cloud_go", post: true, TimeProvider.System, CancellationToken.None));
        Assert.Equal(StorageErrorKind.Unavailable, error.Kind);
    }

    [Theory]
    [InlineData("alicloud", "alicloud_tv", "true", "alicloud_tv")]
    [InlineData("alicloud", "alicloud_qr", "false", "server_use=true")]
    [InlineData("alicloud", "onedrive_pr", "true", "alicloud_qr, alicloud_go")]
    public async Task Requests_the_relay_does_not_serve_are_400_with_a_reason(string prefix, string driverTxt, string serverUse, string expected)
    {
        await using var fake = await FakeCloud.StartAsync(new FakeCloudOptions { EnforceRateLimits = false });
        await using var relay = await RelayHost.StartAsync(fake);
        using var client = relay.Client();

        using var response = await RelayCalls.GetAsync(client, prefix, "some-refresh-token", driverTxt, serverUse);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await RelayCalls.TextAsync(response), StringComparison.Ordinal);
        Assert.Equal(0, fake.Aliyun.RefreshCount);
    }

    [Fact]
    public async Task Missing_refresh_token_is_400_and_an_unknown_provider_is_404()
    {
        await using var fake = await FakeCloud.StartAsync(new FakeCloudOptions { EnforceRateLimits = false });
        await using var relay = await RelayHost.StartAsync(fake);
        using var client = relay.Client();

        using var missing = await client.GetAsync("/relay/alicloud/renewapi?server_use=true&driver_txt=alicloud_qr");
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("refresh_ui", await RelayCalls.TextAsync(missing), StringComparison.Ordinal);

        using var unknown = await client.GetAsync("/relay/onedrive/renewapi?refresh_ui=x&server_use=true");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        using var json = await client.PostAsync("/relay/alicloud/renewapi", new StringContent("{\"refresh_ui\":\"x\"}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.StatusCode);
    }

    [Fact]
    public async Task With_the_relay_off_every_relay_path_is_404()
    {
        await using var fake = await FakeCloud.StartAsync(new FakeCloudOptions { EnforceRateLimits = false });
        await using var relay = await RelayHost.StartAsync(fake, enabled: false);
        using var client = relay.Client();

        foreach (var path in new[] { "/relay", "/relay/", "/relay/alicloud/renewapi?refresh_ui=x&server_use=true", "/relay/alicloud/" })
        {
            using var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        using var post = await RelayCalls.PostAsync(client, "alicloud", "x", "alicloud_qr");
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
    }
}
