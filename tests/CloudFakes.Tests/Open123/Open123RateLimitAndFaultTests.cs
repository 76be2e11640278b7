using System.Net;

namespace OpenList.DriverHost.CloudFakes.Tests.Open123;

public sealed class Open123RateLimitAndFaultTests
{
    [Fact]
    public async Task ListIsLimitedToFiveQueriesPerSecondForFreeUsers()
    {
        await using var s = await Open123Scenario.StartAsync(manualClock: true, rateLimits: true);
        for (var i = 0; i < 5; i++)
        {
            (await s.ListAsync(0)).AssertOk();
        }

        (await s.ListAsync(0)).AssertCode(429);
        s.Clock!.Advance(TimeSpan.FromSeconds(1));
        (await s.ListAsync(0)).AssertOk();
    }

    [Fact]
    public async Task VipUsersGetTheVipLimit()
    {
        await using var s = await Open123Scenario.StartAsync(manualClock: true, rateLimits: true);
        s.Account.Vip = true;
        for (var i = 0; i < 10; i++)
        {
            (await s.ListAsync(0)).AssertOk();
        }

        (await s.ListAsync(0)).AssertCode(429);
    }

    [Fact]
    public async Task MoveIsLimitedToThreePerSecondAndLimitsCanBeOverridden()
    {
        await using var s = await Open123Scenario.StartAsync(manualClock: true, rateLimits: true);
        var id = s.Account.AddFile("/m.txt", "m"u8.ToArray());
        for (var i = 0; i < 3; i++)
        {
            (await s.PostAsync("/api/v1/file/move", new { fileIDs = new[] { id }, toParentFileID = 0 })).AssertOk();
        }

        (await s.PostAsync("/api/v1/file/move", new { fileIDs = new[] { id }, toParentFileID = 0 })).AssertCode(429);
        s.Fake.SetRateLimit("/api/v1/file/move", 100);
        (await s.PostAsync("/api/v1/file/move", new { fileIDs = new[] { id }, toParentFileID = 0 })).AssertOk();
    }

    [Fact]
    public async Task DeveloperTokenEndpointIsLimitedPerClient()
    {
        await using var s = await Open123Scenario.StartAsync(manualClock: true, rateLimits: true);
        for (var i = 0; i < 8; i++)
        {
            (await s.DeveloperTokenAsync()).AssertOk();
        }

        (await s.DeveloperTokenAsync()).AssertCode(429);
    }

    [Fact]
    public async Task NoLimitsWithoutEnforceRateLimits()
    {
        await using var s = await Open123Scenario.StartAsync(manualClock: true);
        for (var i = 0; i < 20; i++)
        {
            (await s.ListAsync(0)).AssertOk();
        }
    }

    [Fact]
    public async Task ThrottleAnswersCode429OnHttp200()
    {
        await using var s = await Open123Scenario.StartAsync();
        s.Cloud.Faults.Throttle("/api/v2/file/list", 2, TimeSpan.FromSeconds(1));
        (await s.ListAsync(0)).AssertCode(429);
        (await s.ListAsync(0)).AssertCode(429);
        (await s.ListAsync(0)).AssertOk();
        Assert.Equal(3, s.Cloud.Requests.Count("/api/v2/file/list"));
    }

    [Fact]
    public async Task InjectedFailuresUseTheEnvelope()
    {
        await using var s = await Open123Scenario.StartAsync();
        s.Cloud.Faults.FailNext("/api/v1/user/info", 1, 401);
        s.Cloud.Faults.FailNext("/api/v1/user/info", 1, 200, "5113");
        s.Cloud.Faults.FailNext("/api/v1/user/info", 1, 502);
        (await s.GetAsync("/api/v1/user/info")).AssertCode(401);
        (await s.GetAsync("/api/v1/user/info")).AssertCode(5113);
        var gateway = await s.GetAsync("/api/v1/user/info");
        Assert.Equal(HttpStatusCode.BadGateway, gateway.Status);
        Assert.Equal(502, gateway.Code);
        (await s.GetAsync("/api/v1/user/info")).AssertOk();
    }

    [Fact]
    public async Task DownloadsCanBeFailedAndCut()
    {
        await using var s = await Open123Scenario.StartAsync();
        var id = s.Account.AddFile("/d.bin", new byte[4096]);
        var url = (await s.GetAsync($"/api/v1/file/download_info?fileId={id}")).Data.GetProperty("downloadUrl").GetString()!;
        s.Cloud.Faults.FailNext("download", 1, 503);
        using (var failed = await s.RawGetAsync(url))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        }

        using var ok = await s.RawGetAsync(url);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var log = s.Cloud.Requests.Snapshot().Where(r => r.Operation == "download").ToList();
        Assert.Equal(2, log.Count);
        Assert.All(log, r => Assert.Equal("123open", r.Provider));
        Assert.All(log, r => Assert.DoesNotContain("?", r.Path, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RelayFaultsUseTheRelayShape()
    {
        await using var s = await Open123Scenario.StartAsync();
        var tokens = s.Fake.IssueRelayTokens(s.Account);
        s.Cloud.Faults.FailNext("/123cloud/renewapi", 1, 500);
        s.Fake.RelayErrorShape = RelayErrorShape.PlainText;
        using var failed = await s.Http.GetAsync($"/123cloud/renewapi?refresh_ui={tokens.RefreshToken}&server_use=true&driver_txt=123cloud_oa");
        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Equal("text/plain", failed.Content.Headers.ContentType!.MediaType);
        using var ok = await s.Http.GetAsync($"/123cloud/renewapi?refresh_ui={tokens.RefreshToken}&server_use=true&driver_txt=123cloud_oa");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }
}
