using System.Globalization;
using System.Net;
using System.Text.Json;

namespace OpenList.DriverHost.CloudFakes.Tests.Open123;

public sealed class Open123TokenTests
{
    [Fact]
    public async Task DeveloperTokenHasRfc3339Utc8ExpiryThirtyDaysAhead()
    {
        await using var s = await Open123Scenario.StartAsync(manualClock: true);
        var answer = await s.DeveloperTokenAsync();
        answer.AssertOk();
        var data = answer.Data;
        Assert.Equal(["accessToken", "expiredAt"], data.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.StartsWith("eyJ", data.GetProperty("accessToken").GetString());
        var expiredAt = data.GetProperty("expiredAt").GetString()!;
        Assert.Equal("2025-03-31T16:00:00+08:00", expiredAt);
        Assert.Equal(s.Clock!.GetUtcNow().AddDays(30), DateTimeOffset.Parse(expiredAt, CultureInfo.InvariantCulture));
        (await s.GetAsync("/api/v1/user/info", data.GetProperty("accessToken").GetString())).AssertOk();
    }

    [Fact]
    public async Task WrongSecretAndUnknownClientAreRefused()
    {
        await using var s = await Open123Scenario.StartAsync();
        (await s.DeveloperTokenAsync(secret: "nope")).AssertCode(1);
        (await s.DeveloperTokenAsync(clientId: "nobody")).AssertCode(1);
        Assert.Equal(1, s.Fake.DeveloperTokenCount); // only the scenario's own token
    }

    [Fact]
    public async Task DeveloperTokenEndpointNeedsThePlatformHeader()
    {
        await using var s = await Open123Scenario.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/access_token")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { clientID = Open123Scenario.ClientId, clientSecret = Open123Scenario.ClientSecret }), System.Text.Encoding.UTF8, "application/json"),
        };
        using var response = await s.Http.SendAsync(request);
        (await Envelope.ReadAsync(response)).AssertCode(1);
    }

    [Fact]
    public async Task AtMostThreeDeveloperTokensLiveAndTheFourthKicksTheOldest()
    {
        await using var s = await Open123Scenario.StartAsync();
        var first = s.Token;
        var second = (await s.DeveloperTokenAsync()).Data.GetProperty("accessToken").GetString()!;
        var third = (await s.DeveloperTokenAsync()).Data.GetProperty("accessToken").GetString()!;
        Assert.Equal([first, second, third], s.Fake.LiveDeveloperTokens(Open123Scenario.ClientId));
        Assert.Equal(0, s.Fake.DeveloperTokensKicked);
        (await s.GetAsync("/api/v1/user/info", first)).AssertOk();

        var fourth = (await s.DeveloperTokenAsync()).Data.GetProperty("accessToken").GetString()!;
        Assert.Equal([second, third, fourth], s.Fake.LiveDeveloperTokens(Open123Scenario.ClientId));
        Assert.Equal(1, s.Fake.DeveloperTokensKicked);
        var kicked = await s.GetAsync("/api/v1/user/info", first);
        kicked.AssertCode(401);
        Assert.Contains("exceeded", kicked.Message, StringComparison.Ordinal);
        foreach (var live in new[] { second, third, fourth })
        {
            (await s.GetAsync("/api/v1/user/info", live)).AssertOk();
        }
    }

    [Fact]
    public async Task ExpiredDeveloperTokensDoNotCountAsLive()
    {
        await using var s = await Open123Scenario.StartAsync(manualClock: true);
        s.Fake.IssueDeveloperToken(Open123Scenario.ClientId);
        s.Fake.IssueDeveloperToken(Open123Scenario.ClientId);
        s.Clock!.Advance(TimeSpan.FromDays(30));
        Assert.Empty(s.Fake.LiveDeveloperTokens(Open123Scenario.ClientId));
        (await s.GetAsync("/api/v1/user/info")).AssertCode(401);

        for (var i = 0; i < 3; i++)
        {
            (await s.DeveloperTokenAsync()).AssertOk();
        }

        Assert.Equal(3, s.Fake.LiveDeveloperTokens(Open123Scenario.ClientId).Count);
        Assert.Equal(0, s.Fake.DeveloperTokensKicked);
    }

