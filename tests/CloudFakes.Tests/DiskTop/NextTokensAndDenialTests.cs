using System.Net;

namespace OpenList.DriverHost.CloudFakes.Tests.DiskTop;

/// <summary>The test hooks every consent-page fake has: next-tokens (hostile values that work) and a one-shot denial.</summary>
public sealed class NextTokensAndDenialTests
{
    private const string Hostile = "<script>alert('dt')</script>";

    [Fact]
    public async Task Next_tokens_are_issued_by_the_code_exchange_and_work_on_the_api_and_for_refresh()
    {
        await using var s = await DiskTopScenario.StartAsync();
        var admin = await s.PostFormAsync("/_fake/disktop/next-tokens", [("access_token", Hostile), ("refresh_token", "rt<&>\"")], "");
        Assert.Equal(HttpStatusCode.NoContent, admin.Status);

        var code = DiskTopScenario.QueryOf(await s.AuthorizeAsync(AuthorizeQuery("x")))["code"];
        var answer = await s.TokenAsync(("grant_type", "authorization_code"), ("code", code), ("client_id", DiskTopScenario.ClientId), ("client_secret", DiskTopScenario.ClientSecret), ("redirect_uri", DiskTopScenario.RedirectUri));
        Assert.Equal(Hostile, answer.Str("access_token"));
        Assert.Equal("rt<&>\"", answer.Str("refresh_token"));
        DiskTopAssert.Ok(await s.GetAsync("/v1/user/info", Hostile));

        s.Fake.NextTokens("<i>second</i>", null);
        var refreshed = await s.RefreshAsync("rt<&>\"");
        Assert.Equal("<i>second</i>", refreshed.Str("access_token"));
        DiskTopAssert.Ok(await s.GetAsync("/v1/user/info", "<i>second</i>"));
        Assert.Throws<ArgumentException>(() => s.Fake.NextTokens(Hostile, null));
        Assert.Equal(HttpStatusCode.BadRequest, (await s.PostFormAsync("/_fake/disktop/next-tokens", [], "")).Status);
    }

    [Fact]
    public async Task Deny_next_authorization_refuses_once_with_the_state_then_approves_again()
    {
        await using var s = await DiskTopScenario.StartAsync();
        s.Fake.DenyNextAuthorization();
        var denied = DiskTopScenario.QueryOf(await s.AuthorizeAsync(AuthorizeQuery("one")));
        Assert.Equal("access_denied", denied["error"]);
        Assert.Equal("one", denied["state"]);
        Assert.True(DiskTopScenario.QueryOf(await s.AuthorizeAsync(AuthorizeQuery("two"))).ContainsKey("code"));

        Assert.Equal(HttpStatusCode.NoContent, (await s.PostFormAsync("/_fake/disktop/deny-next-authorization", [], "")).Status);
        Assert.Equal("access_denied", DiskTopScenario.QueryOf(await s.AuthorizeAsync(AuthorizeQuery("three")))["error"]);
        Assert.All(s.Cloud.Requests.Snapshot().Where(r => r.Operation == "/oauth/authorize"), r => Assert.Equal("disktop", r.Provider));
    }

    private static string AuthorizeQuery(string state) =>
        $"client_id={DiskTopScenario.ClientId}&redirect_uri={Uri.EscapeDataString(DiskTopScenario.RedirectUri)}&response_type=code&scope=user.read+files.app_data&state={state}";
}
