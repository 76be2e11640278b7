using System.Net;
using OpenList.DriverHost.Drivers.Relay;

namespace OpenList.DriverHost.DriverHost.Tests.Relay.Pages;

/// <summary>Issue 9 (pages): the callback is accepted only for the flow this browser started, once, in time; otherwise 400 and no exchange.</summary>
public sealed class RelayCallbackTests
{
    [Fact]
    public async Task A_browser_flow_goes_start_provider_callback_result_and_the_tokens_are_shown_once()
    {
        var upstream = new StubRelayUpstream("alicloud", "Aliyundrive Open");
        await using var host = await RelayPagesHost.StartAsync([upstream]);
        using var browser = host.NewBrowser();
        var (_, state) = await browser.StartAsync("alicloud");
        using var callback = await browser.GetAsync($"/relay/alicloud/callback?code=code-1&state={state}");
        Assert.Equal(HttpStatusCode.SeeOther, callback.StatusCode);
        Assert.Equal("/relay/alicloud/result", callback.Headers.Location!.OriginalString); // no token in a URL

        using var result = await browser.GetAsync("/relay/alicloud/result");
        Assert.Equal(HttpStatusCode.OK, result.StatusCode);
        var html = await result.Content.ReadAsStringAsync();
        Assert.Equal("refresh-code-1", RelayPagesHost.ElementHtml(html, "refresh"));
        Assert.Equal("access-code-1", RelayPagesHost.ElementHtml(html, "access"));
        Assert.Matches("^relay_flow=; Max-Age=0; Path=/relay/; HttpOnly; SameSite=Lax$", Assert.Single(result.Headers.GetValues("Set-Cookie")));

        using var again = await browser.GetAsync("/relay/alicloud/result");
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        var second = await again.Content.ReadAsStringAsync();
        Assert.Contains("shown only once", second, StringComparison.Ordinal);
        Assert.DoesNotContain("code-1", second, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_callback_without_state_is_refused_and_the_code_is_not_exchanged()
    {
        var upstream = new StubRelayUpstream("alicloud");
        await using var host = await RelayPagesHost.StartAsync([upstream]);
        using var browser = host.NewBrowser();
        await browser.StartAsync("alicloud");
        using var response = await browser.GetAsync("/relay/alicloud/callback?code=code-1");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("no state", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(upstream.Exchanges);
    }

    [Fact]
    public async Task A_callback_with_a_wrong_state_is_refused_and_the_code_is_not_exchanged()
    {
        var upstream = new StubRelayUpstream("alicloud");
        await using var host = await RelayPagesHost.StartAsync([upstream]);
        using var browser = host.NewBrowser();
        var (_, state) = await browser.StartAsync("alicloud");
        foreach (var wrong in new[] { state[..^1] + (state[^1] == 'A' ? 'B' : 'A'), "x", new string('a', 2000) })
        {
            using var response = await browser.GetAsync($"/relay/alicloud/callback?code=code-1&state={wrong}");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("does not match", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Empty(upstream.Exchanges);
        // The flow is intact: the right state still works.
        Assert.Equal(HttpStatusCode.SeeOther, (await browser.GetAsync($"/relay/alicloud/callback?code=code-2&state={state}")).StatusCode);
        Assert.Equal("code-2", Assert.Single(upstream.Exchanges).Code);
    }

    [Fact]
    public async Task A_callback_in_a_browser_without_the_flow_cookie_is_refused_even_with_the_right_state()
    {
        var upstream = new StubRelayUpstream("alicloud");
        await using var host = await RelayPagesHost.StartAsync([upstream]);
        using var victim = host.NewBrowser();
        using var attacker = host.NewBrowser();
        var (_, state) = await attacker.StartAsync("alicloud");
        using var response = await victim.GetAsync($"/relay/alicloud/callback?code=attackers-code&state={state}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("another browser", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(upstream.Exchanges);
    }

    [Fact]
    public async Task A_replayed_callback_is_refused_and_exchanges_nothing_more()
    {
        var upstream = new StubRelayUpstream("alicloud");
        await using var host = await RelayPagesHost.StartAsync([upstream]);
        using var browser = host.NewBrowser();
        var (_, state) = await browser.StartAsync("alicloud");
        Assert.Equal(HttpStatusCode.SeeOther, (await browser.GetAsync($"/relay/alicloud/callback?code=code-1&state={state}")).StatusCode);
        using var replay = await browser.GetAsync($"/relay/alicloud/callback?code=code-1&state={state}");
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        Assert.Contains("already used", await replay.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Single(upstream.Exchanges);

        // After the result page the flow is gone entirely.
        await browser.GetAsync("/relay/alicloud/result");
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.GetAsync($"/relay/alicloud/callback?code=code-1&state={state}")).StatusCode);
        Assert.Single(upstream.Exchanges);
    }

    [Fact]
    public async Task A_callback_to_another_providers_route_is_refused()
    {
        var ali = new StubRelayUpstream("alicloud");
        var pan = new StubRelayUpstream("123cloud", pkce: false);
        await using var host = await RelayPagesHost.StartAsync([ali, pan]);
        using var browser = host.NewBrowser();
        var (_, state) = await browser.StartAsync("alicloud");
        using var response = await browser.GetAsync($"/relay/123cloud/callback?code=code-1&state={state}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("another provider", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(ali.Exchanges);
        Assert.Empty(pan.Exchanges);
    }

    [Fact]
    public async Task A_callback_after_ten_minutes_is_refused_as_expired()
    {
        var upstream = new StubRelayUpstream("alicloud");
        await using var host = await RelayPagesHost.StartAsync([upstream]);
        using var browser = host.NewBrowser();
        var (_, state) = await browser.StartAsync("alicloud");
        host.Time.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        using var response = await browser.GetAsync($"/relay/alicloud/callback?code=code-1&state={state}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("expired", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(upstream.Exchanges);
    }

    [Fact]
    public async Task A_denial_by_the_provider_is_shown_as_text_and_ends_the_flow_without_an_exchange()
    {
        var upstream = new StubRelayUpstream("alicloud");
        await using var host = await RelayPagesHost.StartAsync([upstream]);
        using var browser = host.NewBrowser();
        var (_, state) = await browser.StartAsync("alicloud");
        var description = Uri.EscapeDataString("<img src=x onerror=alert(1)> said no");
        using var response = await browser.GetAsync($"/relay/alicloud/callback?error=access_denied&error_description={description}&state={state}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("access_denied (&lt;img src=x onerror=alert(1)&gt; said no)", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
        Assert.Contains("relay_flow=; Max-Age=0", Assert.Single(response.Headers.GetValues("Set-Cookie")), StringComparison.Ordinal);
        Assert.Empty(upstream.Exchanges);
    }

    [Fact]
    public async Task A_refused_code_shows_the_providers_reason_as_text()
    {
        var upstream = new StubRelayUpstream("alicloud") { ExchangeFailure = new RelayUpstreamException("InvalidCode: <b>the code is wrong</b>", rejected: true, 400) };
        await using var host = await RelayPagesHost.StartAsync([upstream]);
        using var browser = host.NewBrowser();
        var (_, state) = await browser.StartAsync("alicloud");
        using var response = await browser.GetAsync($"/relay/alicloud/callback?code=bad&state={state}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("InvalidCode: &lt;b&gt;the code is wrong&lt;/b&gt;", RelayPagesHost.ElementHtml(await response.Content.ReadAsStringAsync(), "reason"), StringComparison.Ordinal);

        upstream.ExchangeFailure = new RelayUpstreamException("timed out", rejected: false);
        (_, state) = await browser.StartAsync("alicloud");
        Assert.Equal(HttpStatusCode.BadGateway, (await browser.GetAsync($"/relay/alicloud/callback?code=c&state={state}")).StatusCode);
    }

    [Fact]
    public async Task No_code_state_flow_id_or_token_reaches_the_logs()
    {
        var upstream = new StubRelayUpstream("alicloud");
        await using var host = await RelayPagesHost.StartAsync([upstream]);
        using var browser = host.NewBrowser();
        using var start = await browser.PostFormAsync("/relay/alicloud/start");
        var state = RelayPagesHost.QueryValue(start.Headers.Location!, "state")!;
        var flowId = browser.Cookies.GetCookies(new Uri(host.BaseAddress, "relay/"))["relay_flow"]!.Value;
        await browser.GetAsync($"/relay/alicloud/callback?code=secret-code-value&state=wrong-{state}");
        await browser.GetAsync($"/relay/alicloud/callback?code=secret-code-value&state={state}");
        await browser.GetAsync("/relay/alicloud/result");
        var logs = host.Logs.AllText;
        Assert.Contains("Relay alicloud: Browser authorization started", logs, StringComparison.Ordinal);
        Assert.Contains("tokens shown", logs, StringComparison.Ordinal);
        foreach (var secret in new[] { "secret-code-value", state, flowId, Assert.Single(upstream.Exchanges).Verifier!, "client-secret-value" })
        {
            Assert.DoesNotContain(secret, logs, StringComparison.Ordinal);
        }
    }
}
