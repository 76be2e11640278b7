using System.Net;
using System.Text;
using OpenList.DriverHost.Drivers.Errors;
using static OpenList.DriverHost.Drivers.Tests.AliyundriveOpen.AliyundriveOpenTestExtensions;

namespace OpenList.DriverHost.Drivers.Tests.AliyundriveOpen;

/// <summary>Token renewal (cloud-apis.md §2.3): own keys with the <c>sub</c> check, the online API relay, revoked tokens.</summary>
public sealed class AliyundriveOpenTokenTests : IAsyncLifetime
{
    private const string TokenPath = "/oauth/access_token";
    private const string RelayPath = "/alicloud/renewapi";
    private AliyundriveOpenTestCloud _cloud = null!;

    public async Task InitializeAsync() => _cloud = await AliyundriveOpenTestCloud.StartAsync();

    public Task DisposeAsync() => _cloud.DisposeAsync();

    [Fact]
    public async Task OwnKeys_RenewAnExpiredAccessToken_AndSaveTheRotatedRefreshToken()
    {
        // §2.3: POST /oauth/access_token {client_id, client_secret, grant_type:"refresh_token", refresh_token};
        // the refresh token is single-use and rotates, so the new one must be kept.
        await using var d = await _cloud.CreateDriverAsync();
        Assert.Equal(1, _cloud.Fake.Aliyun.RefreshCount); // only a refresh token was configured
        var first = Assert.Single(d.Http.To(TokenPath)).Json;
        Assert.Equal(AliyundriveOpenTestCloud.ClientId, first.GetProperty("client_id").GetString());
        Assert.Equal(AliyundriveOpenTestCloud.ClientSecret, first.GetProperty("client_secret").GetString());
        Assert.Equal("refresh_token", first.GetProperty("grant_type").GetString());
        Assert.Equal(d.Tokens.RefreshToken, first.GetProperty("refresh_token").GetString());
        var rotated = (await d.Store.LoadAsync(CancellationToken.None))!.RefreshToken;
        Assert.NotEqual(d.Tokens.RefreshToken, rotated);

        _cloud.Fake.Aliyun.ExpireAccessTokensNow();
        Assert.Empty(await d.Driver.NamesAsync("/"));

        Assert.Equal(2, _cloud.Fake.Aliyun.RefreshCount);
        Assert.Equal(rotated, d.Http.To(TokenPath)[1].Json.GetProperty("refresh_token").GetString());
        Assert.NotEqual(rotated, (await d.Store.LoadAsync(CancellationToken.None))!.RefreshToken);
        Assert.Empty(d.Http.To(RelayPath));
    }

    [Fact]
    public async Task OwnKeys_AConfiguredAccessToken_IsUsedWithoutRenewing()
    {
        var account = _cloud.Fake.Aliyun.CreateAccount();
        var tokens = _cloud.Fake.Aliyun.IssueTokens(account, AliyundriveOpenTestCloud.ClientId);
        await using var d = await _cloud.CreateDriverAsync(account, new Dictionary<string, object?> { ["AccessToken"] = tokens.AccessToken });

        Assert.Empty(await d.Driver.NamesAsync("/"));
        Assert.Empty(d.Http.To(TokenPath));
    }