    [Fact]
    public async Task ExpireAccessTokensNowAnswers401()
    {
        await using var s = await Open123Scenario.StartAsync();
        (await s.GetAsync("/api/v1/user/info")).AssertOk();
        s.Fake.ExpireAccessTokensNow();
        (await s.GetAsync("/api/v1/user/info")).AssertCode(401);
        (await s.GetAsync("/api/v1/user/info", s.Fake.IssueDeveloperToken(Open123Scenario.ClientId))).AssertOk();
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-token")]
    public async Task MissingOrUnknownBearerIs401(string token)
    {
        await using var s = await Open123Scenario.StartAsync();
        (await s.GetAsync("/api/v2/file/list?parentFileId=0&limit=100", token)).AssertCode(401);
    }

    [Fact]
    public async Task ApiCallsNeedThePlatformHeader()
    {
        await using var s = await Open123Scenario.StartAsync();
        (await s.CallAsync(HttpMethod.Get, "/api/v1/user/info", platform: false)).AssertCode(1);
        (await s.CallAsync(HttpMethod.Get, "/api/v1/user/info")).AssertOk();
    }

    [Fact]
    public async Task RelayRotatesTheRefreshTokenAndKillsTheOldAccessToken()
    {
        await using var s = await Open123Scenario.StartAsync();
        var bob = s.Fake.CreateAccount("bob");
        var tokens = s.Fake.IssueRelayTokens(bob);
        (await s.GetAsync("/api/v1/user/info", tokens.AccessToken)).AssertOk();

        using var renewed = await s.Http.GetAsync($"/123cloud/renewapi?refresh_ui={tokens.RefreshToken}&server_use=true&driver_txt=123cloud_oa");
        Assert.Equal(HttpStatusCode.OK, renewed.StatusCode);
        var body = JsonDocument.Parse(await renewed.Content.ReadAsStringAsync()).RootElement;
        var access = body.GetProperty("access_token").GetString()!;
        var refresh = body.GetProperty("refresh_token").GetString()!;
        Assert.Equal(JsonValueKind.Number, body.GetProperty("expires_in").ValueKind);
        Assert.True(body.GetProperty("expires_in").GetInt64() > 0);
        Assert.NotEqual(tokens.RefreshToken, refresh);
        Assert.NotEqual(tokens.AccessToken, access);
        Assert.Equal(1, s.Fake.RelayRefreshCount);

        var info = await s.GetAsync("/api/v1/user/info", access);
        info.AssertOk();
        Assert.Equal(bob.Uid, info.Data.GetProperty("uid").GetInt64());
        (await s.GetAsync("/api/v1/user/info", tokens.AccessToken)).AssertCode(401);

        using var reused = await s.Http.GetAsync($"/123cloud/renewapi?refresh_ui={tokens.RefreshToken}&server_use=true&driver_txt=123cloud_oa");
        Assert.Equal(HttpStatusCode.InternalServerError, reused.StatusCode);
        Assert.Equal("无法获取AccessToken", JsonDocument.Parse(await reused.Content.ReadAsStringAsync()).RootElement.GetProperty("text").GetString());
        Assert.Equal(1, s.Fake.RelayRefreshCount);
    }

    [Fact]
    public async Task RelayRefusesRevokedTokensAndMissingParameters()
    {
        await using var s = await Open123Scenario.StartAsync();
        var tokens = s.Fake.IssueRelayTokens(s.Account);
        using var missing = await s.Http.GetAsync($"/123cloud/renewapi?refresh_ui={tokens.RefreshToken}");
        Assert.Equal(HttpStatusCode.InternalServerError, missing.StatusCode);
        Assert.Equal("传入参数缺少", JsonDocument.Parse(await missing.Content.ReadAsStringAsync()).RootElement.GetProperty("text").GetString());

        s.Fake.RevokeAllRefreshTokens();
        using var revoked = await s.Http.GetAsync($"/123cloud/renewapi?refresh_ui={tokens.RefreshToken}&server_use=true&driver_txt=123cloud_oa");
        Assert.Equal(HttpStatusCode.InternalServerError, revoked.StatusCode);
        Assert.Equal(0, s.Fake.RelayRefreshCount);
    }

    [Fact]
    public async Task RelayExpiresInCanBeOverriddenOrOmitted()
    {
        await using var s = await Open123Scenario.StartAsync();
        var tokens = s.Fake.IssueRelayTokens(s.Account);
        s.Fake.RelayExpiresInOverride = 0;
        using var zero = await s.Http.GetAsync($"/123cloud/renewapi?refresh_ui={tokens.RefreshToken}&server_use=true&driver_txt=123cloud_oa");
        var body = JsonDocument.Parse(await zero.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(0, body.GetProperty("expires_in").GetInt64());

        s.Fake.RelayOmitsExpiresIn = true;
        using var omitted = await s.Http.GetAsync($"/123cloud/renewapi?refresh_ui={body.GetProperty("refresh_token").GetString()}&server_use=true&driver_txt=123cloud_oa");
        Assert.False(JsonDocument.Parse(await omitted.Content.ReadAsStringAsync()).RootElement.TryGetProperty("expires_in", out _));
    }

    [Fact]
    public async Task AllIssuedTokensListsEveryToken()
    {
        await using var s = await Open123Scenario.StartAsync();
        var relay = s.Fake.IssueRelayTokens(s.Account);
        Assert.Contains(s.Token, s.Fake.AllIssuedTokens);
        Assert.Contains(relay.AccessToken, s.Fake.AllIssuedTokens);
        Assert.Contains(relay.RefreshToken, s.Fake.AllIssuedTokens);
    }
}
