using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OpenList.DriverHost.CloudFakes;
using OpenList.DriverHost.Drivers.Authorization;
using OpenList.DriverHost.Relay;

namespace OpenList.DriverHost.DriverHost.Tests.Relay;

/// <summary>
/// Issue 9: what the authorization pages build on: each upstream's consent URL reaches the fake's consent page, which
/// redirects back with a code and our state, and the upstream exchanges that code for tokens.
/// </summary>
public sealed class RelayCodeExchangeTests
{
    [Theory]
    [InlineData("alicloud")]
    [InlineData("115cloud")]
    [InlineData("123cloud")]
    [InlineData("disktop")]
    public async Task Consent_then_code_exchange_gives_tokens(string prefix)
    {
        await using var fake = await FakeCloud.StartAsync(new FakeCloudOptions { EnforceRateLimits = false });
        fake.Aliyun.CreateAccount();
        fake.Open115.CreateAccount();
        fake.Open123.CreateAccount();
        fake.DiskTop.CreateAccount();
        await using var relay = await RelayHost.StartAsync(fake);
        var provider = relay.Host.Services.GetRequiredService<RelayDirectory>().Providers[prefix];
        var callback = new Uri($"https://relay.example.com/relay/{prefix}/callback");
        var verifier = provider.Upstream.SupportsPkce ? Pkce.CreateVerifier() : null;
        var state = Pkce.CreateState();

        using var browser = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
        using var consent = await browser.GetAsync(provider.Upstream.BuildAuthorizeUri(callback, state, verifier is null ? null : Pkce.Challenge(verifier)));

        Assert.Equal(HttpStatusCode.Redirect, consent.StatusCode);
        var back = consent.Headers.Location!;
        Assert.Equal(callback.GetLeftPart(UriPartial.Path), back.GetLeftPart(UriPartial.Path));
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(back.Query);
        Assert.Equal(state, query["state"].ToString());
        var tokens = await provider.Upstream.ExchangeCodeAsync(query["code"].ToString(), callback, verifier, CancellationToken.None);
        Assert.False(string.IsNullOrEmpty(tokens.AccessToken));
        Assert.False(string.IsNullOrEmpty(tokens.RefreshToken));
        Assert.True(tokens.ExpiresIn > 0);

        // A code works once: the second exchange is the provider's refusal, not an outage.
        var again = await Assert.ThrowsAsync<Drivers.Relay.RelayUpstreamException>(() => provider.Upstream.ExchangeCodeAsync(query["code"].ToString(), callback, verifier, CancellationToken.None));
        Assert.True(again.Rejected, again.Message);
    }

    [Fact]
    public async Task DiskTop_device_flow_runs_to_approval()
    {
        await using var fake = await FakeCloud.StartAsync(new FakeCloudOptions { EnforceRateLimits = false });
        var account = fake.DiskTop.CreateAccount();
        fake.DiskTop.DeviceIntervalSeconds = 0; // polls back to back in a test
        await using var relay = await RelayHost.StartAsync(fake);
        var upstream = relay.Host.Services.GetRequiredService<RelayDirectory>().Providers["disktop"].Upstream;

        var started = await upstream.StartDeviceFlowAsync(CancellationToken.None);
        Assert.Equal(Drivers.Relay.RelayDevicePollState.Pending, (await upstream.PollDeviceFlowAsync(started.DeviceCode, CancellationToken.None)).State);
        fake.DiskTop.ApproveDevice(started.UserCode, account);
        var done = await upstream.PollDeviceFlowAsync(started.DeviceCode, CancellationToken.None);

        Assert.True(done.State == Drivers.Relay.RelayDevicePollState.Approved, $"{done.State}: {done.Reason}");
        Assert.False(string.IsNullOrEmpty(done.Tokens!.RefreshToken));
    }
}
