using System.Net;
using System.Text.Json;
using OpenList.DriverHost.Drivers.Relay;

namespace OpenList.DriverHost.DriverHost.Tests.Relay.Pages;

/// <summary>Issue 9 (pages): the result page treats every value as text, and its drivers.json record is valid JSON for the driver.</summary>
public sealed class RelayResultPageTests
{
    public const string ScriptToken = "<script>document.title='pwned'</script>";
    public const string AttributeToken = "\"><img src=x onerror=\"document.title='pwned'\">";

    [Fact]
    public async Task Hostile_tokens_are_shown_HTML_encoded_in_the_textareas_and_the_snippet()
    {
        var upstream = new StubRelayUpstream("alicloud", "Aliyundrive Open") { Tokens = _ => new RelayTokens(AttributeToken, ScriptToken, 7200) };
        await using var host = await RelayPagesHost.StartAsync([upstream]);
        using var browser = host.NewBrowser();
        var (_, state) = await browser.StartAsync("alicloud");
        await browser.GetAsync($"/relay/alicloud/callback?code=c&state={state}");
        var html = await (await browser.GetAsync("/relay/alicloud/result")).Content.ReadAsStringAsync();

        Assert.DoesNotContain("<script>document", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
        Assert.DoesNotContain("\"><", html, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(html, "<script"));
        var refresh = RelayPagesHost.ElementHtml(html, "refresh");
        Assert.Equal("&lt;script&gt;document.title=&#x27;pwned&#x27;&lt;/script&gt;", refresh);
        Assert.Equal(ScriptToken, WebUtility.HtmlDecode(refresh));
        Assert.Equal(AttributeToken, WebUtility.HtmlDecode(RelayPagesHost.ElementHtml(html, "access")));

        using var snippet = JsonDocument.Parse(WebUtility.HtmlDecode(RelayPagesHost.ElementHtml(html, "snippet")));
        var record = snippet.RootElement;
        Assert.Equal("/aliyun", record.GetProperty("mount_path").GetString());
        Assert.Equal("AliyundriveOpen", record.GetProperty("driver").GetString());
        var addition = record.GetProperty("addition");
        Assert.Equal(ScriptToken, addition.GetProperty("refresh_token").GetString());
        Assert.Equal(AttributeToken, addition.GetProperty("AccessToken").GetString());
        Assert.True(addition.GetProperty("use_online_api").GetBoolean());
        Assert.True(addition.GetProperty("online_api_post").GetBoolean());
        Assert.Equal(host.BaseAddress + "relay/alicloud/renewapi", addition.GetProperty("api_url_address").GetString());
        Assert.Contains("paste the refresh token", html, StringComparison.Ordinal);
        Assert.Contains("data-copy=\"refresh\"", html, StringComparison.Ordinal);
        Assert.Contains("data-copy=\"snippet\"", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("123 Open", "/123", "RefreshToken", "AccessToken")]
    [InlineData("115 Open", "/115", "refresh_token", "access_token")]
    [InlineData("DiskTop", "/disktop", "refresh_token", "access_token")]
    public async Task The_snippet_uses_the_drivers_own_addition_keys(string driver, string mountPath, string refreshKey, string accessKey)
    {
        var upstream = new StubRelayUpstream("p", driverName: driver);
        await using var host = await RelayPagesHost.StartAsync([upstream]);
        using var browser = host.NewBrowser();
        var (_, state) = await browser.StartAsync("p");
        await browser.GetAsync($"/relay/p/callback?code=c&state={state}");
        var html = await (await browser.GetAsync("/relay/p/result")).Content.ReadAsStringAsync();
        using var snippet = JsonDocument.Parse(WebUtility.HtmlDecode(RelayPagesHost.ElementHtml(html, "snippet")));
        Assert.Equal(mountPath, snippet.RootElement.GetProperty("mount_path").GetString());
        Assert.Equal(driver, snippet.RootElement.GetProperty("driver").GetString());
        Assert.Equal("refresh-c", snippet.RootElement.GetProperty("addition").GetProperty(refreshKey).GetString());
        Assert.Equal("access-c", snippet.RootElement.GetProperty("addition").GetProperty(accessKey).GetString());
    }

    [Fact]
    public async Task The_result_page_shows_nothing_without_the_flow_cookie_or_before_the_callback()
    {
        await using var host = await RelayPagesHost.StartAsync([new StubRelayUpstream("alicloud"), new StubRelayUpstream("123cloud")]);
        using var browser = host.NewBrowser();
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/relay/alicloud/result")).StatusCode);
        var (_, state) = await browser.StartAsync("alicloud");
        Assert.Equal(HttpStatusCode.Conflict, (await browser.GetAsync("/relay/alicloud/result")).StatusCode);
        await browser.GetAsync($"/relay/alicloud/callback?code=c&state={state}");
        using var other = host.NewBrowser();
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync("/relay/alicloud/result")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.GetAsync("/relay/123cloud/result")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/relay/alicloud/result")).StatusCode);
    }
}
