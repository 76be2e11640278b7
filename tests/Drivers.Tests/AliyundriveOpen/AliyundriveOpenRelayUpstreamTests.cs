using System.Net;
using System.Text.Json;
using OpenList.DriverHost.Drivers.AliyundriveOpen;
using OpenList.DriverHost.Drivers.Relay;
using OpenList.DriverHost.Drivers.Tests.TestSupport;

namespace OpenList.DriverHost.Drivers.Tests.AliyundriveOpen;

/// <summary>Issue 9: the Aliyundrive Open relay upstream's requests and its classification of Aliyun's answers.</summary>
public sealed class AliyundriveOpenRelayUpstreamTests
{
    private const string Secret = "ali-relay-secret";
    private static readonly RelayClientKeys Keys = new("ali-app", Secret, new Uri("http://127.0.0.1:9/"));
    private static readonly Uri Callback = new("https://relay.example.com/relay/alicloud/callback");

    private static (AliyundriveOpenRelayUpstream Upstream, CapturingHandler Handler) Create(Func<CapturedRequest, HttpResponseMessage> answer)
    {
        var handler = new CapturingHandler(answer);
        return (new AliyundriveOpenRelayUpstream(Keys, new HttpClient(handler), new ManualClock()), handler);
    }

    [Fact]
    public void Authorize_uri_names_the_app_callback_scopes_and_state()
    {
        var (upstream, _) = Create(_ => throw new InvalidOperationException());

        var uri = upstream.BuildAuthorizeUri(Callback, "state-1", null);

        Assert.Equal("/oauth/authorize", uri.AbsolutePath);
        var query = CapturedRequest.Fields(uri.Query);
        Assert.Equal("ali-app", query["client_id"]);
        Assert.Equal(Callback.AbsoluteUri, query["redirect_uri"]);
        Assert.Equal("code", query["response_type"]);
        Assert.Equal("user:base,file:all:read,file:all:write", query["scope"]);
        Assert.Equal("state-1", query["state"]);
        Assert.DoesNotContain(Secret, uri.AbsoluteUri, StringComparison.Ordinal);
        Assert.Equal(["alicloud_qr", "alicloud_go"], upstream.DriverTxts);
    }

    [Fact]
    public async Task Code_exchange_posts_the_authorization_code_grant_as_json()
    {
        var (upstream, handler) = Create(_ => StubHandler.Json(HttpStatusCode.OK, """{"token_type":"Bearer","access_token":"at","refresh_token":"rt","expires_in":7200}"""));

        var tokens = await upstream.ExchangeCodeAsync("the-code", Callback, null, CancellationToken.None);

        Assert.Equal(new RelayTokens("at", "rt", 7200), tokens);
        var sent = Assert.Single(handler.Requests);
        Assert.Equal("/oauth/access_token", sent.Uri.AbsolutePath);
        using var body = JsonDocument.Parse(sent.Body);
        Assert.Equal("authorization_code", body.RootElement.GetProperty("grant_type").GetString());
        Assert.Equal("the-code", body.RootElement.GetProperty("code").GetString());
        Assert.Equal(Secret, body.RootElement.GetProperty("client_secret").GetString());
        Assert.False(body.RootElement.TryGetProperty("refresh_token", out _));
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest, """{"code":"RefreshTokenExpired","message":"Refresh token is expired."}""", true, 400)]
    [InlineData(HttpStatusCode.Unauthorized, """{"code":"InvalidClientSecret","message":"Client secret is invalid."}""", false, 401)]
    [InlineData(HttpStatusCode.ServiceUnavailable, """{"code":"ServiceUnavailable"}""", false, 502)]
    [InlineData(HttpStatusCode.TooManyRequests, """{"code":"TooManyRequests"}""", false, 429)]
    public async Task Refresh_failures_are_classified(HttpStatusCode status, string body, bool rejected, int upstreamStatus)
    {
        var (upstream, _) = Create(_ => StubHandler.Json(status, body));

        var error = await Assert.ThrowsAsync<RelayUpstreamException>(() => upstream.RefreshAsync("the-refresh-token", "alicloud_qr", CancellationToken.None));

        Assert.Equal(rejected, error.Rejected);
        Assert.Equal(upstreamStatus, error.UpstreamStatus);
        Assert.DoesNotContain("the-refresh-token", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_provider_is_not_a_rejection()
    {
        var (upstream, _) = Create(_ => throw new HttpRequestException("connection refused"));

        var error = await Assert.ThrowsAsync<RelayUpstreamException>(() => upstream.RefreshAsync("rt", "alicloud_qr", CancellationToken.None));

        Assert.False(error.Rejected);
        Assert.Null(error.UpstreamStatus);
    }
}
