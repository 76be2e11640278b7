using System.Net.Http.Headers;
using System.Text.Json;
using OpenList.DriverHost.CloudFakes.Tests.TestSupport;

namespace OpenList.DriverHost.CloudFakes.Tests.Open115;

/// <summary>cloud-apis.md §1.2–1.3 and the seed: passport envelope, rotation, the two-authorizations rule, 401… codes.</summary>
public sealed class Open115TokenTests
{
    private const string UserInfo = "/open/user/info";

    [Fact]
    public async Task Refresh_answers_the_passport_envelope_and_rotates_both_tokens()
    {
        await using var s = await Open115Scenario.StartAsync();
        var answer = await s.RefreshAsync(s.Tokens.RefreshToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, answer.Status);
        Assert.Equal("application/json", answer.MediaType);
        Assert.Equal(JsonValueKind.Number, answer.Json.GetProperty("state").ValueKind);
        Assert.Equal(1, answer.Json.GetProperty("state").GetInt32());
        Assert.Equal(0, answer.Code);
        Assert.Equal("", answer.Json.GetProperty("error").GetString());
        Assert.Equal(0, answer.Json.GetProperty("errno").GetInt32());
        var data = answer.Data;
        Assert.Equal(JsonValueKind.Number, data.GetProperty("expires_in").ValueKind);
        Assert.Equal(7200, data.GetProperty("expires_in").GetInt64());
        var access = data.GetProperty("access_token").GetString()!;
        var refresh = data.GetProperty("refresh_token").GetString()!;
        Assert.NotEqual(s.Tokens.AccessToken, access);
        Assert.NotEqual(s.Tokens.RefreshToken, refresh);
        Assert.Equal(1, s.Fake.RefreshCount);
        Assert.Contains(refresh, s.Fake.AllIssuedTokens);

        (await s.GetAsync(UserInfo, accessToken: access)).AssertOk();
        (await s.RefreshAsync(s.Tokens.RefreshToken)).AssertPassportError(40140116); // spent
        (await s.RefreshAsync(refresh)).Data.GetProperty("access_token").GetString();
        Assert.Equal(2, s.Fake.RefreshCount);
    }

    [Fact]
    public async Task A_refresh_ends_the_previous_access_token_unless_configured_otherwise()
    {
        await using var s = await Open115Scenario.StartAsync();
        var first = await s.RefreshAsync(s.Tokens.RefreshToken);
        (await s.GetAsync(UserInfo)).AssertError(40140125);

        s.Fake.OldAccessTokenSurvivesRefresh = true;
        var currentAccess = first.Data.GetProperty("access_token").GetString()!;
        await s.RefreshAsync(first.Data.GetProperty("refresh_token").GetString()!);
        (await s.GetAsync(UserInfo, accessToken: currentAccess)).AssertOk();
    }

    [Fact]
    public async Task A_third_authorization_invalidates_the_oldest_one()
    {
        await using var s = await Open115Scenario.StartAsync();
        var second = s.Fake.IssueTokens(s.Account);
        (await s.GetAsync(UserInfo)).AssertOk();
        var third = s.Fake.IssueTokens(s.Account);

        (await s.GetAsync(UserInfo)).AssertError(40140125);
        (await s.RefreshAsync(s.Tokens.RefreshToken)).AssertPassportError(40140116);
        Assert.Equal("no auth", (await s.RefreshAsync(s.Tokens.RefreshToken)).Json.GetProperty("message").GetString());
        (await s.GetAsync(UserInfo, accessToken: second.AccessToken)).AssertOk();
        (await s.GetAsync(UserInfo, accessToken: third.AccessToken)).AssertOk();

        // Refreshing rotates inside an authorization: it does not count as a new one.
        var rotated = await s.RefreshAsync(second.RefreshToken);
        rotated = await s.RefreshAsync(rotated.Data.GetProperty("refresh_token").GetString()!);
        (await s.GetAsync(UserInfo, accessToken: third.AccessToken)).AssertOk();
        (await s.GetAsync(UserInfo, accessToken: rotated.Data.GetProperty("access_token").GetString())).AssertOk();

        // Another app has its own two slots.
        var otherApp = s.Fake.IssueTokens(s.Account, "other-app");
        (await s.GetAsync(UserInfo, accessToken: third.AccessToken)).AssertOk();
        (await s.GetAsync(UserInfo, accessToken: otherApp.AccessToken)).AssertOk();
    }

