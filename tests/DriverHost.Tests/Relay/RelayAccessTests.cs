using System.Net;
using OpenList.DriverHost.CloudFakes;

namespace OpenList.DriverHost.DriverHost.Tests.Relay;

/// <summary>Issue 9: the relay's budgets (per client IP, per refresh token) and its browser access (CORS, Origin).</summary>
public sealed class RelayAccessTests
{
    [Fact]
    public async Task Per_IP_budget_answers_429_with_Retry_After()
    {
        await using var fake = await FakeCloud.StartAsync(new FakeCloudOptions { EnforceRateLimits = false });
        await using var relay = await RelayHost.StartAsync(fake, rateLimits: """{ "per_ip_per_minute": 3, "per_token_per_minute": 0 }""");
        using var client = relay.Client();

        for (var i = 0; i < 3; i++)
        {
            using var allowed = await RelayCalls.GetAsync(client, "115cloud", "token-" + i, "115cloud_go");
            Assert.NotEqual(HttpStatusCode.TooManyRequests, allowed.StatusCode);
        }

        using var refused = await RelayCalls.PostAsync(client, "115cloud", "token-x", "115cloud_go");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.InRange(refused.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        Assert.NotEmpty(await RelayCalls.TextAsync(refused));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Behind_a_trusted_proxy_the_per_IP_budget_counts_the_forwarded_client(bool trusted)
    {
        await using var fake = await FakeCloud.StartAsync(new FakeCloudOptions { EnforceRateLimits = false });
        await using var relay = await RelayHost.StartAsync(
            fake,
            rateLimits: """{ "per_ip_per_minute": 1, "per_token_per_minute": 0 }""",
            serverExtra: trusted ? "\"trusted_proxies\": [\"127.0.0.0/8\"]" : "");
        using var client = relay.Client();

        async Task<HttpStatusCode> FromAsync(string forwardedFor, string token)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/relay/115cloud/renewapi?refresh_ui={token}&server_use=true&driver_txt=115cloud_go");
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor);
            using var response = await client.SendAsync(request);
            return response.StatusCode;
        }

        Assert.NotEqual(HttpStatusCode.TooManyRequests, await FromAsync("203.0.113.5", "t1"));

        // Another client behind the proxy has its own budget only when the proxy is trusted; a forged header from
        // an untrusted peer changes nothing.
        var second = await FromAsync("203.0.113.6", "t2");
        Assert.Equal(trusted, second != HttpStatusCode.TooManyRequests);
        Assert.Equal(HttpStatusCode.TooManyRequests, await FromAsync("203.0.113.5", "t3"));
    }

    [Fact]
    public async Task Per_token_budget_answers_429_for_that_token_only()
    {
        await using var fake = await FakeCloud.StartAsync(new FakeCloudOptions { EnforceRateLimits = false });
        await using var relay = await RelayHost.StartAsync(fake, rateLimits: """{ "per_ip_per_minute": 0, "per_token_per_minute": 2 }""");
        using var client = relay.Client();

        for (var i = 0; i < 2; i++)
        {
            using var allowed = await RelayCalls.GetAsync(client, "115cloud", "same-token", "115cloud_go");
            Assert.NotEqual(HttpStatusCode.TooManyRequests, allowed.StatusCode);
        }

        using var refused = await RelayCalls.GetAsync(client, "115cloud", "same-token", "115cloud_go");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));

        using var other = await RelayCalls.GetAsync(client, "115cloud", "another-token", "115cloud_go");
        Assert.NotEqual(HttpStatusCode.TooManyRequests, other.StatusCode);
    }

    [Fact]
    public async Task Budgets_are_kept_per_provider()
    {
        await using var fake = await FakeCloud.StartAsync(new FakeCloudOptions { EnforceRateLimits = false });
        await using var relay = await RelayHost.StartAsync(fake, rateLimits: """{ "per_ip_per_minute": 1, "per_token_per_minute": 0 }""");
        using var client = relay.Client();

        using var first = await RelayCalls.GetAsync(client, "alicloud", "t1", "alicloud_qr");
        using var second = await RelayCalls.GetAsync(client, "alicloud", "t2", "alicloud_qr");
        using var otherProvider = await RelayCalls.GetAsync(client, "115cloud", "t3", "115cloud_go");

        Assert.NotEqual(HttpStatusCode.TooManyRequests, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, otherProvider.StatusCode); // budgets are per provider
    }

    [Fact]
    public async Task CORS_is_granted_to_allowed_origins_only()
    {
        await using var fake = await FakeCloud.StartAsync(new FakeCloudOptions { EnforceRateLimits = false });
        await using var relay = await RelayHost.StartAsync(fake, relayExtra: "\"allowed_origins\": [\"https://openlist.example.org\"]");
        using var client = relay.Client();

        using var allowed = await Preflight(client, "https://openlist.example.org");
        Assert.Equal(HttpStatusCode.NoContent, allowed.StatusCode);
        Assert.Equal("https://openlist.example.org", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("POST", allowed.Headers.GetValues("Access-Control-Allow-Methods").Single(), StringComparison.Ordinal);

        using var own = await Preflight(client, "https://relay.example.com");
        Assert.True(own.Headers.Contains("Access-Control-Allow-Origin"));

        using var foreign = await Preflight(client, "https://evil.example.net");
        Assert.False(foreign.Headers.Contains("Access-Control-Allow-Origin"));

        using var get = new HttpRequestMessage(HttpMethod.Get, "/relay/115cloud/renewapi?refresh_ui=x&server_use=false");
        get.Headers.TryAddWithoutValidation("Origin", "https://evil.example.net");
        using var foreignGet = await client.SendAsync(get);
        Assert.False(foreignGet.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task POST_from_a_foreign_origin_is_403_and_from_an_allowed_one_is_served()
    {
        await using var fake = await FakeCloud.StartAsync(new FakeCloudOptions { EnforceRateLimits = false });
        await using var relay = await RelayHost.StartAsync(fake, relayExtra: "\"allowed_origins\": [\"https://openlist.example.org\"]");
        var tokens = fake.Open115.IssueTokens(fake.Open115.CreateAccount());
        using var client = relay.Client();

        using var foreign = await RelayCalls.PostAsync(client, "115cloud", tokens.RefreshToken, "115cloud_go", origin: "https://evil.example.net");
        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
        Assert.Equal(0, fake.Open115.RefreshCount);

        using var allowed = await RelayCalls.PostAsync(client, "115cloud", tokens.RefreshToken, "115cloud_go", origin: "https://openlist.example.org");
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal("https://openlist.example.org", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    private static Task<HttpResponseMessage> Preflight(HttpClient client, string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/relay/alicloud/renewapi");
        request.Headers.TryAddWithoutValidation("Origin", origin);
        request.Headers.TryAddWithoutValidation("Access-Control-Request-Method", "POST");
        return client.SendAsync(request);
    }
}
