using System.Net;
using System.Text.RegularExpressions;

namespace OpenList.DriverHost.DriverHost.Tests.Relay.Pages;

/// <summary>Issue 9 (pages): the routes, the headers on every page, the cookie a start sets and where it sends the browser.</summary>
public sealed class RelayPagesRouteTests
{
    private const string Csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    [Fact]
    public async Task The_index_lists_the_enabled_providers_with_links()
    {
        await using var host = await RelayPagesHost.StartAsync([new StubRelayUpstream("alicloud", "Aliyundrive Open"), new StubRelayUpstream("disktop", "Disk.Top", "DiskTop", device: true)]);
        using var browser = host.NewBrowser();
        foreach (var path in new[] { "/relay/", "/relay" })
        {
            using var response = await browser.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType!.ToString());
            var html = await response.Content.ReadAsStringAsync();
            Assert.Contains("<a href=\"/relay/alicloud/\">Aliyundrive Open</a>", html, StringComparison.Ordinal);
            Assert.Contains("<a href=\"/relay/disktop/\">Disk.Top</a>", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task With_the_relay_off_every_page_answers_404()
    {
        await using var host = await RelayPagesHost.StartAsync([new StubRelayUpstream("alicloud")], enabled: false);
        using var browser = host.NewBrowser();
        foreach (var path in new[] { "/relay/", "/relay/alicloud/", "/relay/alicloud/start", "/relay/alicloud/callback?code=c&state=s", "/relay/static/relay.js" })
        {
            using var response = await browser.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal(Csp, response.Headers.GetValues("Content-Security-Policy").Single());
        }
    }

    [Fact]
    public async Task An_unknown_provider_is_404_and_renewapi_is_left_to_the_next_middleware()
    {
        await using var host = await RelayPagesHost.StartAsync([new StubRelayUpstream("alicloud")]);
        using var browser = host.NewBrowser();
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/relay/nosuch/")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/relay/nosuch/start")).StatusCode);
        Assert.Equal((HttpStatusCode)418, (await browser.GetAsync("/relay/alicloud/renewapi?refresh_ui=x")).StatusCode);
        Assert.Equal((HttpStatusCode)418, (await browser.GetAsync("/relay/alicloud/go/")).StatusCode);
        Assert.Equal((HttpStatusCode)418, (await browser.GetAsync("/relay/alicloud/go/x/y")).StatusCode);
        Assert.Equal((HttpStatusCode)418, (await browser.GetAsync("/relayx/")).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await browser.Client.DeleteAsync("/relay/alicloud/start")).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await browser.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/relay/alicloud/result"))).StatusCode);
    }

    [Fact]
    public async Task The_provider_page_offers_this_browser_and_the_phone_and_the_device_code_only_where_supported()
    {
        await using var host = await RelayPagesHost.StartAsync([new StubRelayUpstream("alicloud", "Aliyundrive Open"), new StubRelayUpstream("disktop", "Disk.Top", "DiskTop", device: true)]);
        using var browser = host.NewBrowser();
        var ali = await (await browser.GetAsync("/relay/alicloud/")).Content.ReadAsStringAsync();
        Assert.Contains("href=\"/relay/alicloud/start?mode=browser\">Authorize in this browser</a>", ali, StringComparison.Ordinal);
        Assert.Contains("href=\"/relay/alicloud/start?mode=qr\"", ali, StringComparison.Ordinal);
        Assert.Contains("Scan with your phone", ali, StringComparison.Ordinal);
        Assert.DoesNotContain("mode=device", ali, StringComparison.Ordinal);
        Assert.Contains(host.BaseAddress + "relay/alicloud/callback", ali, StringComparison.Ordinal);
        Assert.Contains(host.BaseAddress + "relay/alicloud/renewapi", ali, StringComparison.Ordinal);
        var disktop = await (await browser.GetAsync("/relay/disktop")).Content.ReadAsStringAsync();
        Assert.Contains("mode=device", disktop, StringComparison.Ordinal);
        Assert.Contains("Device code", disktop, StringComparison.Ordinal);
        using var refused = await browser.PostFormAsync("/relay/alicloud/start", ("mode", "device"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
    }

    [Fact]
    public async Task Every_page_carries_the_CSP_nosniff_no_referrer_and_no_store_and_no_inline_script_or_style()
    {
        await using var host = await RelayPagesHost.StartAsync([new StubRelayUpstream("alicloud")]);
        using var browser = host.NewBrowser();
        foreach (var path in new[] { "/relay/", "/relay/alicloud/", "/relay/static/relay.js", "/relay/static/relay.css", "/relay/nosuch/", "/relay/alicloud/callback", "/relay/alicloud/result", "/relay/alicloud/start" })
        {
            using var response = await browser.GetAsync(path);
            Assert.Equal(Csp, response.Headers.GetValues("Content-Security-Policy").Single());
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
            Assert.True(response.Headers.CacheControl!.NoStore, path);
            var body = await response.Content.ReadAsStringAsync();
            if (response.Content.Headers.ContentType?.MediaType == "text/html")
            {
                Assert.DoesNotMatch(new Regex("<script(?![^>]*\\bsrc=\"/relay/static/relay\\.js\")"), body);
                Assert.DoesNotMatch(new Regex("<style|\\sstyle=|\\son[a-z]+="), body);
            }
        }

        using var script = await browser.GetAsync("/relay/static/relay.js");
        Assert.Equal("text/javascript; charset=utf-8", script.Content.Headers.ContentType!.ToString());
        var js = await script.Content.ReadAsStringAsync();
        Assert.Contains("textContent", js, StringComparison.Ordinal);
        Assert.DoesNotContain("innerHTML", js, StringComparison.Ordinal);
        Assert.Equal("text/css; charset=utf-8", (await browser.GetAsync("/relay/static/relay.css")).Content.Headers.ContentType!.ToString());
    }

    [Fact]
    public async Task Start_sets_an_HttpOnly_Lax_cookie_holding_only_the_flow_id_and_sends_the_browser_to_the_provider_with_state_and_PKCE()
    {
        var upstream = new StubRelayUpstream("alicloud");
        await using var host = await RelayPagesHost.StartAsync([upstream]);
        using var browser = host.NewBrowser();
        using var response = await browser.PostFormAsync("/relay/alicloud/start", ("mode", "browser"));
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.Matches("^relay_flow=[A-Za-z0-9_-]{43}; Max-Age=600; Path=/relay/; HttpOnly; SameSite=Lax$", cookie); // plain http: no Secure
        var location = response.Headers.Location!;
        Assert.Equal("provider.invalid", location.Host);
        var state = RelayPagesHost.QueryValue(location, "state")!;
        Assert.Matches("^[A-Za-z0-9_-]{43}$", state);
        Assert.DoesNotContain(state, cookie, StringComparison.Ordinal);
        Assert.Equal(host.BaseAddress + "relay/alicloud/callback", RelayPagesHost.QueryValue(location, "redirect_uri"));
        var challenge = RelayPagesHost.QueryValue(location, "code_challenge")!;

        using var callback = await browser.GetAsync($"/relay/alicloud/callback?code=the-code&state={Uri.EscapeDataString(state)}");
        Assert.Equal(HttpStatusCode.SeeOther, callback.StatusCode);
        var (code, redirect, verifier) = Assert.Single(upstream.Exchanges);
        Assert.Equal("the-code", code);
        Assert.Equal(host.BaseAddress + "relay/alicloud/callback", redirect.AbsoluteUri);
        Assert.Equal(challenge, OpenList.DriverHost.Relay.Pages.RelayFlowStore.Challenge(verifier!));
    }

    [Fact]
    public async Task A_start_form_that_is_too_large_or_names_an_unknown_mode_is_refused_without_a_flow()
    {
        await using var host = await RelayPagesHost.StartAsync([new StubRelayUpstream("alicloud")]);
        using var browser = host.NewBrowser();
        using var big = await browser.PostFormAsync("/relay/alicloud/start", ("mode", new string('q', 100_000)));
        Assert.Equal(HttpStatusCode.BadRequest, big.StatusCode);
        Assert.False(big.Headers.Contains("Set-Cookie"));
        using var unknown = await browser.PostFormAsync("/relay/alicloud/start", ("mode", "<b>tv</b>"));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.False(unknown.Headers.Contains("Set-Cookie"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await browser.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/relay/alicloud/start"))).StatusCode);
    }

    [Fact]
    public async Task Start_by_GET_works_and_a_provider_without_PKCE_gets_no_challenge()
    {
        await using var host = await RelayPagesHost.StartAsync([new StubRelayUpstream("123cloud", pkce: false)]);
        using var browser = host.NewBrowser();
        using var response = await browser.GetAsync("/relay/123cloud/start");
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Null(RelayPagesHost.QueryValue(response.Headers.Location!, "code_challenge"));
        Assert.NotNull(RelayPagesHost.QueryValue(response.Headers.Location!, "state"));
    }

    [Fact]
    public async Task The_callback_URL_comes_from_the_public_URL_never_the_Host_header_and_https_makes_the_cookie_Secure()
    {
        await using var host = await RelayPagesHost.StartAsync([new StubRelayUpstream("alicloud")], publicUrl: "https://relay.example.test/");
        using var browser = host.NewBrowser();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/relay/alicloud/start");
        request.Headers.Host = "evil.example";
        using var response = await browser.Client.SendAsync(request);
        Assert.Equal("https://relay.example.test/relay/alicloud/callback", RelayPagesHost.QueryValue(response.Headers.Location!, "redirect_uri"));
        Assert.EndsWith("; Secure", Assert.Single(response.Headers.GetValues("Set-Cookie")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pinned_redirect_URI_is_used_for_the_authorization_and_the_exchange()
    {
        var upstream = new StubRelayUpstream("123cloud", pkce: false);
        var pinned = new Uri("https://relay.example.test/relay/123cloud/callback");
        await using var host = await RelayPagesHost.StartAsync([upstream], pinnedRedirectUri: pinned);
        using var browser = host.NewBrowser();
        var (authorize, state) = await browser.StartAsync("123cloud");
        Assert.Equal(pinned.AbsoluteUri, RelayPagesHost.QueryValue(authorize, "redirect_uri"));
        await browser.GetAsync($"/relay/123cloud/callback?code=c1&state={state}");
        Assert.Equal(pinned, Assert.Single(upstream.Exchanges).RedirectUri);
    }

    [Fact]
    public async Task Start_callback_and_status_are_rate_limited_per_client_address()
    {
        await using var host = await RelayPagesHost.StartAsync([new StubRelayUpstream("alicloud")], perIpPerMinute: 2);
        using var browser = host.NewBrowser();
        Assert.Equal(HttpStatusCode.SeeOther, (await browser.GetAsync("/relay/alicloud/start")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.GetAsync("/relay/alicloud/callback?code=x&state=y")).StatusCode);
        using var limited = await browser.GetAsync("/relay/alicloud/start");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.InRange(int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await browser.GetAsync("/relay/alicloud/callback?code=x&state=y")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/relay/alicloud/")).StatusCode); // pages are not counted
        host.Time.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(HttpStatusCode.SeeOther, (await browser.GetAsync("/relay/alicloud/start")).StatusCode);
    }
}