    [Fact]
    public async Task OwnKeys_ARenewedTokenOfAnotherUser_IsRefused_AndNotSaved()
    {
        // §2.3 "Sub check": the old and the new refresh token must carry the same "sub"; otherwise
        // "failed to refresh token: sub not match". A token endpoint answering for another user is refused.
        var other = _cloud.Fake.Aliyun.CreateAccount("mallory");
        var foreign = _cloud.Fake.Aliyun.IssueTokens(other, AliyundriveOpenTestCloud.ClientId);
        await using var d = await _cloud.CreateDriverAsync(
            intercept: request => request.RequestUri!.AbsolutePath == TokenPath
                ? new HttpResponseMessage(HttpStatusCode.OK)
                {
                    Content = new StringContent(
                        $$"""{"token_type":"Bearer","access_token":"{{foreign.AccessToken}}","refresh_token":"{{foreign.RefreshToken}}","expires_in":7200}""",
                        Encoding.UTF8,
                        "application/json"),
                }
                : null,
            initialize: false);

        var error = await AssertKindAsync(StorageErrorKind.AuthExpired, () => d.Driver.InitializeAsync(CancellationToken.None));

        Assert.Contains("sub not match", error.Message, StringComparison.Ordinal);
        Assert.Contains("another user", error.Message, StringComparison.Ordinal);
        Assert.Contains("re-authorize", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(foreign.RefreshToken, error.Message, StringComparison.Ordinal);
        var saved = await d.Store.LoadAsync(CancellationToken.None);
        Assert.Equal(d.Tokens.RefreshToken, saved!.RefreshToken);
        Assert.Null(saved.AccessToken);
        Assert.DoesNotContain(d.Http.Requests, r => r.Path.StartsWith("/adrive/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Relay_RenewsThroughTheOnlineApi_WithOpenListsQuery()
    {
        // §2.3: GET <api_url_address>?refresh_ui=<refresh_token>&server_use=true&driver_txt=alicloud_qr.
        var queries = new List<string>();
        await using var d = await _cloud.CreateDriverAsync(relay: true, intercept: request =>
        {
            if (request.RequestUri!.AbsolutePath == RelayPath)
            {
                lock (queries)
                {
                    queries.Add(request.RequestUri.Query);
                }
            }

            return null;
        });
        _cloud.Fake.Aliyun.ExpireAccessTokensNow();
        Assert.Empty(await d.Driver.NamesAsync("/"));

        Assert.Equal(2, _cloud.Fake.Requests.Count("relay"));
        Assert.Equal(2, _cloud.Fake.Aliyun.RefreshCount);
        Assert.Empty(d.Http.To(TokenPath));
        Assert.All(d.Http.To(RelayPath), r => Assert.Equal("GET", r.Method));
        Assert.StartsWith("?refresh_ui=" + Uri.EscapeDataString(d.Tokens.RefreshToken) + "&server_use=true&driver_txt=alicloud_qr", queries[0], StringComparison.Ordinal);
        Assert.DoesNotContain(d.Tokens.RefreshToken, queries[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Relay_ForATvLogin_SendsAlicloudTv()
    {
        // §2.3: driver_txt alicloud_tv when alipan_type is alipanTV (the fake relay does not emulate TV and refuses).
        var queries = new List<string>();
        await using var d = await _cloud.CreateDriverAsync(
            relay: true,
            addition: new Dictionary<string, object?> { ["alipan_type"] = "alipanTV" },
            intercept: request =>
            {
                queries.Add(request.RequestUri!.Query);
                return null;
            },
            initialize: false);

        await AssertKindAsync(StorageErrorKind.AuthExpired, () => d.Driver.InitializeAsync(CancellationToken.None));
        Assert.EndsWith("&server_use=true&driver_txt=alicloud_tv", Assert.Single(queries), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, "(RefreshTokenExpired)")]
    [InlineData(true, "(Refresh token is expired.)")]
    public async Task RevokedRefreshToken_IsAuthExpired_NamingTheCauseAndAskingToReauthorize(bool relay, string cause)
    {
        await using var d = await _cloud.CreateDriverAsync(relay: relay);
        _cloud.Fake.Aliyun.RevokeAllRefreshTokens();
        _cloud.Fake.Aliyun.ExpireAccessTokensNow();

        var error = await AssertKindAsync(StorageErrorKind.AuthExpired, () => d.Driver.NamesAsync("/"));

        Assert.Contains(cause, error.Message, StringComparison.Ordinal);
        Assert.Contains("re-authorize and paste a new refresh token", error.Message, StringComparison.Ordinal);
        var attempts = d.Http.Requests.Count(r => r.Path is TokenPath or RelayPath);

        // A refused refresh token is not tried again on every request.
        await AssertKindAsync(StorageErrorKind.AuthExpired, () => d.Driver.NamesAsync("/"));
        Assert.Equal(attempts, d.Http.Requests.Count(r => r.Path is TokenPath or RelayPath));
    }

    [Fact]
    public async Task AccessTokenRejectedAgainAfterRenewal_IsAuthExpired()
    {
        // §2.2: AccessTokenInvalid / AccessTokenExpired / I400JD → renew, then retry once.
        await using var d = await _cloud.CreateDriverAsync();
        _cloud.Fake.Faults.FailNext("/adrive/v1.0/openFile/list", 2, 401, "AccessTokenInvalid");

        var error = await AssertKindAsync(StorageErrorKind.AuthExpired, () => d.Driver.NamesAsync("/"));

        Assert.Contains("AccessTokenInvalid", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, _cloud.Fake.Aliyun.RefreshCount);
        Assert.Equal(2, _cloud.Fake.Requests.Count("/adrive/v1.0/openFile/list"));
    }

    [Theory]
    [InlineData("AccessTokenExpired")]
    [InlineData("I400JD")]
    public async Task AccessTokenRejectedOnce_IsRenewedAndTheCallRepeated(string code)
    {
        await using var d = await _cloud.CreateDriverAsync();
        _cloud.Fake.Faults.FailNext("/adrive/v1.0/openFile/list", 1, 401, code);

        Assert.Empty(await d.Driver.NamesAsync("/"));
        Assert.Equal(2, _cloud.Fake.Aliyun.RefreshCount);
    }
}
