using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using OpenList.DriverHost.CloudFakes;
using OpenList.DriverHost.DriverHost.Tests.AuthTests;

namespace OpenList.DriverHost.DriverHost.Tests.Relay.Pages;

/// <summary>Issue 9 (pages), end to end: the real host and the real upstreams against each provider's fake.</summary>
public sealed class RelayEndToEndTests
{
    public static TheoryData<string> Prefixes => new() { "alicloud", "115cloud", "123cloud", "disktop" };

    [Theory]
    [MemberData(nameof(Prefixes))]
    public async Task Every_provider_authorizes_in_the_browser_and_the_hostile_tokens_are_shown_as_text(string prefix)
    {
        await using var fake = await FakeCloud.StartAsync(new FakeCloudOptions { EnforceRateLimits = false });
        using var logs = new CapturingLoggerProvider();
        await using var relay = await RelayEndToEndHost.StartAsync(fake, logs.CreateFactory(), prefix);
        var refresh = RelayResultPageTests.ScriptToken + " " + prefix;
        var access = RelayResultPageTests.AttributeToken + " " + prefix;
        NextTokens(fake, prefix, access, refresh);

        using var browser = relay.NewBrowser();
        using var provider = await browser.GetAsync($"/relay/{prefix}/");
        Assert.Equal(HttpStatusCode.OK, provider.StatusCode);
        var (authorize, state) = await browser.StartAsync(prefix);
        Assert.Equal(fake.BaseUrl.Authority, authorize.Authority);
        var callback = await RelayEndToEndHost.ConsentAsync(authorize);
        Assert.Equal(relay.BaseAddress + $"relay/{prefix}/callback", callback.GetLeftPart(UriPartial.Path));
        Assert.Equal(state, RelayPagesHost.QueryValue(callback, "state"));
        var code = RelayPagesHost.QueryValue(callback, "code")!;

        using var back = await browser.GetAsync(callback.PathAndQuery);
        Assert.True(back.StatusCode == HttpStatusCode.SeeOther, await back.Content.ReadAsStringAsync());
        Assert.Equal($"/relay/{prefix}/result", back.Headers.Location!.OriginalString);
        using var result = await browser.GetAsync($"/relay/{prefix}/result");
        var html = await result.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, result.StatusCode);
        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>document", html, StringComparison.Ordinal);
        Assert.Equal(refresh, WebUtility.HtmlDecode(RelayPagesHost.ElementHtml(html, "refresh")));
        Assert.Equal(access, WebUtility.HtmlDecode(RelayPagesHost.ElementHtml(html, "access")));
        using var snippet = JsonDocument.Parse(WebUtility.HtmlDecode(RelayPagesHost.ElementHtml(html, "snippet")));
        Assert.Contains(refresh, snippet.RootElement.GetProperty("addition").EnumerateObject().Select(p => p.Value.ToString()));
        Assert.Equal(relay.BaseAddress + $"relay/{prefix}/renewapi", snippet.RootElement.GetProperty("addition").GetProperty("api_url_address").GetString());
        Assert.Equal(1, fake.Requests.Snapshot().Count(r => r.Path == RelayEndToEndHost.TokenPath(prefix)));

