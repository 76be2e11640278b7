using System.Net;
using OpenList.DriverHost.CloudFakes.Tests.TestSupport;

namespace OpenList.DriverHost.CloudFakes.Tests.Aliyun;

/// <summary>online-api-relay.md §3.3 and §5: /alicloud/renewapi, its success body and its error shapes.</summary>
public sealed class RelayTests
{
    [Fact]
    public async Task Renew_with_server_keys_returns_only_the_two_tokens_and_rotates()
    {
        await using var s = await Scenario.StartAsync();
        var tokens = s.Aliyun.IssueTokens(s.Account, s.Aliyun.RelayClientId);
        var renewed = await s.GetAsync(RenewUrl(tokens.RefreshToken));
        renewed.AssertOk();
        Assert.Equal(["refresh_token", "access_token"], renewed.Json.EnumerateObject().Select(p => p.Name));
        (await s.ApiAsync("user/getDriveInfo", null, renewed.Str("access_token"))).AssertOk();
        Assert.Equal(1, s.Aliyun.RefreshCount);

        var reused = await s.GetAsync(RenewUrl(tokens.RefreshToken));
        Assert.Equal(HttpStatusCode.InternalServerError, reused.Status);
        Assert.Contains("already used", reused.Str("text"), StringComparison.Ordinal);
        Assert.Equal(1, s.Cloud.Requests.Snapshot().Count(r => r.Operation == "relay" && r.Status == 200));
        Assert.All(s.Cloud.Requests.Snapshot(), r => Assert.DoesNotContain("?", r.Path, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Renew_accepts_a_post_form()
    {
        await using var s = await Scenario.StartAsync();
        var tokens = s.Aliyun.IssueTokens(s.Account, s.Aliyun.RelayClientId);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["refresh_ui"] = tokens.RefreshToken,
            ["server_use"] = "true",
            ["driver_txt"] = "alicloud_qr",
        });
        var renewed = await ApiResponse.ReadAsync(await s.Http.PostAsync("/alicloud/renewapi", form));
        renewed.AssertOk();
    }

    [Fact]
    public async Task Missing_server_use_and_client_key_is_500_with_the_fixed_text()
    {
        await using var s = await Scenario.StartAsync();
        var answer = await s.GetAsync("/alicloud/renewapi?refresh_ui=x&driver_txt=alicloud_qr");
        Assert.Equal(HttpStatusCode.InternalServerError, answer.Status);
        Assert.Equal("传入参数缺少", answer.Str("text"));
    }

    [Theory]
    [InlineData(RelayErrorShape.TextString, "application/json", null)]
    [InlineData(RelayErrorShape.TextObject, "application/json", """{"text":{}}""")]
    [InlineData(RelayErrorShape.Missing, "application/json", "{}")]
    [InlineData(RelayErrorShape.PlainText, "text/plain", "Internal Server Error")]
    public async Task Failures_use_the_selected_error_shape(RelayErrorShape shape, string mediaType, string? body)
    {
        await using var s = await Scenario.StartAsync();
        s.Aliyun.RelayErrorShape = shape;
        var answer = await s.GetAsync(RenewUrl("not-a-token"));
        Assert.Equal(HttpStatusCode.InternalServerError, answer.Status);
        Assert.Equal(mediaType, answer.MediaType);
        if (body is null)
        {
            Assert.False(string.IsNullOrEmpty(answer.Str("text")));
        }
        else
        {
            Assert.Equal(body, answer.Body);
        }
    }

    [Fact]
    public async Task A_token_of_another_app_is_refused_by_the_relay()
    {
        await using var s = await Scenario.StartAsync();
        var answer = await s.GetAsync(RenewUrl(s.Tokens.RefreshToken));
        Assert.Equal(HttpStatusCode.InternalServerError, answer.Status);
        Assert.Equal(0, s.Aliyun.RefreshCount);
    }

    private static string RenewUrl(string refreshToken) =>
        $"/alicloud/renewapi?refresh_ui={Uri.EscapeDataString(refreshToken)}&server_use=true&driver_txt=alicloud_qr";
}
