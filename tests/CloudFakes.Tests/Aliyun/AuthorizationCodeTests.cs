using System.Net;
using System.Net.Http.Json;
using OpenList.DriverHost.CloudFakes.Tests.TestSupport;

namespace OpenList.DriverHost.CloudFakes.Tests.Aliyun;

/// <summary>
/// online-api-relay.md §3.3: the consent page <c>GET /oauth/authorize</c> and the authorization_code grant of
/// <c>POST /oauth/access_token</c> (errors in Aliyun's {code, message}, cloud-apis.md §2.2).
/// </summary>
public sealed class AuthorizationCodeTests
{
    private const string RedirectUri = "https://relay.example/alicloud/callback";
    private const string Scope = "user:base,file:all:read,file:all:write";

    [Fact]
    public async Task Authorize_redirects_with_code_and_state_and_the_code_buys_working_rotating_tokens()
    {
        await using var s = await StartAsync();
        using var browser = new ConsentClient(s.Cloud.BaseUrl);
        var redirect = await browser.AuthorizeAsync("/oauth/authorize", RedirectUri, Authorize("st 1/+&é"));
        Assert.Equal("st 1/+&é", redirect["state"]);

        var answer = await ExchangeJsonAsync(s, redirect["code"]);
        answer.AssertOk();
        Assert.Equal("Bearer", answer.Str("token_type"));
        Assert.Equal(7200, answer.Json.GetProperty("expires_in").GetInt32());
        Assert.Equal(3, answer.Str("access_token").Split('.').Length);
        (await s.ApiAsync("user/getDriveInfo", null, answer.Str("access_token"))).AssertOk();

        using var refresh = await s.Http.PostAsJsonAsync("/oauth/access_token", new { client_id = Scenario.ClientId, client_secret = Scenario.ClientSecret, grant_type = "refresh_token", refresh_token = answer.Str("refresh_token") });
        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
    }

