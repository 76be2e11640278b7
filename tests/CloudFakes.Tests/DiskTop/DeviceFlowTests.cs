using System.Net;
using System.Text.Json;

namespace OpenList.DriverHost.CloudFakes.Tests.DiskTop;

/// <summary>disktop-open-platform.md "Device Code Flow": device-code, then device-token polling states.</summary>
public sealed class DeviceFlowTests
{
    [Fact]
    public async Task Device_code_answer_has_the_documented_fields_and_types()
    {
        await using var s = await DiskTopScenario.StartAsync(manualClock: true);
        var answer = await DeviceCodeAsync(s);
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var json = answer.Json;
        foreach (var field in new[] { "device_code", "user_code", "verification_uri", "verification_uri_complete", "qr_url" })
        {
            Assert.Equal(JsonValueKind.String, json.GetProperty(field).ValueKind);
        }

        Assert.Matches("^[0-9A-Z]{4}-[0-9A-Z]{3}$", answer.Str("user_code"));
        Assert.Equal(600, json.GetProperty("expires_in").GetInt32());
        Assert.Equal(5, json.GetProperty("interval").GetInt32());
        Assert.EndsWith("/oauth/device", answer.Str("verification_uri"), StringComparison.Ordinal);
        Assert.Equal(answer.Str("verification_uri") + "?user_code=" + answer.Str("user_code"), answer.Str("verification_uri_complete"));
        Assert.Contains(answer.Str("user_code"), s.Fake.PendingUserCodes);
    }

    [Fact]
    public async Task Polling_goes_pending_then_success_and_the_code_is_then_spent()
    {
        await using var s = await DiskTopScenario.StartAsync(manualClock: true);
        var code = await DeviceCodeAsync(s);
        s.Clock!.Advance(TimeSpan.FromSeconds(5));
        DiskTopAssert.OAuthError(await PollAsync(s, code.Str("device_code")), HttpStatusCode.BadRequest, "authorization_pending");

        s.Fake.ApproveDevice(code.Str("user_code"));
        s.Clock.Advance(TimeSpan.FromSeconds(5));
        var tokens = await PollAsync(s, code.Str("device_code"));
        Assert.Equal(HttpStatusCode.OK, tokens.Status);
        DiskTopAssert.Ok(await s.GetAsync("/v1/user/info", tokens.Str("access_token")));
        Assert.Equal("user.read files.app_data", tokens.Str("scope"));

        s.Clock.Advance(TimeSpan.FromSeconds(5));
        DiskTopAssert.OAuthError(await PollAsync(s, code.Str("device_code")), HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task Polling_faster_than_the_interval_is_slow_down_and_the_interval_grows()
    {
        await using var s = await DiskTopScenario.StartAsync(manualClock: true);
        var code = await DeviceCodeAsync(s);
        var device = code.Str("device_code");
        DiskTopAssert.OAuthError(await PollAsync(s, device), HttpStatusCode.BadRequest, "slow_down"); // no wait before the first poll: interval 5 → 10

        s.Clock!.Advance(TimeSpan.FromSeconds(10));
        DiskTopAssert.OAuthError(await PollAsync(s, device), HttpStatusCode.BadRequest, "authorization_pending");
        s.Clock.Advance(TimeSpan.FromSeconds(9));
        DiskTopAssert.OAuthError(await PollAsync(s, device), HttpStatusCode.BadRequest, "slow_down"); // 10 → 15
        s.Clock.Advance(TimeSpan.FromSeconds(10));
        DiskTopAssert.OAuthError(await PollAsync(s, device), HttpStatusCode.BadRequest, "slow_down"); // 15 → 20
        s.Clock.Advance(TimeSpan.FromSeconds(20));
        DiskTopAssert.OAuthError(await PollAsync(s, device), HttpStatusCode.BadRequest, "authorization_pending");
    }

    [Fact]
    public async Task Denied_and_expired_codes()
    {
        await using var s = await DiskTopScenario.StartAsync(manualClock: true);
        var denied = await DeviceCodeAsync(s);
        s.Fake.DenyDevice(denied.Str("user_code"));
        s.Clock!.Advance(TimeSpan.FromSeconds(5));
        DiskTopAssert.OAuthError(await PollAsync(s, denied.Str("device_code")), HttpStatusCode.BadRequest, "access_denied");
        Assert.Throws<ArgumentException>(() => s.Fake.ApproveDevice(denied.Str("user_code")));

        var late = await DeviceCodeAsync(s);
        s.Clock.Advance(TimeSpan.FromSeconds(600));
        DiskTopAssert.OAuthError(await PollAsync(s, late.Str("device_code")), HttpStatusCode.BadRequest, "expired_token");
        Assert.DoesNotContain(late.Str("user_code"), s.Fake.PendingUserCodes);
    }

    [Fact]
    public async Task Auto_approve_after_n_polls_and_the_token_endpoint_grant_and_status_200_option()
    {
        await using var s = await DiskTopScenario.StartAsync(manualClock: true);
        s.Fake.DeviceAutoApproveAfterPolls = 2;
        s.Fake.DevicePollErrorStatus = 200;
        var code = await DeviceCodeAsync(s);
        s.Clock!.Advance(TimeSpan.FromSeconds(5));
        var pending = await PollAsync(s, code.Str("device_code"));
        Assert.Equal(HttpStatusCode.OK, pending.Status);
        Assert.Equal("authorization_pending", pending.Str("error"));

        s.Clock.Advance(TimeSpan.FromSeconds(5));
        var viaToken = await s.TokenAsync(("grant_type", "urn:ietf:params:oauth:grant-type:device_code"), ("device_code", code.Str("device_code")), ("client_id", DiskTopScenario.ClientId));
        Assert.Equal(HttpStatusCode.OK, viaToken.Status);
        Assert.False(viaToken.Json.TryGetProperty("error", out _));
        DiskTopAssert.Ok(await s.GetAsync("/v1/user/info", viaToken.Str("access_token")));
    }

    [Fact]
    public async Task Device_code_belongs_to_its_client_and_unknown_clients_are_refused()
    {
        await using var s = await DiskTopScenario.StartAsync(manualClock: true);
        s.Fake.RegisterClient("other", "other-secret");
        var code = await DeviceCodeAsync(s);
        s.Clock!.Advance(TimeSpan.FromSeconds(5));
        DiskTopAssert.OAuthError(await s.PostFormAsync("/oauth/device-token", [("device_code", code.Str("device_code")), ("client_id", "other")], ""), HttpStatusCode.BadRequest, "invalid_grant");
        DiskTopAssert.OAuthError(await s.PostFormAsync("/oauth/device-code", [("client_id", "nobody")], ""), HttpStatusCode.Unauthorized, "invalid_client");
        DiskTopAssert.OAuthError(await s.PostFormAsync("/oauth/device-code", [("client_id", "other"), ("scope", "files.write_all")], ""), HttpStatusCode.BadRequest, "invalid_scope");
    }

    private static Task<TestSupport.ApiResponse> DeviceCodeAsync(DiskTopScenario s) =>
        s.PostFormAsync("/oauth/device-code", [("client_id", DiskTopScenario.ClientId), ("scope", "user.read files.app_data")], "");

    private static Task<TestSupport.ApiResponse> PollAsync(DiskTopScenario s, string deviceCode) =>
        s.PostFormAsync("/oauth/device-token", [("device_code", deviceCode), ("client_id", DiskTopScenario.ClientId)], "");
}
