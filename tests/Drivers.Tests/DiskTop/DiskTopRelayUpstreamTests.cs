using System.Net;
using OpenList.DriverHost.Drivers.DiskTop;
using OpenList.DriverHost.Drivers.Relay;
using OpenList.DriverHost.Drivers.Tests.TestSupport;

namespace OpenList.DriverHost.Drivers.Tests.DiskTop;

/// <summary>Issue 9: the Disk.Top relay upstream: PKCE authorization, code exchange, refresh and the device flow.</summary>
public sealed class DiskTopRelayUpstreamTests
{
    private const string Secret = "disktop-relay-secret";
    private static readonly Uri Callback = new("https://relay.example.com/relay/disktop/callback");

    private static (DiskTopRelayUpstream Upstream, CapturingHandler Handler) Create(Func<CapturedRequest, HttpResponseMessage> answer)
    {
        var handler = new CapturingHandler(answer);
        var keys = new RelayClientKeys("dt-app", Secret, new Uri("http://127.0.0.1:9"));
        return (new DiskTopRelayUpstream(keys, new HttpClient(handler), new ManualClock()), handler);
    }

    [Fact]
    public void Authorize_uri_carries_the_S256_challenge_and_default_scope()
    {
        var (upstream, _) = Create(_ => throw new InvalidOperationException());

        var query = CapturedRequest.Fields(upstream.BuildAuthorizeUri(Callback, "st", "challenge-1").Query);

        Assert.True(upstream.SupportsPkce);
        Assert.Equal(("dt-app", "challenge-1", "S256", "user.read files.app_data", "st"), (query["client_id"], query["code_challenge"], query["code_challenge_method"], query["scope"], query["state"]));
    }

    [Fact]
    public async Task Code_exchange_sends_the_verifier()
    {
        var (upstream, handler) = Create(_ => StubHandler.Json(HttpStatusCode.OK, """{"access_token":"at","refresh_token":"rt","expires_in":7200}"""));

        var tokens = await upstream.ExchangeCodeAsync("code-1", Callback, "verifier-1", CancellationToken.None);

        Assert.Equal(new RelayTokens("at", "rt", 7200), tokens);
        var form = CapturedRequest.Fields(Assert.Single(handler.Requests).Body);
        Assert.Equal(("authorization_code", "code-1", "verifier-1", Secret), (form["grant_type"], form["code"], form["code_verifier"], form["client_secret"]));
    }

    [Fact]
    public async Task Refused_grant_is_rejected_and_a_refused_client_is_not()
    {
        var (grant, _) = Create(_ => StubHandler.Json(HttpStatusCode.BadRequest, """{"error":"invalid_grant","error_description":"refresh token expired"}"""));
        var (client, _) = Create(_ => StubHandler.Json(HttpStatusCode.Unauthorized, """{"error":"invalid_client"}"""));

        Assert.True((await Assert.ThrowsAsync<RelayUpstreamException>(() => grant.RefreshAsync("rt", "disktop_go", CancellationToken.None))).Rejected);
        Assert.False((await Assert.ThrowsAsync<RelayUpstreamException>(() => client.RefreshAsync("rt", "disktop_go", CancellationToken.None))).Rejected);
    }

    [Fact]
    public async Task Device_flow_starts_and_polls_to_approval()
    {
        var polls = 0;
        var (upstream, handler) = Create(request => request.Uri.AbsolutePath switch
        {
            "/oauth/device-code" => StubHandler.Json(HttpStatusCode.OK, """{"device_code":"dc","user_code":"8KXH-Y8R","verification_uri":"https://openapi.disk.top/oauth/device","expires_in":600,"interval":5}"""),
            _ => ++polls switch
            {
                1 => StubHandler.Json(HttpStatusCode.BadRequest, """{"error":"authorization_pending"}"""),
                2 => StubHandler.Json(HttpStatusCode.BadRequest, """{"error":"slow_down"}"""),
                _ => StubHandler.Json(HttpStatusCode.OK, """{"access_token":"at","refresh_token":"rt","expires_in":7200}"""),
            },
        });

        var started = await upstream.StartDeviceFlowAsync(CancellationToken.None);
        Assert.Equal(("dc", "8KXH-Y8R", TimeSpan.FromSeconds(5)), (started.DeviceCode, started.UserCode, started.Interval));
        Assert.Equal(RelayDevicePollState.Pending, (await upstream.PollDeviceFlowAsync("dc", CancellationToken.None)).State);
        Assert.Equal(RelayDevicePollState.SlowDown, (await upstream.PollDeviceFlowAsync("dc", CancellationToken.None)).State);
        var done = await upstream.PollDeviceFlowAsync("dc", CancellationToken.None);
        Assert.Equal(RelayDevicePollState.Approved, done.State);
        Assert.Equal("rt", done.Tokens!.RefreshToken);
        Assert.Equal("dc", CapturedRequest.Fields(handler.Requests.Last().Body)["device_code"]);
    }

    [Theory]
    [InlineData("access_denied", RelayDevicePollState.Denied)]
    [InlineData("expired_token", RelayDevicePollState.Expired)]
    public async Task Device_flow_ends_on_denial_or_expiry(string error, RelayDevicePollState state)
    {
        var (upstream, _) = Create(_ => StubHandler.Json(HttpStatusCode.BadRequest, $$"""{"error":"{{error}}"}"""));

        Assert.Equal(state, (await upstream.PollDeviceFlowAsync("dc", CancellationToken.None)).State);
    }
}
