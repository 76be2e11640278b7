using System.Net;
using System.Text.Json;
using OpenList.DriverHost.CloudFakes.Tests.TestSupport;

namespace OpenList.DriverHost.CloudFakes.Tests.Open115;

/// <summary>
/// The relay's 115 flow (online-api-relay.md §3.1, cloud-apis.md §1.3): <c>GET /open/authorize</c> →
/// <c>POST /open/authCodeToToken</c>, answered in the passport envelope exactly like <c>/open/refreshToken</c>.
/// </summary>
public sealed class Open115AuthorizationCodeTests
{
    private const string AppId = "100195123";
    private const string AppSecret = "app-secret-115";
    private const string RedirectUri = "https://relay.example/115cloud/callback";

    [Fact]
    public async Task Code_exchange_answers_the_refresh_envelope_and_the_tokens_work_and_rotate()
    {
        await using var s = await StartAsync();
        using var browser = new ConsentClient(s.Cloud.BaseUrl);
        var redirect = await browser.AuthorizeAsync("/open/authorize", RedirectUri, Authorize("Ab9xYz"));
        Assert.Equal("Ab9xYz", redirect["state"]);

        var answer = await ExchangeAsync(s, redirect["code"]);
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("application/json", answer.MediaType);
        var json = answer.Json;
        Assert.Equal(["code", "data", "errno", "error", "message", "state"], json.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(1, json.GetProperty("state").GetInt32());
        Assert.Equal(0, json.GetProperty("code").GetInt32());
        Assert.Equal("", json.GetProperty("error").GetString());
        Assert.Equal(0, json.GetProperty("errno").GetInt32());
        Assert.Equal(JsonValueKind.Number, answer.Data.GetProperty("expires_in").ValueKind);
        var access = answer.Data.GetProperty("access_token").GetString()!;
        var refresh = answer.Data.GetProperty("refresh_token").GetString()!;
        (await s.GetAsync("/open/user/info", accessToken: access)).AssertOk();

        var refreshed = await s.RefreshAsync(refresh);
        Assert.Equal(1, refreshed.Json.GetProperty("state").GetInt32());
        (await s.RefreshAsync(refresh)).AssertPassportError(40140116);
    }

    [Fact]
    public async Task A_code_is_single_use_and_bound_to_client_id_and_redirect_uri()
    {
        await using var s = await StartAsync();
        s.Fake.RegisterClient("other", "other-secret");
        using var browser = new ConsentClient(s.Cloud.BaseUrl);
        var code = (await browser.AuthorizeAsync("/open/authorize", RedirectUri, Authorize("s")))["code"];
        Assert.Equal(1, (await ExchangeAsync(s, code)).Json.GetProperty("state").GetInt32());
        (await ExchangeAsync(s, code)).AssertPassportError(40140130);

        code = (await browser.AuthorizeAsync("/open/authorize", RedirectUri, Authorize("s")))["code"];
        (await ExchangeAsync(s, code, appId: "other", secret: "other-secret")).AssertPassportError(40140130);
        (await ExchangeAsync(s, code, redirectUri: RedirectUri + "/x")).AssertPassportError(40140130);
        (await ExchangeAsync(s, code)).AssertPassportError(40140130); // the mismatch burnt it
    }

    [Fact]
    public async Task Wrong_secret_unknown_client_and_bad_grant_type_are_refused_without_spending_the_code()
    {
        await using var s = await StartAsync();
        using var browser = new ConsentClient(s.Cloud.BaseUrl);
        var code = (await browser.AuthorizeAsync("/open/authorize", RedirectUri, Authorize("s")))["code"];
        (await ExchangeAsync(s, code, secret: "wrong")).AssertPassportError(40140111);
        (await ExchangeAsync(s, code, appId: "nobody")).AssertPassportError(40140100);
        (await ExchangeAsync(s, code, grantType: "refresh_token")).AssertPassportError(990002);
        Assert.Equal(1, (await ExchangeAsync(s, code)).Json.GetProperty("state").GetInt32());
    }

    [Fact]
    public async Task Unknown_client_is_a_400_page_denial_redirects_with_access_denied_and_state()
    {
        await using var s = await StartAsync();
        using var browser = new ConsentClient(s.Cloud.BaseUrl);
        var unknown = await browser.RefusedAsync("/open/authorize", ("client_id", "nobody"), ("state", "s"), ("response_type", "code"), ("redirect_uri", RedirectUri));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.Status);
        Assert.Equal(40140100, unknown.Json.GetProperty("code").GetInt64());
        var badRedirect = await browser.RefusedAsync("/open/authorize", ("client_id", AppId), ("state", "s"), ("response_type", "code"), ("redirect_uri", "https://evil.example/cb"));
        Assert.Equal(HttpStatusCode.BadRequest, badRedirect.Status);

        s.Fake.DenyNextAuthorization();
        var denied = await browser.AuthorizeAsync("/open/authorize", RedirectUri, Authorize("x y"));
        Assert.Equal("access_denied", denied["error"]);
        Assert.Equal("x y", denied["state"]);
        Assert.True((await browser.AuthorizeAsync("/open/authorize", RedirectUri, Authorize("x"))).ContainsKey("code"));
        (await s.Http.PostAsync("/_fake/115/deny-next-authorization", null)).Dispose();

        Assert.Equal("access_denied", (await browser.AuthorizeAsync("/open/authorize", RedirectUri, Authorize("x")))["error"]);
    }

