using System.Net;
using System.Text.Json;
using OpenList.DriverHost.CloudFakes.Tests.TestSupport;

namespace OpenList.DriverHost.CloudFakes.Tests.Open123;

/// <summary>
/// 123's third-party OAuth as the relay drives it (online-api-relay.md §3.4): the consent page <c>GET /auth</c> and
/// <c>POST /api/v1/oauth2/access_token</c> with every parameter in the query string and an empty body; refresh
/// tokens rotate and the old access token dies at once (cloud-apis.md §3.3). Errors: RFC 6749 (README).
/// </summary>
public sealed class Open123OAuthTests
{
    private const string AppId = "oauth-app";
    private const string AppSecret = "oauth-secret";
    private const string RedirectUri = "https://relay.example/123cloud/callback";
    private const string Scope = "user:base,file:all:read,file:all:write";

    [Fact]
    public async Task Consent_then_query_string_exchange_answers_the_documented_fields_and_a_working_token()
    {
        await using var s = await StartAsync();
        using var browser = new ConsentClient(s.Cloud.BaseUrl);
        var redirect = await browser.AuthorizeAsync("/auth", RedirectUri, Authorize());
        Assert.Equal("OpenList", redirect["state"]);

        var answer = await TokenAsync(s, ("grant_type", "authorization_code"), ("code", redirect["code"]), ("client_id", AppId), ("client_secret", AppSecret), ("redirect_uri", RedirectUri));
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("application/json", answer.MediaType);
        var json = answer.Json;
        Assert.Equal(["access_token", "expires_in", "refresh_token", "scope", "token_type"], json.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(JsonValueKind.Number, json.GetProperty("expires_in").ValueKind);
        Assert.Equal(7200, json.GetProperty("expires_in").GetInt64());
        Assert.Equal("Bearer", json.GetProperty("token_type").GetString());
        Assert.Equal(Scope, json.GetProperty("scope").GetString());
        (await s.GetAsync("/api/v1/user/info", json.GetProperty("access_token").GetString())).AssertOk();
        Assert.Equal(1, s.Fake.OAuthTokenCount);
    }

    [Fact]
    public async Task A_code_is_single_use_and_bound_to_client_and_redirect_uri()
    {
        await using var s = await StartAsync();
        s.Fake.RegisterOAuthClient("other", "other-secret");
        using var browser = new ConsentClient(s.Cloud.BaseUrl);
        var code = (await browser.AuthorizeAsync("/auth", RedirectUri, Authorize()))["code"];
        Assert.Equal(HttpStatusCode.OK, (await ExchangeAsync(s, code)).Status);
        AssertOAuthError(await ExchangeAsync(s, code), HttpStatusCode.BadRequest, "invalid_grant");

        code = (await browser.AuthorizeAsync("/auth", RedirectUri, Authorize()))["code"];
        AssertOAuthError(await ExchangeAsync(s, code, clientId: "other", secret: "other-secret"), HttpStatusCode.BadRequest, "invalid_grant");
        AssertOAuthError(await ExchangeAsync(s, code, redirectUri: "https://relay.example/other"), HttpStatusCode.BadRequest, "invalid_grant");
        AssertOAuthError(await ExchangeAsync(s, code), HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task Wrong_secret_unknown_client_and_unknown_grant_are_refused()
    {
        await using var s = await StartAsync();
        using var browser = new ConsentClient(s.Cloud.BaseUrl);
        var code = (await browser.AuthorizeAsync("/auth", RedirectUri, Authorize()))["code"];
        AssertOAuthError(await ExchangeAsync(s, code, secret: "wrong"), HttpStatusCode.Unauthorized, "invalid_client");
        AssertOAuthError(await ExchangeAsync(s, code, clientId: Open123Scenario.ClientId, secret: Open123Scenario.ClientSecret), HttpStatusCode.Unauthorized, "invalid_client"); // developer keys are not an OAuth app
        AssertOAuthError(await TokenAsync(s, ("grant_type", "password"), ("client_id", AppId), ("client_secret", AppSecret)), HttpStatusCode.BadRequest, "unsupported_grant_type");
        Assert.Equal(HttpStatusCode.OK, (await ExchangeAsync(s, code)).Status);
    }

    [Fact]
    public async Task Parameters_count_only_in_the_query_string_a_body_is_ignored()
    {
        await using var s = await StartAsync();
        using var browser = new ConsentClient(s.Cloud.BaseUrl);
        var code = (await browser.AuthorizeAsync("/auth", RedirectUri, Authorize()))["code"];
        var fields = new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["code"] = code, ["client_id"] = AppId, ["client_secret"] = AppSecret, ["redirect_uri"] = RedirectUri,
        };
        using (var form = await s.Http.PostAsync("/api/v1/oauth2/access_token", new FormUrlEncodedContent(fields)))
        {
            AssertOAuthError(await ApiResponse.ReadAsync(form), HttpStatusCode.BadRequest, "invalid_request");
        }

        using (var json = await s.Http.PostAsync("/api/v1/oauth2/access_token", new StringContent(JsonSerializer.Serialize(fields), System.Text.Encoding.UTF8, "application/json")))
        {
            AssertOAuthError(await ApiResponse.ReadAsync(json), HttpStatusCode.BadRequest, "invalid_request");
        }

        Assert.Equal(HttpStatusCode.OK, (await ExchangeAsync(s, code)).Status); // the code survived
    }

    [Fact]
    public async Task Refresh_rotates_single_use_and_ends_the_previous_access_token_at_once()
    {
        await using var s = await StartAsync();
        using var browser = new ConsentClient(s.Cloud.BaseUrl);
        var first = (await ExchangeAsync(s, (await browser.AuthorizeAsync("/auth", RedirectUri, Authorize()))["code"])).Json;
        var oldAccess = first.GetProperty("access_token").GetString()!;
        var oldRefresh = first.GetProperty("refresh_token").GetString()!;

        var second = await RefreshAsync(s, oldRefresh);
        Assert.Equal(HttpStatusCode.OK, second.Status);
        Assert.NotEqual(oldRefresh, second.Json.GetProperty("refresh_token").GetString());
        Assert.Equal(Scope, second.Json.GetProperty("scope").GetString());
        (await s.GetAsync("/api/v1/user/info", oldAccess)).AssertCode(401);
        (await s.GetAsync("/api/v1/user/info", second.Json.GetProperty("access_token").GetString())).AssertOk();
        AssertOAuthError(await RefreshAsync(s, oldRefresh), HttpStatusCode.BadRequest, "invalid_grant");
        AssertOAuthError(await RefreshAsync(s, second.Json.GetProperty("refresh_token").GetString()!, secret: "wrong"), HttpStatusCode.Unauthorized, "invalid_client");
        Assert.Equal(HttpStatusCode.OK, (await RefreshAsync(s, second.Json.GetProperty("refresh_token").GetString()!)).Status);
    }

    [Fact]
    public async Task The_relay_renewal_shares_the_grant_relay_tokens_refresh_only_with_the_relay_app()
    {
        await using var s = await StartAsync();
        var relay = s.Fake.IssueRelayTokens(s.Account);
        AssertOAuthError(await RefreshAsync(s, relay.RefreshToken), HttpStatusCode.BadRequest, "invalid_grant"); // another app's token
        var direct = await RefreshAsync(s, relay.RefreshToken, clientId: s.Fake.RelayClientId, secret: s.Fake.RelayClientSecret);
        Assert.Equal(HttpStatusCode.OK, direct.Status);

        using var renew = await s.Http.GetAsync("/123cloud/renewapi?server_use=true&driver_txt=123cloud_oa&refresh_ui=" + Uri.EscapeDataString(direct.Json.GetProperty("refresh_token").GetString()!));
        Assert.Equal(HttpStatusCode.OK, renew.StatusCode);
        AssertOAuthError(await RefreshAsync(s, direct.Json.GetProperty("refresh_token").GetString()!, clientId: s.Fake.RelayClientId, secret: s.Fake.RelayClientSecret), HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task Consent_page_refuses_unknown_clients_without_redirect_and_denies_on_request()
    {
        await using var s = await StartAsync();
        using var browser = new ConsentClient(s.Cloud.BaseUrl);
        var unknown = await browser.RefusedAsync("/auth", ("client_id", "nobody"), ("redirect_uri", RedirectUri), ("scope", Scope), ("state", "OpenList"));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.Status);
        Assert.Equal("invalid_client", unknown.Str("error"));
        var badRedirect = await browser.RefusedAsync("/auth", ("client_id", AppId), ("redirect_uri", "https://evil.example/cb"), ("scope", Scope), ("state", "OpenList"));
        Assert.Equal(HttpStatusCode.BadRequest, badRedirect.Status);

        var badScope = await browser.AuthorizeAsync("/auth", RedirectUri, ("client_id", AppId), ("redirect_uri", RedirectUri), ("scope", "user:base,all"), ("state", "OpenList"));
        Assert.Equal("invalid_scope", badScope["error"]);
        s.Fake.DenyNextAuthorization();
        var denied = await browser.AuthorizeAsync("/auth", RedirectUri, Authorize());
        Assert.Equal("access_denied", denied["error"]);
        Assert.Equal("OpenList", denied["state"]);
        s.Fake.AutoApproveAuthorization = false;
        Assert.Equal("access_denied", (await browser.AuthorizeAsync("/auth", RedirectUri, Authorize()))["error"]);
        s.Fake.AutoApproveAuthorization = true;
        (await s.Http.PostAsync("/_fake/123/deny-next-authorization", null)).Dispose();
        Assert.Equal("access_denied", (await browser.AuthorizeAsync("/auth", RedirectUri, Authorize()))["error"]);
        Assert.True((await browser.AuthorizeAsync("/auth", RedirectUri, Authorize())).ContainsKey("code"));
    }

    [Fact]
    public async Task Next_tokens_apply_to_the_exchange_and_to_the_refresh()
    {
        await using var s = await StartAsync();
        using var browser = new ConsentClient(s.Cloud.BaseUrl);
        using (var admin = await s.Http.PostAsync("/_fake/123/next-tokens", new FormUrlEncodedContent(new Dictionary<string, string> { ["access_token"] = "<script>x</script>" })))
        {
            Assert.Equal(HttpStatusCode.NoContent, admin.StatusCode);
        }

        var first = (await ExchangeAsync(s, (await browser.AuthorizeAsync("/auth", RedirectUri, Authorize()))["code"])).Json;
        Assert.Equal("<script>x</script>", first.GetProperty("access_token").GetString());
        (await s.GetAsync("/api/v1/user/info", "<script>x</script>")).AssertOk();

        s.Fake.NextTokens(null, "</textarea><b>rt</b>");
        var second = await RefreshAsync(s, first.GetProperty("refresh_token").GetString()!);
        Assert.Equal("</textarea><b>rt</b>", second.Json.GetProperty("refresh_token").GetString());
        Assert.Equal(HttpStatusCode.OK, (await RefreshAsync(s, "</textarea><b>rt</b>")).Status);
    }

    [Fact]
    public async Task Faults_use_the_path_as_operation_and_answer_rfc6749_errors()
    {
        await using var s = await StartAsync();
        s.Cloud.Faults.FailNext("/api/v1/oauth2/access_token", 1, 503);
        AssertOAuthError(await RefreshAsync(s, "anything"), HttpStatusCode.ServiceUnavailable, "temporarily_unavailable");
        s.Cloud.Faults.FailNext("/auth", 1, 500);
        using var browser = new ConsentClient(s.Cloud.BaseUrl);
        Assert.Equal(HttpStatusCode.InternalServerError, (await browser.RefusedAsync("/auth", Authorize())).Status);
        Assert.Equal(1, s.Cloud.Requests.Count("/api/v1/oauth2/access_token"));
        Assert.Equal(1, s.Cloud.Requests.Count("/auth"));
    }

    private static async Task<Open123Scenario> StartAsync()
    {
        var s = await Open123Scenario.StartAsync();
        s.Fake.RegisterOAuthClient(AppId, AppSecret, [RedirectUri]);
        s.Fake.AuthorizingAccount = s.Account;
        return s;
    }

    private static (string Key, string Value)[] Authorize() =>
        [("client_id", AppId), ("redirect_uri", RedirectUri), ("scope", Scope), ("state", "OpenList")];

    private static Task<ApiResponse> ExchangeAsync(Open123Scenario s, string code, string clientId = AppId, string secret = AppSecret, string redirectUri = RedirectUri) =>
        TokenAsync(s, ("code", code), ("client_id", clientId), ("client_secret", secret), ("grant_type", "authorization_code"), ("redirect_uri", redirectUri));

    private static Task<ApiResponse> RefreshAsync(Open123Scenario s, string refreshToken, string clientId = AppId, string secret = AppSecret) =>
        TokenAsync(s, ("client_id", clientId), ("client_secret", secret), ("grant_type", "refresh_token"), ("redirect_uri", ""), ("refresh_token", refreshToken));

    /// <summary>POST with every parameter in the query string and an empty body, as the relay sends it.</summary>
    private static async Task<ApiResponse> TokenAsync(Open123Scenario s, params (string Key, string Value)[] query)
    {
        using var response = await s.Http.PostAsync("/api/v1/oauth2/access_token?" + ConsentClient.Query(query), null);
        return await ApiResponse.ReadAsync(response);
    }

    private static void AssertOAuthError(ApiResponse answer, HttpStatusCode status, string error)
    {
        Assert.True(answer.Status == status, $"expected {(int)status}, got {(int)answer.Status}: {answer.Body}");
        Assert.Equal("application/json", answer.MediaType);
        Assert.Equal(error, answer.Json.GetProperty("error").GetString());
        Assert.Equal(JsonValueKind.String, answer.Json.GetProperty("error_description").ValueKind);
    }
}