        // Nothing of the flow in the logs: not the code (it came in the callback's query), not the state, not a token.
        await Task.Delay(100); // the request line is written once the response has completed
        var all = logs.AllText;
        Assert.Contains($"GET /relay/{prefix}/callback", all, StringComparison.Ordinal);
        foreach (var secret in new[] { code, state, "pwned" })
        {
            Assert.DoesNotContain(secret, all, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Prefixes))]
    public async Task A_callback_with_a_wrong_or_missing_state_is_refused_and_the_providers_token_endpoint_is_not_called(string prefix)
    {
        await using var fake = await FakeCloud.StartAsync(new FakeCloudOptions { EnforceRateLimits = false });
        await using var relay = await RelayEndToEndHost.StartAsync(fake, null, prefix);
        using var browser = relay.NewBrowser();
        var (authorize, state) = await browser.StartAsync(prefix);
        var callback = await RelayEndToEndHost.ConsentAsync(authorize);
        var code = RelayPagesHost.QueryValue(callback, "code")!;
        var path = $"/relay/{prefix}/callback";
        var changed = (state[0] == 'A' ? 'B' : 'A') + state[1..]; // one character off (never the same state by chance)
        foreach (var query in new[] { $"?code={code}", $"?code={code}&state=", $"?code={code}&state={state}x", $"?code={code}&state={changed}" })
        {
            using var refused = await browser.GetAsync(path + query);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }

        using var otherBrowser = relay.NewBrowser();
        Assert.Equal(HttpStatusCode.BadRequest, (await otherBrowser.GetAsync(callback.PathAndQuery)).StatusCode); // no cookie
        Assert.Equal(0, fake.Requests.Snapshot().Count(r => r.Path == RelayEndToEndHost.TokenPath(prefix)));
    }

    [Theory]
    [MemberData(nameof(Prefixes))]
    public async Task A_denial_at_the_providers_consent_page_is_shown_and_nothing_is_exchanged(string prefix)
    {
        await using var fake = await FakeCloud.StartAsync(new FakeCloudOptions { EnforceRateLimits = false });
        await using var relay = await RelayEndToEndHost.StartAsync(fake, null, prefix);
        switch (prefix)
        {
            case "alicloud": fake.Aliyun.DenyNextAuthorization(); break;
            case "115cloud": fake.Open115.DenyNextAuthorization(); break;
            case "123cloud": fake.Open123.DenyNextAuthorization(); break;
            default: fake.DiskTop.DenyNextAuthorization(); break;
        }

        using var browser = relay.NewBrowser();
        var (authorize, _) = await browser.StartAsync(prefix);
        var callback = await RelayEndToEndHost.ConsentAsync(authorize);
        using var denied = await browser.GetAsync(callback.PathAndQuery);
        Assert.Equal(HttpStatusCode.BadRequest, denied.StatusCode);
        Assert.Contains("access_denied", await denied.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, fake.Requests.Snapshot().Count(r => r.Path == RelayEndToEndHost.TokenPath(prefix)));
    }

    [Fact]
    public async Task The_phone_signs_in_through_the_QR_link_and_the_desktop_gets_the_tokens()
    {
        await using var fake = await FakeCloud.StartAsync(new FakeCloudOptions { EnforceRateLimits = false });
        await using var relay = await RelayEndToEndHost.StartAsync(fake, null, "alicloud");
        fake.Aliyun.NextTokens("qr-access-token-value", "qr-refresh-token-value");
        using var desktop = relay.NewBrowser();
        using var phone = relay.NewBrowser();
        Assert.Equal(HttpStatusCode.SeeOther, (await desktop.GetAsync("/relay/alicloud/start?mode=qr")).StatusCode);
        var wait = await (await desktop.GetAsync("/relay/alicloud/wait")).Content.ReadAsStringAsync();
        var go = new Uri(WebUtility.HtmlDecode(RelayPagesHost.ElementHtml(wait, "golink")));
        Assert.Equal(HttpStatusCode.OK, (await desktop.GetAsync("/relay/alicloud/qr.png")).StatusCode);

        using var toProvider = await phone.GetAsync(go.AbsolutePath + "/continue");
        var callback = await RelayEndToEndHost.ConsentAsync(toProvider.Headers.Location!);
        using var done = await phone.GetAsync(callback.PathAndQuery);
        var phonePage = await done.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.DoesNotContain("qr-refresh-token-value", phonePage, StringComparison.Ordinal);

        using var status = await desktop.GetAsync("/relay/alicloud/status");
        Assert.Contains("\"done\"", await status.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var result = await (await desktop.GetAsync("/relay/alicloud/result")).Content.ReadAsStringAsync();
        Assert.Equal("qr-refresh-token-value", RelayPagesHost.ElementHtml(result, "refresh"));
    }

    [Fact]
    public async Task The_DiskTop_device_flow_waits_while_pending_and_ends_on_the_result_page_once_approved()
    {
        await using var fake = await FakeCloud.StartAsync(new FakeCloudOptions { EnforceRateLimits = false });
        fake.DiskTop.DeviceIntervalSeconds = 1;
        await using var relay = await RelayEndToEndHost.StartAsync(fake, null, "disktop");
        fake.DiskTop.NextTokens("device-access-token-value", "device-refresh-token-value");
        using var browser = relay.NewBrowser();
        using var start = await browser.GetAsync("/relay/disktop/start?mode=device");
        Assert.True(start.StatusCode == HttpStatusCode.SeeOther, await start.Content.ReadAsStringAsync());
        var wait = await (await browser.GetAsync("/relay/disktop/wait")).Content.ReadAsStringAsync();
        var userCode = WebUtility.HtmlDecode(RelayPagesHost.ElementHtml(wait, "usercode"));
        Assert.Equal(userCode, Assert.Single(fake.DiskTop.PendingUserCodes));
        Assert.Matches(new Regex("href=\"" + Regex.Escape(fake.BaseUrl.AbsoluteUri)), wait);

        await Task.Delay(1100);
        Assert.Contains("\"pending\"", await (await browser.GetAsync("/relay/disktop/status")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var approve = await new HttpClient().PostAsync(new Uri(fake.BaseUrl, "_fake/disktop/device/approve?user_code=" + Uri.EscapeDataString(userCode)), null);
        Assert.Equal(HttpStatusCode.NoContent, approve.StatusCode);

        string body = "";
        for (var i = 0; i < 30 && !body.Contains("\"done\"", StringComparison.Ordinal); i++)
        {
            await Task.Delay(500);
            body = await (await browser.GetAsync("/relay/disktop/status")).Content.ReadAsStringAsync();
        }

        Assert.Contains("\"done\"", body, StringComparison.Ordinal);
        var result = await (await browser.GetAsync("/relay/disktop/result")).Content.ReadAsStringAsync();
        Assert.Equal("device-refresh-token-value", RelayPagesHost.ElementHtml(result, "refresh"));
        Assert.Equal("device-access-token-value", RelayPagesHost.ElementHtml(result, "access"));
    }

    [Fact]
    public async Task The_pages_run_before_Basic_authentication_and_with_the_relay_off_are_404()
    {
        await using var fake = await FakeCloud.StartAsync(new FakeCloudOptions { EnforceRateLimits = false });
        await using var relay = await RelayEndToEndHost.StartAsync(fake, null, "alicloud");
        using var browser = relay.NewBrowser();
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/relay/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/relay/static/relay.js")).StatusCode);

        await using var plain = await Functional.HostFixture.StartAsync();
        using var client = plain.Client(user: null);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/relay/")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/relay/alicloud/start")).StatusCode);
    }

    private static void NextTokens(FakeCloud fake, string prefix, string access, string refresh)
    {
        switch (prefix)
        {
            case "alicloud": fake.Aliyun.NextTokens(access, refresh); break;
            case "115cloud": fake.Open115.NextTokens(access, refresh); break;
            case "123cloud": fake.Open123.NextTokens(access, refresh); break;
            default: fake.DiskTop.NextTokens(access, refresh); break;
        }
    }
}
