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
}
