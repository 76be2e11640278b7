using System.Net;
using System.Text.Json;

namespace OpenList.DriverHost.CloudFakes.Tests.DiskTop;

/// <summary>disktop-open-platform.md "OAuth 2.0": authorization code (+PKCE S256), refresh with rotation, 401 on bad tokens.</summary>
public sealed class OAuthTests
{
    private const string Scope = "user.read files.app_data";

    [Fact]
    public async Task Authorization_code_round_trip_returns_the_documented_token_fields_and_a_working_token()
    {
        await using var s = await DiskTopScenario.StartAsync();
        var location = await s.AuthorizeAsync($"client_id={DiskTopScenario.ClientId}&redirect_uri={Uri.EscapeDataString(DiskTopScenario.RedirectUri)}&response_type=code&scope=user.read+files.app_data&state=xyz");
        Assert.StartsWith(DiskTopScenario.RedirectUri + "?", location.ToString(), StringComparison.Ordinal);
        var query = DiskTopScenario.QueryOf(location);
        Assert.Equal("xyz", query["state"]);

        var answer = await s.TokenAsync(
            ("grant_type", "authorization_code"), ("code", query["code"]), ("client_id", DiskTopScenario.ClientId),
            ("client_secret", DiskTopScenario.ClientSecret), ("redirect_uri", DiskTopScenario.RedirectUri));
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("application/json", answer.MediaType);
        var json = answer.Json;
        Assert.Equal(JsonValueKind.String, json.GetProperty("access_token").ValueKind);
        Assert.Equal(JsonValueKind.String, json.GetProperty("refresh_token").ValueKind);
        Assert.Equal("Bearer", json.GetProperty("token_type").GetString());
        Assert.Equal(7200, json.GetProperty("expires_in").GetInt32());
        Assert.Equal(Scope, json.GetProperty("scope").GetString());
        Assert.False(json.TryGetProperty("errno", out _), "OAuth answers are not wrapped in the API envelope");

        var info = DiskTopAssert.Ok(await s.GetAsync("/v1/user/info", json.GetProperty("access_token").GetString()));
        Assert.Equal(s.Account.Uid, info.GetProperty("uid").GetInt64());
        Assert.Equal(["user.read", "files.app_data"], info.GetProperty("oauth").GetProperty("scopes").EnumerateArray().Select(e => e.GetString()!));
    }