    [Fact]
    public async Task Next_tokens_are_handed_out_by_the_exchange_and_work_although_they_are_not_jwts()
    {
        await using var s = await StartAsync();
        using var browser = new ConsentClient(s.Cloud.BaseUrl);
        using (var admin = await s.Http.PostAsync("/_fake/115/next-tokens?access_token=%3Cscript%3Ealert(1)%3C%2Fscript%3E&refresh_token=r%26t%3D1", null))
        {
            Assert.Equal(HttpStatusCode.NoContent, admin.StatusCode);
        }

        var answer = await ExchangeAsync(s, (await browser.AuthorizeAsync("/open/authorize", RedirectUri, Authorize("s")))["code"]);
        Assert.Equal("<script>alert(1)</script>", answer.Data.GetProperty("access_token").GetString());
        Assert.Equal("r&t=1", answer.Data.GetProperty("refresh_token").GetString());
        (await s.GetAsync("/open/user/info", accessToken: "<script>alert(1)</script>")).AssertOk();
        Assert.Equal(1, (await s.RefreshAsync("r&t=1")).Json.GetProperty("state").GetInt32());
        using var empty = await s.Http.PostAsync("/_fake/115/next-tokens", null);
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
    }

    [Fact]
    public async Task Faults_are_named_by_path_and_answer_the_passport_envelope()
    {
        await using var s = await StartAsync();
        using var browser = new ConsentClient(s.Cloud.BaseUrl);
        var code = (await browser.AuthorizeAsync("/open/authorize", RedirectUri, Authorize("s")))["code"];
        s.Cloud.Faults.FailNext("/open/authCodeToToken", 1, 200, "40140121");
        (await ExchangeAsync(s, code)).AssertPassportError(40140121);
        Assert.Equal(1, (await ExchangeAsync(s, code)).Json.GetProperty("state").GetInt32()); // the fault did not reach the code
        Assert.Equal(2, s.Cloud.Requests.Count("/open/authCodeToToken"));
        Assert.Equal(1, s.Cloud.Requests.Count("/open/authorize"));
    }

    private static async Task<Open115Scenario> StartAsync()
    {
        var s = await Open115Scenario.StartAsync();
        s.Fake.RegisterClient(AppId, AppSecret, [RedirectUri]);
        return s;
    }

    private static (string Key, string Value)[] Authorize(string state) =>
        [("client_id", AppId), ("state", state), ("response_type", "code"), ("redirect_uri", RedirectUri)];

    private static Task<Open115Response> ExchangeAsync(Open115Scenario s, string code, string appId = AppId, string secret = AppSecret, string redirectUri = RedirectUri, string grantType = "authorization_code") =>
        s.PostAsync("/open/authCodeToToken", new Dictionary<string, string>
        {
            ["client_id"] = appId, ["client_secret"] = secret, ["redirect_uri"] = redirectUri, ["code"] = code, ["grant_type"] = grantType,
        }, accessToken: "");
}
