using System.Net;
using OpenList.DriverHost.Drivers.Open115;
using OpenList.DriverHost.Drivers.Relay;
using OpenList.DriverHost.Drivers.Tests.TestSupport;

namespace OpenList.DriverHost.Drivers.Tests.Open115;

/// <summary>Issue 9: the 115 relay upstream: refresh with no secret, code exchange with it.</summary>
public sealed class Open115RelayUpstreamTests
{
    private const string Secret = "115-relay-secret";
    private static readonly Uri Callback = new("https://relay.example.com/relay/115cloud/callback");
    private const string TokenAnswer = """{"state":1,"code":0,"message":"","data":{"access_token":"at","refresh_token":"rt2","expires_in":7200},"error":"","errno":0}""";

    private static (Open115RelayUpstream Upstream, CapturingHandler Handler) Create(string? secret, Func<CapturedRequest, HttpResponseMessage> answer)
    {
        var handler = new CapturingHandler(answer);
        var keys = new RelayClientKeys("115-app", secret, new Uri("http://127.0.0.1:9"));
        return (new Open115RelayUpstream(keys, new HttpClient(handler), new ManualClock()), handler);
    }

    [Fact]
    public async Task Refresh_posts_only_the_refresh_token()
    {
        var (upstream, handler) = Create(null, _ => StubHandler.Json(HttpStatusCode.OK, TokenAnswer));

        var tokens = await upstream.RefreshAsync("rt1", "115cloud_go", CancellationToken.None);

        Assert.Equal(new RelayTokens("at", "rt2", 7200), tokens);
        var sent = Assert.Single(handler.Requests);
        Assert.Equal("/open/refreshToken", sent.Uri.AbsolutePath);
        Assert.Equal(new Dictionary<string, string> { ["refresh_token"] = "rt1" }, CapturedRequest.Fields(sent.Body));
    }

    [Fact]
    public async Task A_refused_refresh_token_is_rejected_with_the_code()
    {
        var (upstream, _) = Create(null, _ => StubHandler.Json(HttpStatusCode.OK, """{"state":0,"code":40140116,"message":"no auth","data":{},"error":"no auth","errno":40140116}"""));

        var error = await Assert.ThrowsAsync<RelayUpstreamException>(() => upstream.RefreshAsync("rt1", "115cloud_go", CancellationToken.None));

        Assert.True(error.Rejected);
        Assert.Contains("40140116", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Code_exchange_sends_the_secret_code_and_callback()
    {
        var (upstream, handler) = Create(Secret, _ => StubHandler.Json(HttpStatusCode.OK, TokenAnswer));

        await upstream.ExchangeCodeAsync("code-1", Callback, null, CancellationToken.None);

        var sent = Assert.Single(handler.Requests);
        Assert.Equal("/open/authCodeToToken", sent.Uri.AbsolutePath);
        var form = CapturedRequest.Fields(sent.Body);
        Assert.Equal(("115-app", Secret, "code-1", Callback.AbsoluteUri, "authorization_code"), (form["client_id"], form["client_secret"], form["code"], form["redirect_uri"], form["grant_type"]));
    }

    [Fact]
    public async Task Code_exchange_without_a_secret_says_what_the_operator_must_set()
    {
        var (upstream, handler) = Create(null, _ => StubHandler.Json(HttpStatusCode.OK, TokenAnswer));

        var error = await Assert.ThrowsAsync<RelayUpstreamException>(() => upstream.ExchangeCodeAsync("code-1", Callback, null, CancellationToken.None));

        Assert.False(error.Rejected);
        Assert.Contains("client_secret_env", error.Message, StringComparison.Ordinal);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public void Authorize_uri_is_the_passport_page()
    {
        var (upstream, _) = Create(Secret, _ => throw new InvalidOperationException());

        var uri = upstream.BuildAuthorizeUri(Callback, "s", null);

        Assert.Equal("/open/authorize", uri.AbsolutePath);
        Assert.Equal("s", CapturedRequest.Fields(uri.Query)["state"]);
        Assert.DoesNotContain(Secret, uri.AbsoluteUri, StringComparison.Ordinal);
    }
}