    [Fact]
    public async Task Expired_access_token_is_40140125_and_refresh_token_expiry_is_not_extended_by_rotation()
    {
        await using var s = await Open115Scenario.StartAsync(manualClock: true);
        s.Fake.RefreshTokenLifetime = TimeSpan.FromDays(10);
        s.Fake.AccessTokenLifetime = TimeSpan.FromHours(1);
        var tokens = s.Fake.IssueTokens(s.Account, "app2");
        s.Clock!.Advance(TimeSpan.FromHours(1));
        (await s.GetAsync(UserInfo, accessToken: tokens.AccessToken)).AssertError(40140125);

        s.Clock.Advance(TimeSpan.FromDays(8));
        var refreshed = await s.RefreshAsync(tokens.RefreshToken);
        Assert.Equal(3600, refreshed.Data.GetProperty("expires_in").GetInt64());
        s.Clock.Advance(TimeSpan.FromDays(2));
        (await s.RefreshAsync(refreshed.Data.GetProperty("refresh_token").GetString()!)).AssertPassportError(40140119);
    }

    [Fact]
    public async Task ExpireAccessTokensNow_and_revocation()
    {
        await using var s = await Open115Scenario.StartAsync();
        s.Fake.ExpireAccessTokensNow();
        (await s.GetAsync(UserInfo)).AssertError(40140125);
        var refreshed = await s.RefreshAsync(s.Tokens.RefreshToken);
        var access = refreshed.Data.GetProperty("access_token").GetString()!;
        (await s.GetAsync(UserInfo, accessToken: access)).AssertOk();

        var other = s.Fake.IssueTokens(s.Account);
        s.Fake.RevokeRefreshToken(other.RefreshToken);
        (await s.RefreshAsync(other.RefreshToken)).AssertPassportError(40140116);
        (await s.GetAsync(UserInfo, accessToken: other.AccessToken)).AssertError(40140125);
        (await s.GetAsync(UserInfo, accessToken: access)).AssertOk();

        s.Fake.RevokeAllRefreshTokens();
        (await s.GetAsync(UserInfo, accessToken: access)).AssertError(40140125);
        (await s.RefreshAsync(refreshed.Data.GetProperty("refresh_token").GetString()!)).AssertPassportError(40140116);
        Assert.Throws<ArgumentException>(() => s.Fake.RevokeRefreshToken("nope"));
    }

    [Fact]
    public async Task Malformed_forged_and_wrong_kind_tokens_get_their_own_codes()
    {
        await using var s = await Open115Scenario.StartAsync();
        (await s.GetAsync(UserInfo, accessToken: "")).AssertError(40140123); // no Authorization header
        (await s.GetAsync(UserInfo, accessToken: "not-a-token")).AssertError(40140123);
        var parts = s.Tokens.AccessToken.Split('.');
        (await s.GetAsync(UserInfo, accessToken: parts[0] + "." + parts[1] + ".AAAA")).AssertError(40140124);
        (await s.GetAsync(UserInfo, accessToken: s.Tokens.RefreshToken)).AssertError(40140126);

        (await s.RefreshAsync("")).AssertPassportError(40140114);
        (await s.RefreshAsync("garbage")).AssertPassportError(40140114);
        var refreshParts = s.Tokens.RefreshToken.Split('.');
        (await s.RefreshAsync(refreshParts[0] + "." + refreshParts[1] + ".AAAA")).AssertPassportError(40140115);
        (await s.RefreshAsync(s.Tokens.AccessToken)).AssertPassportError(40140120);
        Assert.Equal(0, s.Fake.RefreshCount);
    }

    [Fact]
    public async Task Refresh_needs_a_form_body_not_json()
    {
        await using var s = await Open115Scenario.StartAsync();
        using var json = new StringContent($$"""{"refresh_token":"{{s.Tokens.RefreshToken}}"}""", new MediaTypeHeaderValue("application/json"));
        using var response = await s.Http.PostAsync("/open/refreshToken", json);
        (await Open115Response.ReadAsync(response)).AssertPassportError(40140114);
        (await s.RefreshAsync(s.Tokens.RefreshToken)).Data.GetProperty("refresh_token").GetString();
    }

    [Fact]
    public async Task Refreshing_too_often_is_40140117_when_rate_limits_are_on()
    {
        await using var s = await Open115Scenario.StartAsync(manualClock: true, rateLimits: true);
        s.Fake.RateLimits = new Open115RateLimits { RefreshBurst = 2, RefreshesPerMinute = 1 };
        var token = s.Tokens.RefreshToken;
        for (var i = 0; i < 2; i++)
        {
            token = (await s.RefreshAsync(token)).Data.GetProperty("refresh_token").GetString()!;
        }

        var limited = await s.RefreshAsync(token);
        limited.AssertPassportError(40140117);
        s.Clock!.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, (await s.RefreshAsync(token)).Json.GetProperty("state").GetInt32()); // the limited call did not spend the token
    }
}