    [Fact]
    public async Task An_authorization_code_is_single_use_and_bound_to_its_redirect_uri()
    {
        await using var s = await DiskTopScenario.StartAsync();
        var code = DiskTopScenario.QueryOf(await s.AuthorizeAsync(AuthorizeQuery()))["code"];
        DiskTopAssert.OAuthError(await Exchange(s, code, redirectUri: "http://127.0.0.1:9/other"), HttpStatusCode.BadRequest, "invalid_grant");
        DiskTopAssert.OAuthError(await Exchange(s, code), HttpStatusCode.BadRequest, "invalid_grant"); // burnt by the first attempt

        var fresh = DiskTopScenario.QueryOf(await s.AuthorizeAsync(AuthorizeQuery()))["code"];
        Assert.Equal(HttpStatusCode.OK, (await Exchange(s, fresh)).Status);
        DiskTopAssert.OAuthError(await Exchange(s, fresh), HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task Pkce_S256_verifier_must_match_and_lets_a_public_client_omit_the_secret()
    {
        await using var s = await DiskTopScenario.StartAsync();
        var verifier = DiskTopScenario.Verifier();
        var challenge = DiskTopScenario.Challenge(verifier);

        var code = DiskTopScenario.QueryOf(await s.AuthorizeAsync(AuthorizeQuery() + "&code_challenge=" + challenge + "&code_challenge_method=S256"))["code"];
        DiskTopAssert.OAuthError(await Exchange(s, code, secret: null, verifier: DiskTopScenario.Verifier()), HttpStatusCode.BadRequest, "invalid_grant");

        code = DiskTopScenario.QueryOf(await s.AuthorizeAsync(AuthorizeQuery() + "&code_challenge=" + challenge + "&code_challenge_method=S256"))["code"];
        DiskTopAssert.OAuthError(await Exchange(s, code, secret: null, verifier: null), HttpStatusCode.BadRequest, "invalid_grant");

        code = DiskTopScenario.QueryOf(await s.AuthorizeAsync(AuthorizeQuery() + "&code_challenge=" + challenge + "&code_challenge_method=S256"))["code"];
        var ok = await Exchange(s, code, secret: null, verifier: verifier);
        Assert.Equal(HttpStatusCode.OK, ok.Status);

        // The public chain refreshes without a secret too.
        Assert.Equal(HttpStatusCode.OK, (await s.RefreshAsync(ok.Str("refresh_token"), secret: null)).Status);
    }

    [Fact]
    public async Task Pkce_rejects_plain_method_padded_challenge_and_a_verifier_without_challenge()
    {
        await using var s = await DiskTopScenario.StartAsync();
        var verifier = DiskTopScenario.Verifier();
        var plain = DiskTopScenario.QueryOf(await s.AuthorizeAsync(AuthorizeQuery() + "&code_challenge=" + verifier + "&code_challenge_method=plain"));
        Assert.Equal("invalid_request", plain["error"]);
        Assert.Equal("xyz", plain["state"]);
        Assert.False(plain.ContainsKey("code"));

        var padded = DiskTopScenario.QueryOf(await s.AuthorizeAsync(AuthorizeQuery() + "&code_challenge=" + Uri.EscapeDataString(DiskTopScenario.Challenge(verifier) + "=") + "&code_challenge_method=S256"));
        Assert.Equal("invalid_request", padded["error"]);

        var code = DiskTopScenario.QueryOf(await s.AuthorizeAsync(AuthorizeQuery()))["code"];
        DiskTopAssert.OAuthError(await Exchange(s, code, verifier: verifier), HttpStatusCode.BadRequest, "invalid_grant");

        code = DiskTopScenario.QueryOf(await s.AuthorizeAsync(AuthorizeQuery()))["code"];
        DiskTopAssert.OAuthError(await Exchange(s, code, secret: null), HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Fact]
    public async Task Authorize_validates_client_redirect_uri_response_type_and_scope()
    {
        await using var s = await DiskTopScenario.StartAsync(allowedScopes: DiskTopScopes.SandboxOnly);
        using (var unknown = await s.Http.GetAsync("/oauth/authorize?client_id=nobody&redirect_uri=" + Uri.EscapeDataString(DiskTopScenario.RedirectUri) + "&response_type=code"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
            Assert.Null(unknown.Headers.Location);
        }

        using (var foreign = await s.Http.GetAsync($"/oauth/authorize?client_id={DiskTopScenario.ClientId}&redirect_uri=http%3A%2F%2Fevil.example%2Fcb&response_type=code"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, foreign.StatusCode);
            Assert.Null(foreign.Headers.Location);
        }

        var token = DiskTopScenario.QueryOf(await s.AuthorizeAsync(AuthorizeQuery().Replace("response_type=code", "response_type=token", StringComparison.Ordinal)));
        Assert.Equal("unsupported_response_type", token["error"]);

        // "New apps default to sandbox-only": a sensitive scope needs approval.
        var sensitive = DiskTopScenario.QueryOf(await s.AuthorizeAsync(AuthorizeQuery().Replace("scope=user.read+files.app_data", "scope=files.read_all", StringComparison.Ordinal)));
        Assert.Equal("invalid_scope", sensitive["error"]);

        s.Fake.AutoApproveAuthorization = false;
        Assert.Equal("access_denied", DiskTopScenario.QueryOf(await s.AuthorizeAsync(AuthorizeQuery()))["error"]);
    }

    [Fact]
    public async Task Refresh_rotates_and_the_old_refresh_token_is_rejected()
    {
        await using var s = await DiskTopScenario.StartAsync();
        var first = await s.RefreshAsync(s.Tokens.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, first.Status);
        var rotated = first.Str("refresh_token");
        Assert.NotEqual(s.Tokens.RefreshToken, rotated);
        Assert.Equal(1, s.Fake.RefreshCount);

        DiskTopAssert.OAuthError(await s.RefreshAsync(s.Tokens.RefreshToken), HttpStatusCode.BadRequest, "invalid_grant");
        Assert.Equal(1, s.Fake.RefreshCount);

        // The access token issued before the refresh stays valid until it expires; the new one works.
        DiskTopAssert.Ok(await s.ApiGetAsync("/v1/user/quota"));
        DiskTopAssert.Ok(await s.GetAsync("/v1/user/quota", first.Str("access_token")));
        Assert.Equal(HttpStatusCode.OK, (await s.RefreshAsync(rotated)).Status);
        Assert.Equal(2, s.Fake.RefreshCount);
        Assert.Contains(rotated, s.Fake.AllIssuedTokens);
    }

    [Fact]
    public async Task Refresh_needs_the_client_secret_and_a_live_token()
    {
        await using var s = await DiskTopScenario.StartAsync();
        DiskTopAssert.OAuthError(await s.RefreshAsync(s.Tokens.RefreshToken, secret: null), HttpStatusCode.Unauthorized, "invalid_client");
        DiskTopAssert.OAuthError(await s.RefreshAsync(s.Tokens.RefreshToken, secret: "wrong"), HttpStatusCode.Unauthorized, "invalid_client");
        DiskTopAssert.OAuthError(await s.RefreshAsync("no-such-token"), HttpStatusCode.BadRequest, "invalid_grant");
        DiskTopAssert.OAuthError(await s.TokenAsync(("grant_type", "password"), ("client_id", DiskTopScenario.ClientId)), HttpStatusCode.BadRequest, "unsupported_grant_type");

        s.Fake.RevokeAllRefreshTokens();
        DiskTopAssert.OAuthError(await s.RefreshAsync(s.Tokens.RefreshToken), HttpStatusCode.BadRequest, "invalid_grant");
        Assert.Equal(0, s.Fake.RefreshCount);
    }

    [Fact]
    public async Task Token_endpoint_wants_a_form_body()
    {
        await using var s = await DiskTopScenario.StartAsync();
        using var json = new StringContent($$"""{"grant_type":"refresh_token","refresh_token":"{{s.Tokens.RefreshToken}}","client_id":"{{DiskTopScenario.ClientId}}","client_secret":"{{DiskTopScenario.ClientSecret}}"}""", System.Text.Encoding.UTF8, "application/json");
        using var response = await s.Http.PostAsync("/oauth/token", json);
        DiskTopAssert.OAuthError(await TestSupport.ApiResponse.ReadAsync(response), HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal(HttpStatusCode.OK, (await s.RefreshAsync(s.Tokens.RefreshToken)).Status); // still unused
    }

    [Fact]
    public async Task Expired_missing_or_unknown_access_tokens_get_401_in_the_envelope()
    {
        await using var s = await DiskTopScenario.StartAsync(manualClock: true);
        DiskTopAssert.Ok(await s.ApiGetAsync("/v1/user/info"));

        var none = DiskTopAssert.Error(await s.GetAsync("/v1/user/info"), HttpStatusCode.Unauthorized);
        Assert.Contains("invalid_token", none.GetProperty("errmsg").GetString(), StringComparison.Ordinal);
        DiskTopAssert.Error(await s.GetAsync("/v1/files", "bogus"), HttpStatusCode.Unauthorized);

        s.Clock!.Advance(TimeSpan.FromSeconds(7199));
        DiskTopAssert.Ok(await s.ApiGetAsync("/v1/user/info"));
        s.Clock.Advance(TimeSpan.FromSeconds(1));
        var expired = await s.ApiGetAsync("/v1/user/info");
        DiskTopAssert.Error(expired, HttpStatusCode.Unauthorized);
        Assert.Contains("invalid_token", expired.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);

        var renewed = await s.RefreshAsync(s.Tokens.RefreshToken);
        DiskTopAssert.Ok(await s.GetAsync("/v1/user/info", renewed.Str("access_token")));

        s.Fake.ExpireAccessTokensNow();
        DiskTopAssert.Error(await s.GetAsync("/v1/user/info", renewed.Str("access_token")), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Revoking_the_app_kills_both_tokens()
    {
        await using var s = await DiskTopScenario.StartAsync();
        s.Fake.RevokeApp(s.Account, DiskTopScenario.ClientId);
        DiskTopAssert.Error(await s.ApiGetAsync("/v1/user/info"), HttpStatusCode.Unauthorized);
        DiskTopAssert.OAuthError(await s.RefreshAsync(s.Tokens.RefreshToken), HttpStatusCode.BadRequest, "invalid_grant");
    }

    private static string AuthorizeQuery() =>
        $"client_id={DiskTopScenario.ClientId}&redirect_uri={Uri.EscapeDataString(DiskTopScenario.RedirectUri)}&response_type=code&scope=user.read+files.app_data&state=xyz";

    private static Task<TestSupport.ApiResponse> Exchange(DiskTopScenario s, string code, string? secret = DiskTopScenario.ClientSecret, string? verifier = null, string redirectUri = DiskTopScenario.RedirectUri)
    {
        var fields = new List<(string, string)> { ("grant_type", "authorization_code"), ("code", code), ("client_id", DiskTopScenario.ClientId), ("redirect_uri", redirectUri) };
        if (secret is not null)
        {
            fields.Add(("client_secret", secret));
        }

        if (verifier is not null)
        {
            fields.Add(("code_verifier", verifier));
        }

        return s.TokenAsync([.. fields]);
    }
}
