using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OpenList.DriverHost.CloudFakes.Tests.TestSupport;

namespace OpenList.DriverHost.CloudFakes.Tests.Aliyun;

/// <summary>cloud-apis.md §2.3: JWT shape, the sub check, single-use rotating refresh tokens.</summary>
public sealed class TokenTests
{
    [Fact]
    public async Task Tokens_are_three_segment_jwts_whose_payload_is_raw_std_base64_with_a_stable_sub()
    {
        await using var s = await Scenario.StartAsync();
        foreach (var token in new[] { s.Tokens.AccessToken, s.Tokens.RefreshToken })
        {
            var segments = token.Split('.');
            Assert.Equal(3, segments.Length);
            Assert.DoesNotContain('-', segments[1]);
            Assert.DoesNotContain('_', segments[1]);
            Assert.DoesNotContain('=', segments[1]);
            Assert.Equal(s.Account.UserId, Sub(segments[1]));
        }

        var refreshed = await RefreshAsync(s, s.Tokens.RefreshToken);
        refreshed.AssertOk();
        Assert.Equal(Sub(s.Tokens.RefreshToken.Split('.')[1]), Sub(refreshed.Str("refresh_token").Split('.')[1]));
    }

    [Fact]
    public async Task Refresh_rotates_the_refresh_token_and_keeps_the_old_access_token_valid()
    {
        await using var s = await Scenario.StartAsync();
        var first = await RefreshAsync(s, s.Tokens.RefreshToken);
        first.AssertOk();
        Assert.Equal("Bearer", first.Str("token_type"));
        Assert.Equal(7200, first.Json.GetProperty("expires_in").GetInt32());
        Assert.NotEqual(s.Tokens.RefreshToken, first.Str("refresh_token"));
        Assert.Equal(1, s.Aliyun.RefreshCount);

        (await RefreshAsync(s, s.Tokens.RefreshToken)).AssertError(HttpStatusCode.BadRequest, "RefreshTokenInvalid");
        (await s.ApiAsync("user/getDriveInfo", null)).AssertOk();
        (await s.ApiAsync("user/getDriveInfo", null, first.Str("access_token"))).AssertOk();
        (await RefreshAsync(s, first.Str("refresh_token"))).AssertOk();
        Assert.Equal(2, s.Aliyun.RefreshCount);
        Assert.Contains(first.Str("access_token"), s.Aliyun.AllIssuedTokens);
    }

    [Fact]
    public async Task Revoked_refresh_token_is_RefreshTokenExpired_and_unknown_is_RefreshTokenInvalid()
    {
        await using var s = await Scenario.StartAsync();
        s.Aliyun.RevokeRefreshToken(s.Tokens.RefreshToken);
        (await RefreshAsync(s, s.Tokens.RefreshToken)).AssertError(HttpStatusCode.BadRequest, "RefreshTokenExpired");
        (await RefreshAsync(s, "a.b.c")).AssertError(HttpStatusCode.BadRequest, "RefreshTokenInvalid");
        Assert.Equal(0, s.Aliyun.RefreshCount);
    }

    [Fact]
    public async Task Bad_client_credentials_are_rejected()
    {
        await using var s = await Scenario.StartAsync();
        (await RefreshAsync(s, s.Tokens.RefreshToken, secret: "wrong")).AssertError(HttpStatusCode.Unauthorized, "InvalidClientSecret");
        (await RefreshAsync(s, s.Tokens.RefreshToken, clientId: "nobody")).AssertError(HttpStatusCode.Unauthorized, "InvalidClientId");
        (await RefreshAsync(s, s.Tokens.RefreshToken)).AssertOk(); // still unused
    }

    [Fact]
    public async Task Form_urlencoded_body_is_accepted()
    {
        await using var s = await Scenario.StartAsync();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = Scenario.ClientId,
            ["client_secret"] = Scenario.ClientSecret,
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = s.Tokens.RefreshToken,
        });
        var response = await ApiResponse.ReadAsync(await s.Http.PostAsync("/oauth/access_token", form));
        response.AssertOk();
        Assert.False(string.IsNullOrEmpty(response.Str("access_token")));
    }

    [Fact]
    public async Task AccessTokenLifetime_is_applied_to_new_tokens()
    {
        await using var s = await Scenario.StartAsync(manualClock: true);
        s.Aliyun.AccessTokenLifetime = TimeSpan.FromMinutes(5);
        var refreshed = await RefreshAsync(s, s.Tokens.RefreshToken);
        Assert.Equal(300, refreshed.Json.GetProperty("expires_in").GetInt32());
        s.Clock!.Advance(TimeSpan.FromMinutes(5));
        (await s.ApiAsync("user/getDriveInfo", null, refreshed.Str("access_token"))).AssertError(HttpStatusCode.Unauthorized, "AccessTokenExpired");
    }

    internal static async Task<ApiResponse> RefreshAsync(Scenario s, string refreshToken, string clientId = Scenario.ClientId, string secret = Scenario.ClientSecret)
    {
        var body = new { client_id = clientId, client_secret = secret, grant_type = "refresh_token", refresh_token = refreshToken };
        return await ApiResponse.ReadAsync(await s.Http.PostAsJsonAsync("/oauth/access_token", body));
    }

    /// <summary>Decodes like Go's base64.RawStdEncoding (standard alphabet, no padding) and reads "sub".</summary>
    private static string Sub(string payload)
    {
        Assert.Matches("^[A-Za-z0-9+/]*$", payload);
        var padded = payload + new string('=', (4 - (payload.Length % 4)) % 4);
        using var json = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(padded)));
        return json.RootElement.GetProperty("sub").GetString()!;
    }
}
