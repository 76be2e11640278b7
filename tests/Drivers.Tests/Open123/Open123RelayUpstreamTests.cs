using System.Net;
using OpenList.DriverHost.Drivers.Open123;
using OpenList.DriverHost.Drivers.Relay;
using OpenList.DriverHost.Drivers.Tests.TestSupport;

namespace OpenList.DriverHost.Drivers.Tests.Open123;

/// <summary>
/// Issue 9: the 123 relay upstream against an in-test stub (shapes the cloud fake does not produce; the fake's
/// <c>/api/v1/oauth2/access_token</c> is exercised by the host's relay tests): every parameter in the query string as
/// the API requires, an empty body, lenient token reading.
/// </summary>
public sealed class Open123RelayUpstreamTests
{
    private const string Secret = "123-relay-secret";
    private static readonly Uri Callback = new("https://relay.example.com/relay/123cloud/callback");

    private static (Open123RelayUpstream Upstream, CapturingHandler Handler) Create(Func<CapturedRequest, HttpResponseMessage> answer, Uri? pinnedRedirect = null, Uri? authorizeBase = null)
    {
        var handler = new CapturingHandler(answer);
        var keys = new RelayClientKeys("123-app", Secret, new Uri("http://127.0.0.1:9"), authorizeBase, pinnedRedirect);
        return (new Open123RelayUpstream(keys, new HttpClient(handler), new ManualClock()), handler);
    }

    [Fact]
    public async Task Refresh_puts_every_parameter_in_the_query_string()
    {
        var (upstream, handler) = Create(_ => StubHandler.Json(HttpStatusCode.OK, """{"token_type":"Bearer","access_token":"at","refresh_token":"rt2","expires_in":7200,"scope":"user:base"}"""));

        var tokens = await upstream.RefreshAsync("rt1", "123cloud_oa", CancellationToken.None);

        Assert.Equal(new RelayTokens("at", "rt2", 7200), tokens);
        var sent = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Post, sent.Method);
        Assert.Equal("/api/v1/oauth2/access_token", sent.Uri.AbsolutePath);
        Assert.Equal("", sent.Body);
        var query = CapturedRequest.Fields(sent.Uri.Query);
        Assert.Equal(("123-app", Secret, "refresh_token", "rt1"), (query["client_id"], query["client_secret"], query["grant_type"], query["refresh_token"]));
    }

    [Fact]
    public async Task Tokens_in_the_envelope_and_an_unrotated_refresh_token_are_accepted()
    {
        var (upstream, _) = Create(_ => StubHandler.Json(HttpStatusCode.OK, """{"code":0,"message":"ok","data":{"accessToken":"at","expiresIn":"3600"}}"""));

        var tokens = await upstream.RefreshAsync("rt1", "123cloud_oa", CancellationToken.None);

        Assert.Equal(new RelayTokens("at", "rt1", 3600), tokens);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest, """{"error":"invalid_grant","error_description":"refresh token expired"}""", true)]
    [InlineData(HttpStatusCode.OK, """{"code":401,"message":"token invalid"}""", true)]
    [InlineData(HttpStatusCode.Unauthorized, """{"error":"invalid_client"}""", false)]
    [InlineData(HttpStatusCode.BadGateway, "{}", false)]
    [InlineData(HttpStatusCode.OK, """{"code":429,"message":"slow down"}""", false)]
    public async Task Failures_are_classified_and_never_echo_the_secret(HttpStatusCode status, string body, bool rejected)
    {
        var (upstream, _) = Create(_ => StubHandler.Json(status, body.Replace("expired", "expired " + Secret, StringComparison.Ordinal)));

        var error = await Assert.ThrowsAsync<RelayUpstreamException>(() => upstream.RefreshAsync("rt1", "123cloud_oa", CancellationToken.None));

        Assert.Equal(rejected, error.Rejected);
        Assert.DoesNotContain(Secret, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Code_exchange_uses_the_pinned_redirect_uri()
    {
        var pinned = new Uri("https://relay.example.com/relay/123cloud/callback");
        var (upstream, handler) = Create(_ => StubHandler.Json(HttpStatusCode.OK, """{"access_token":"at","refresh_token":"rt","expires_in":7200}"""), pinned);

        await upstream.ExchangeCodeAsync("code-1", new Uri("https://other.example/cb"), null, CancellationToken.None);

        var query = CapturedRequest.Fields(Assert.Single(handler.Requests).Uri.Query);
        Assert.Equal(("authorization_code", "code-1", pinned.AbsoluteUri), (query["grant_type"], query["code"], query["redirect_uri"]));
    }

    [Fact]
    public void Authorize_uri_is_yun_123pan_auth_with_our_random_state()
    {
        var (upstream, _) = Create(_ => throw new InvalidOperationException());

        var uri = upstream.BuildAuthorizeUri(Callback, "random-state", null);

        Assert.Equal("https://yun.123pan.com/auth", uri.GetLeftPart(UriPartial.Path));
        var query = CapturedRequest.Fields(uri.Query);
        Assert.Equal(("123-app", Callback.AbsoluteUri, "user:base,file:all:read,file:all:write", "random-state"), (query["client_id"], query["redirect_uri"], query["scope"], query["state"]));
        Assert.DoesNotContain(Secret, uri.AbsoluteUri, StringComparison.Ordinal);
    }
}