    [Fact]
    public async Task A_code_is_single_use_bound_to_its_client_and_to_redirect_uri_when_sent_and_works_as_a_form_body()
    {
        await using var s = await StartAsync();
        s.Aliyun.RegisterClient("other-app", "other-secret");
        using var browser = new ConsentClient(s.Cloud.BaseUrl);

        var code = (await browser.AuthorizeAsync("/oauth/authorize", RedirectUri, Authorize("a")))["code"];
        using (var form = await s.Http.PostAsync("/oauth/access_token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = Scenario.ClientId, ["client_secret"] = Scenario.ClientSecret, ["grant_type"] = "authorization_code", ["code"] = code,
        })))
        {
            Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        }

        (await ExchangeJsonAsync(s, code)).AssertError(HttpStatusCode.BadRequest, "InvalidCode");

        code = (await browser.AuthorizeAsync("/oauth/authorize", RedirectUri, Authorize("b")))["code"];
        (await ExchangeJsonAsync(s, code, clientId: "other-app", secret: "other-secret")).AssertError(HttpStatusCode.BadRequest, "InvalidCode");
        (await ExchangeJsonAsync(s, code, redirectUri: "https://relay.example/elsewhere")).AssertError(HttpStatusCode.BadRequest, "InvalidCode");
        (await ExchangeJsonAsync(s, code)).AssertError(HttpStatusCode.BadRequest, "InvalidCode"); // burnt by the mismatch
    }

    [Fact]
    public async Task Wrong_secret_unknown_client_and_bad_grant_type_are_refused_before_the_code_is_spent()
    {
        await using var s = await StartAsync();
        using var browser = new ConsentClient(s.Cloud.BaseUrl);
        var code = (await browser.AuthorizeAsync("/oauth/authorize", RedirectUri, Authorize("x")))["code"];
        (await ExchangeJsonAsync(s, code, secret: "wrong")).AssertError(HttpStatusCode.Unauthorized, "InvalidClientSecret");
        (await ExchangeJsonAsync(s, code, clientId: "nobody")).AssertError(HttpStatusCode.Unauthorized, "InvalidClientId");
        (await ExchangeJsonAsync(s, code, grantType: "password")).AssertError(HttpStatusCode.BadRequest, "InvalidGrantType");
        (await ExchangeJsonAsync(s, "")).AssertError(HttpStatusCode.BadRequest, "InvalidCode");
        (await ExchangeJsonAsync(s, code)).AssertOk();
    }

    [Fact]
    public async Task Codes_expire_after_ten_minutes()
    {
        await using var s = await StartAsync(manualClock: true);
        using var browser = new ConsentClient(s.Cloud.BaseUrl);
        var code = (await browser.AuthorizeAsync("/oauth/authorize", RedirectUri, Authorize("x")))["code"];
        s.Clock!.Advance(TimeSpan.FromMinutes(10));
        (await ExchangeJsonAsync(s, code)).AssertError(HttpStatusCode.BadRequest, "InvalidCode");
    }

    [Fact]
    public async Task Unknown_client_or_unregistered_redirect_uri_is_a_400_json_page_without_redirect()
    {
        await using var s = await StartAsync();
        s.Aliyun.RegisterClient("open-app", "secret"); // no registered redirect URIs: any absolute http(s) URI
        using var browser = new ConsentClient(s.Cloud.BaseUrl);
        var unknown = await browser.RefusedAsync("/oauth/authorize", ("client_id", "nobody"), ("redirect_uri", RedirectUri), ("scope", Scope), ("response_type", "code"));
        unknown.AssertError(HttpStatusCode.BadRequest, "InvalidClientId"); // Aliyun's page: the scope has Aliyun's shape
        var badRedirect = await browser.RefusedAsync("/oauth/authorize", ("client_id", Scenario.ClientId), ("redirect_uri", "https://evil.example/cb"), ("scope", Scope), ("response_type", "code"));
        badRedirect.AssertError(HttpStatusCode.BadRequest, "InvalidParameter.RedirectUri");
        var relative = await browser.RefusedAsync("/oauth/authorize", ("client_id", "open-app"), ("redirect_uri", "/callback"), ("scope", Scope), ("response_type", "code"));
        relative.AssertError(HttpStatusCode.BadRequest, "InvalidParameter.RedirectUri");
    }

    [Fact]
    public async Task Without_state_the_redirect_has_none_and_bad_scope_or_response_type_redirect_with_an_error()
    {
        await using var s = await StartAsync();
        using var browser = new ConsentClient(s.Cloud.BaseUrl);
        var noState = await browser.AuthorizeAsync("/oauth/authorize", RedirectUri, ("client_id", Scenario.ClientId), ("redirect_uri", RedirectUri), ("scope", Scope), ("response_type", "code"));
        Assert.False(noState.ContainsKey("state"));
        Assert.True(noState.ContainsKey("code"));

        var badScope = await browser.AuthorizeAsync("/oauth/authorize", RedirectUri, ("client_id", Scenario.ClientId), ("redirect_uri", RedirectUri), ("scope", "user:base,album:all"), ("response_type", "code"), ("state", "s"));
        Assert.Equal("invalid_scope", badScope["error"]);
        Assert.Equal("s", badScope["state"]);
        var token = await browser.AuthorizeAsync("/oauth/authorize", RedirectUri, ("client_id", Scenario.ClientId), ("redirect_uri", RedirectUri), ("scope", Scope), ("response_type", "token"));
        Assert.Equal("unsupported_response_type", token["error"]);
    }

    [Fact]
    public async Task Denial_redirects_with_access_denied_once_per_switch_and_while_auto_approve_is_off()
    {
        await using var s = await StartAsync();
        using var browser = new ConsentClient(s.Cloud.BaseUrl);
        s.Aliyun.DenyNextAuthorization();
        var denied = await browser.AuthorizeAsync("/oauth/authorize", RedirectUri, Authorize("keep"));
        Assert.Equal("access_denied", denied["error"]);
        Assert.Equal("keep", denied["state"]);
        Assert.False(denied.ContainsKey("code"));
        Assert.True((await browser.AuthorizeAsync("/oauth/authorize", RedirectUri, Authorize("keep"))).ContainsKey("code"));

        using (var admin = await s.Http.PostAsync("/_fake/aliyun/deny-next-authorization", null))
        {
            Assert.Equal(HttpStatusCode.NoContent, admin.StatusCode);
        }

        Assert.Equal("access_denied", (await browser.AuthorizeAsync("/oauth/authorize", RedirectUri, Authorize("k")))["error"]);
        s.Aliyun.AutoApproveAuthorization = false;
        Assert.Equal("access_denied", (await browser.AuthorizeAsync("/oauth/authorize", RedirectUri, Authorize("k")))["error"]);
    }

    [Fact]
    public async Task Next_tokens_make_the_exchange_and_the_refresh_hand_out_hostile_values_that_work()
    {
        await using var s = await StartAsync();
        using var browser = new ConsentClient(s.Cloud.BaseUrl);
        const string HostileAccess = "<script>alert(1)</script>";
        const string HostileRefresh = "rt\"'<img src=x onerror=alert(2)>";
        using (var admin = await s.Http.PostAsync("/_fake/aliyun/next-tokens", new FormUrlEncodedContent(new Dictionary<string, string> { ["access_token"] = HostileAccess, ["refresh_token"] = HostileRefresh })))
        {
            Assert.Equal(HttpStatusCode.NoContent, admin.StatusCode);
        }

        var answer = await ExchangeJsonAsync(s, (await browser.AuthorizeAsync("/oauth/authorize", RedirectUri, Authorize("x")))["code"]);
        Assert.Equal(HostileAccess, answer.Str("access_token"));
        Assert.Equal(HostileRefresh, answer.Str("refresh_token"));
        (await s.ApiAsync("user/getDriveInfo", null, HostileAccess)).AssertOk();

        s.Aliyun.NextTokens("<b>next</b>", null);
        using var refresh = await s.Http.PostAsJsonAsync("/oauth/access_token", new { client_id = Scenario.ClientId, client_secret = Scenario.ClientSecret, grant_type = "refresh_token", refresh_token = HostileRefresh });
        var refreshed = await ApiResponse.ReadAsync(refresh);
        refreshed.AssertOk();
        Assert.Equal("<b>next</b>", refreshed.Str("access_token"));
        Assert.NotEqual(HostileRefresh, refreshed.Str("refresh_token"));
        Assert.Throws<ArgumentException>(() => s.Aliyun.NextTokens(HostileAccess, null)); // already issued
    }

    [Fact]
    public async Task Faults_on_the_authorize_path_use_aliyun_format_for_aliyun_clients()
    {
        await using var s = await StartAsync();
        using var browser = new ConsentClient(s.Cloud.BaseUrl);
        s.Cloud.Faults.FailNext("/oauth/authorize", 1, 503);
        var failed = await browser.RefusedAsync("/oauth/authorize", Authorize("x"));
        failed.AssertError(HttpStatusCode.ServiceUnavailable, "InternalError");
        s.Cloud.Faults.FailNext("/oauth/access_token", 1, 500);
        Assert.Equal(HttpStatusCode.InternalServerError, (await ExchangeJsonAsync(s, "whatever")).Status);
        Assert.Equal(1, s.Cloud.Requests.Count("/oauth/authorize"));
        Assert.All(s.Cloud.Requests.Snapshot().Where(r => r.Operation == "/oauth/authorize"), r => Assert.Equal("aliyun", r.Provider));
    }

    private static async Task<Scenario> StartAsync(bool manualClock = false)
    {
        var s = await Scenario.StartAsync(manualClock);
        s.Aliyun.RegisterClient(Scenario.ClientId, Scenario.ClientSecret, [RedirectUri]);
        return s;
    }

    private static (string Key, string Value)[] Authorize(string state) =>
        [("client_id", Scenario.ClientId), ("redirect_uri", RedirectUri), ("scope", Scope), ("response_type", "code"), ("state", state)];

    private static async Task<ApiResponse> ExchangeJsonAsync(Scenario s, string code, string clientId = Scenario.ClientId, string secret = Scenario.ClientSecret, string grantType = "authorization_code", string? redirectUri = null)
    {
        object body = redirectUri is null
            ? new { client_id = clientId, client_secret = secret, grant_type = grantType, code }
            : new { client_id = clientId, client_secret = secret, grant_type = grantType, code, redirect_uri = redirectUri };
        using var response = await s.Http.PostAsJsonAsync("/oauth/access_token", body);
        return await ApiResponse.ReadAsync(response);
    }
}
