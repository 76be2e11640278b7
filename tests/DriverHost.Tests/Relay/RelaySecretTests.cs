using System.Net;
using OpenList.DriverHost.CloudFakes;
using OpenList.DriverHost.DriverHost.Tests.AuthTests;

namespace OpenList.DriverHost.DriverHost.Tests.Relay;

/// <summary>
/// Issue 9: with every log category at Trace (ASP.NET Core's own included), nothing the relay handled appears in
/// its logs: no refresh or access token the fake issued, no client secret, and no renewapi query string.
/// </summary>
public sealed class RelaySecretTests
{
    [Fact]
    public async Task Tokens_secrets_and_query_strings_never_reach_the_logs()
    {
        await using var fake = await FakeCloud.StartAsync(new FakeCloudOptions { EnforceRateLimits = false });
        using var logs = new CapturingLoggerProvider();
        await using (var relay = await RelayHost.StartAsync(fake, rateLimits: """{ "per_ip_per_minute": 0, "per_token_per_minute": 1 }""", loggerFactory: logs.CreateFactory()))
        {
            using var client = relay.Client();
            var aliyun = fake.Aliyun.IssueTokens(fake.Aliyun.CreateAccount(), fake.Aliyun.RelayClientId);
            var open115 = fake.Open115.IssueTokens(fake.Open115.CreateAccount());
            var diskTop = fake.DiskTop.IssueTokens(fake.DiskTop.CreateAccount(), RelayHost.DiskTopClientId);
            var open123 = fake.Open123.IssueRelayTokens(fake.Open123.CreateAccount());
            Assert.Equal(HttpStatusCode.OK, (await RelayCalls.GetAsync(client, "123cloud", open123.RefreshToken, "123cloud_oa")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await RelayCalls.PostAsync(client, "123cloud", open123.AccessToken, "123cloud_oa")).StatusCode);

            Assert.Equal(HttpStatusCode.OK, (await RelayCalls.GetAsync(client, "alicloud", aliyun.RefreshToken, "alicloud_qr")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await RelayCalls.PostAsync(client, "115cloud", open115.RefreshToken, "115cloud_go")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await RelayCalls.GetAsync(client, "disktop", diskTop.RefreshToken, "disktop_go")).StatusCode);
            Assert.Equal(HttpStatusCode.TooManyRequests, (await RelayCalls.GetAsync(client, "disktop", diskTop.RefreshToken, "disktop_go")).StatusCode);
            var revoked = fake.Aliyun.IssueTokens(fake.Aliyun.CreateAccount(), fake.Aliyun.RelayClientId);
            fake.Aliyun.RevokeRefreshToken(revoked.RefreshToken);
            Assert.Equal(HttpStatusCode.Unauthorized, (await RelayCalls.GetAsync(client, "alicloud", revoked.RefreshToken, "alicloud_qr")).StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, (await RelayCalls.GetAsync(client, "alicloud", aliyun.AccessToken, "alicloud_tv")).StatusCode);
            fake.Faults.SetDown(true);
            Assert.Equal(HttpStatusCode.BadGateway, (await RelayCalls.GetAsync(client, "115cloud", open115.AccessToken, "115cloud_go")).StatusCode);
            fake.Faults.SetDown(false);
        }

        var text = logs.AllText;
        Assert.Contains("renewed token", text, StringComparison.Ordinal); // the capture works
        Assert.DoesNotContain("refresh_ui", text, StringComparison.Ordinal);
        var secrets = fake.Aliyun.AllIssuedTokens.Concat(fake.Open115.AllIssuedTokens).Concat(fake.DiskTop.AllIssuedTokens).Concat(fake.Open123.AllIssuedTokens)
            .Append(fake.Aliyun.RelayClientSecret).Append(fake.Open123.RelayClientSecret).Append(RelayHost.DiskTopSecret).ToList();
        Assert.True(secrets.Count >= 8);
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
    }
}
