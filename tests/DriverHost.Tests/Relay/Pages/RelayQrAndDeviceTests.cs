using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using OpenList.DriverHost.Drivers.Relay;

namespace OpenList.DriverHost.DriverHost.Tests.Relay.Pages;

/// <summary>Issue 9 (pages): the phone (QR) mode and the device-code mode.</summary>
public sealed class RelayQrAndDeviceTests
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    [Fact]
    public async Task In_QR_mode_the_phone_signs_in_and_sees_only_done_while_the_desktop_gets_the_tokens()
    {
        var upstream = new StubRelayUpstream("alicloud", "Aliyundrive Open");
        await using var host = await RelayPagesHost.StartAsync([upstream]);
        using var desktop = host.NewBrowser();
        using var phone = host.NewBrowser();

        using var start = await desktop.PostFormAsync("/relay/alicloud/start", ("mode", "qr"));
        Assert.Equal(HttpStatusCode.SeeOther, start.StatusCode);
        Assert.Equal("/relay/alicloud/wait", start.Headers.Location!.OriginalString);
        var wait = await (await desktop.GetAsync("/relay/alicloud/wait")).Content.ReadAsStringAsync();
        Assert.Contains("<img class=\"qr\" src=\"/relay/alicloud/qr.png\"", wait, StringComparison.Ordinal); // our own origin
        Assert.Contains("data-status-url=\"/relay/alicloud/status\"", wait, StringComparison.Ordinal);
        var go = new Uri(WebUtility.HtmlDecode(RelayPagesHost.ElementHtml(wait, "golink")));
        Assert.Matches("^" + Regex.Escape(host.BaseAddress + "relay/alicloud/go/") + "[A-Za-z0-9_-]{43}$", go.AbsoluteUri);

        using var qr = await desktop.GetAsync("/relay/alicloud/qr.png");
        Assert.Equal("image/png", qr.Content.Headers.ContentType!.MediaType);
        Assert.Equal(PngSignature, (await qr.Content.ReadAsByteArrayAsync())[..8]);
        Assert.Equal(HttpStatusCode.NotFound, (await phone.GetAsync("/relay/alicloud/qr.png")).StatusCode); // the QR is the desktop's
        Assert.Equal("pending", await StatusAsync(desktop, "alicloud"));

        // The phone: the QR's URL is a page with a link (prefetch-safe); following the link goes to the provider.
        using var confirm = await phone.GetAsync(go.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, confirm.StatusCode);
        Assert.Equal($"{go.AbsolutePath}/continue", WebUtility.HtmlDecode(Regex.Match(await confirm.Content.ReadAsStringAsync(), "id=\"continue\" href=\"([^\"]+)\"").Groups[1].Value));
        Assert.Equal(HttpStatusCode.OK, (await phone.GetAsync(go.PathAndQuery)).StatusCode); // a preview spends nothing
        Assert.Equal("pending", await StatusAsync(desktop, "alicloud"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await phone.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, go.AbsolutePath + "/continue"))).StatusCode);
        using var toProvider = await phone.GetAsync(go.AbsolutePath + "/continue");
        Assert.Equal(HttpStatusCode.SeeOther, toProvider.StatusCode);
        Assert.False(toProvider.Headers.Contains("Set-Cookie"));
        var state = RelayPagesHost.QueryValue(toProvider.Headers.Location!, "state")!;
        Assert.Equal("scanned", await StatusAsync(desktop, "alicloud"));
        Assert.Equal(HttpStatusCode.Gone, (await phone.GetAsync(go.AbsolutePath + "/continue")).StatusCode); // single use
        Assert.Equal(HttpStatusCode.Gone, (await phone.GetAsync(go.AbsolutePath)).StatusCode);

        using var phoneCallback = await phone.GetAsync($"/relay/alicloud/callback?code=phone-code&state={state}");
        Assert.Equal(HttpStatusCode.OK, phoneCallback.StatusCode);
        var phonePage = await phoneCallback.Content.ReadAsStringAsync();
        Assert.Contains("Return to your computer", phonePage, StringComparison.Ordinal);
        Assert.DoesNotContain("phone-code", phonePage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await phone.GetAsync("/relay/alicloud/result")).StatusCode);

        Assert.Equal("done", await StatusAsync(desktop, "alicloud"));
        using var result = await desktop.GetAsync("/relay/alicloud/result");
        Assert.Equal("refresh-phone-code", RelayPagesHost.ElementHtml(await result.Content.ReadAsStringAsync(), "refresh"));
        Assert.Equal(HttpStatusCode.BadRequest, (await phone.GetAsync($"/relay/alicloud/callback?code=phone-code&state={state}")).StatusCode);
        Assert.Single(upstream.Exchanges);
    }

    [Fact]
    public async Task A_QR_flows_state_is_not_accepted_before_the_phone_opened_the_link_and_a_used_or_unknown_link_is_refused()
    {
        var upstream = new StubRelayUpstream("alicloud");
        await using var host = await RelayPagesHost.StartAsync([upstream]);
        using var desktop = host.NewBrowser();
        using var phone = host.NewBrowser();
        await desktop.PostFormAsync("/relay/alicloud/start", ("mode", "qr"));
        Assert.Equal(HttpStatusCode.Gone, (await phone.GetAsync("/relay/alicloud/go/" + new string('A', 43))).StatusCode);
        var wait = await (await desktop.GetAsync("/relay/alicloud/wait")).Content.ReadAsStringAsync();
        var go = new Uri(WebUtility.HtmlDecode(RelayPagesHost.ElementHtml(wait, "golink")));
        host.Time.Advance(TimeSpan.FromMinutes(11));
        Assert.Equal(HttpStatusCode.Gone, (await phone.GetAsync(go.AbsolutePath + "/continue")).StatusCode);
        Assert.Equal("expired", await StatusAsync(desktop, "alicloud"));
        Assert.Equal(HttpStatusCode.Gone, (await desktop.GetAsync("/relay/alicloud/result")).StatusCode);
        Assert.Empty(upstream.Exchanges);
    }

    [Fact]
    public async Task A_denial_on_the_phone_reaches_the_desktops_result_page_as_text()
    {
        var upstream = new StubRelayUpstream("alicloud");
        await using var host = await RelayPagesHost.StartAsync([upstream]);
        using var desktop = host.NewBrowser();
        using var phone = host.NewBrowser();
        await desktop.PostFormAsync("/relay/alicloud/start", ("mode", "qr"));
        var go = new Uri(WebUtility.HtmlDecode(RelayPagesHost.ElementHtml(await (await desktop.GetAsync("/relay/alicloud/wait")).Content.ReadAsStringAsync(), "golink")));
        var state = RelayPagesHost.QueryValue((await phone.GetAsync(go.AbsolutePath + "/continue")).Headers.Location!, "state");
        Assert.Equal(HttpStatusCode.BadRequest, (await phone.GetAsync($"/relay/alicloud/callback?error=access_denied&state={state}")).StatusCode);
        Assert.Equal("failed", await StatusAsync(desktop, "alicloud"));
        using var result = await desktop.GetAsync("/relay/alicloud/result");
        Assert.Equal(HttpStatusCode.BadRequest, result.StatusCode);
        Assert.Contains("access_denied", await result.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(upstream.Exchanges);
    }

    [Fact]
    public async Task The_device_flow_shows_the_user_code_polls_no_faster_than_the_interval_and_ends_on_the_result_page()
    {
        var upstream = new StubRelayUpstream("disktop", "Disk.Top", "DiskTop", device: true);
        await using var host = await RelayPagesHost.StartAsync([upstream]);
        using var browser = host.NewBrowser();
        using var start = await browser.PostFormAsync("/relay/disktop/start", ("mode", "device"));
        Assert.Equal("/relay/disktop/wait", start.Headers.Location!.OriginalString);
        var wait = await (await browser.GetAsync("/relay/disktop/wait")).Content.ReadAsStringAsync();
        Assert.Equal("WDJB-MJHT", RelayPagesHost.ElementHtml(wait, "usercode"));
        Assert.Contains("href=\"https://provider.invalid/device\"", wait, StringComparison.Ordinal);
        Assert.Contains("<img class=\"qr\" src=\"/relay/disktop/qr.png\"", wait, StringComparison.Ordinal);
        Assert.Equal(PngSignature, (await (await browser.GetAsync("/relay/disktop/qr.png")).Content.ReadAsByteArrayAsync())[..8]);

        Assert.Equal("pending", await StatusAsync(browser, "disktop"));
        Assert.Equal(0, upstream.Polls); // the interval (5 s) has not passed
        host.Time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal("pending", await StatusAsync(browser, "disktop"));
        Assert.Equal("pending", await StatusAsync(browser, "disktop"));
        Assert.Equal(1, upstream.Polls);

        upstream.NextPolls.Enqueue(new RelayDevicePoll(RelayDevicePollState.SlowDown, NewInterval: TimeSpan.FromSeconds(10)));
        host.Time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal("pending", await StatusAsync(browser, "disktop"));
        Assert.Equal(2, upstream.Polls);
        host.Time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal("pending", await StatusAsync(browser, "disktop"));
        Assert.Equal(2, upstream.Polls); // slow_down: 10 s now

        upstream.NextPolls.Enqueue(new RelayDevicePoll(RelayDevicePollState.Approved, new RelayTokens("device-access", "device-refresh", 3600)));
        host.Time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal("done", await StatusAsync(browser, "disktop"));
        Assert.Equal(3, upstream.Polls);
        var result = await (await browser.GetAsync("/relay/disktop/result")).Content.ReadAsStringAsync();
        Assert.Equal("device-refresh", RelayPagesHost.ElementHtml(result, "refresh"));
        Assert.DoesNotContain(StubRelayUpstream.DeviceCodeValue, wait + result, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_denied_device_code_ends_with_the_reason_on_the_result_page()
    {
        var upstream = new StubRelayUpstream("disktop", "Disk.Top", "DiskTop", device: true);
        await using var host = await RelayPagesHost.StartAsync([upstream]);
        using var browser = host.NewBrowser();
        await browser.PostFormAsync("/relay/disktop/start", ("mode", "device"));
        upstream.NextPolls.Enqueue(new RelayDevicePoll(RelayDevicePollState.Denied, Reason: "access_denied <b>"));
        host.Time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal("failed", await StatusAsync(browser, "disktop"));
        var html = await (await browser.GetAsync("/relay/disktop/result")).Content.ReadAsStringAsync();
        Assert.Contains("Denied: access_denied &lt;b&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_provider_outage_while_polling_keeps_the_device_flow_waiting_and_a_refusal_ends_it()
    {
        var upstream = new StubRelayUpstream("disktop", "Disk.Top", "DiskTop", device: true);
        await using var host = await RelayPagesHost.StartAsync([upstream]);
        using var browser = host.NewBrowser();
        await browser.PostFormAsync("/relay/disktop/start", ("mode", "device"));
        upstream.PollFailure = new RelayUpstreamException("Disk.Top answered 503", rejected: false, 503, TimeSpan.FromSeconds(20));
        host.Time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal("pending", await StatusAsync(browser, "disktop"));
        host.Time.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal("pending", await StatusAsync(browser, "disktop"));
        Assert.Equal(1, upstream.Polls); // Retry-After widened the wait: 5 s + 20 s
        host.Time.Advance(TimeSpan.FromSeconds(5));
        upstream.PollFailure = new RelayUpstreamException("invalid_grant: <i>device code unknown</i>", rejected: true, 400);
        Assert.Equal("failed", await StatusAsync(browser, "disktop"));
        var html = await (await browser.GetAsync("/relay/disktop/result")).Content.ReadAsStringAsync();
        Assert.Contains("invalid_grant: &lt;i&gt;device code unknown&lt;/i&gt;", html, StringComparison.Ordinal);
    }

    private static async Task<string> StatusAsync(RelayPagesHost.Browser browser, string prefix)
    {
        using var response = await browser.GetAsync($"/relay/{prefix}/status");
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(2, json.RootElement.EnumerateObject().Count()); // status and message, never a token
        return json.RootElement.GetProperty("status").GetString()!;
    }
}
