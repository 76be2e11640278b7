using System.Net;
using OpenList.DriverHost.CloudFakes;
using OpenList.DriverHost.DriverHost.Tests.AuthTests;
using OpenList.DriverHost.DriverHost.Tests.Functional;

namespace OpenList.DriverHost.DriverHost.Tests.Cloud;

/// <summary>Issue 3: no token the fake ever issued appears in anything the host logged, whatever happened.</summary>
public sealed class AliyunSecretTests
{
    [Theory]
    [InlineData(AliyunAuthMode.OwnKeys)]
    [InlineData(AliyunAuthMode.OnlineApi)]
    public async Task Tokens_never_appear_in_logs_through_refreshes_faults_rejections_and_uploads(AliyunAuthMode mode)
    {
        await using var fake = await FakeCloud.StartAsync(new FakeCloudOptions { EnforceRateLimits = false });
        using var logs = new CapturingLoggerProvider();
        var account = fake.Aliyun.CreateAccount();
        account.AddFile("resource", "/a.txt", "a"u8.ToArray());
        await using (var host = await AliyunHost.StartAsync(fake, mode, account: account, loggerFactory: logs.CreateFactory()))
        {
            using var client = host.Host.Client();
            fake.Aliyun.ExpireAccessTokensNow();
            Assert.Equal(HttpStatusCode.MultiStatus, (await client.SendAsync("PROPFIND", "/dav/aliyun/", null, ("Depth", "1"))).StatusCode);
            await client.PutTextAsync("/dav/aliyun/b.txt", "uploaded");
            Assert.Equal(HttpStatusCode.Found, (await client.GetAsync("/dav/aliyun/a.txt")).StatusCode);
            fake.Faults.FailNext("*", 2, 500);
            await client.SendAsync("PROPFIND", "/dav/aliyun/", null, ("Depth", "1"));
            fake.Faults.SetDown(true);
            await client.GetAsync("/dav/aliyun/a.txt");
            fake.Faults.SetDown(false);
            fake.Aliyun.RevokeAllRefreshTokens();

            fake.Aliyun.ExpireAccessTokensNow();
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.SendAsync("PROPFIND", "/dav/aliyun/", null, ("Depth", "1"))).StatusCode);
        }

        var text = logs.AllText;
        Assert.NotEmpty(fake.Aliyun.AllIssuedTokens);
        Assert.Contains("rejected", text, StringComparison.Ordinal);
        foreach (var token in fake.Aliyun.AllIssuedTokens)
        {
            Assert.DoesNotContain(token, text, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(AliyunHost.ClientSecret, text, StringComparison.Ordinal);
    }
}
