using System.Net;
using OpenList.DriverHost.Drivers.Errors;
using OpenList.DriverHost.Drivers.Tests.TestSupport;
using OpenList.DriverHost.Drivers.Tokens;

namespace OpenList.DriverHost.Drivers.Tests.Tokens;

/// <summary>online-api-relay.md §5: OpenList's request format, and a client that accepts `text` as a string, an object or absent.</summary>
public sealed class OnlineApiRelayClientTests
{
    private static readonly Uri Relay = new("http://127.0.0.1:9/alicloud/renewapi");
    private readonly ManualClock _clock = new();

    private async Task<(TokenSet? Tokens, Exception? Error, Uri Sent)> Call(HttpResponseMessage answer, string refreshToken = "rt+/=&x")
    {
        var stub = new StubHandler(_ => answer);
        using var http = new HttpClient(stub);
        try
        {
            var tokens = await OnlineApiRelayClient.RefreshAsync(http, Relay, refreshToken, "alicloud_qr", _clock, CancellationToken.None);
            return (tokens, null, stub.Requests.Single());
        }
        catch (Exception ex)
        {
            return (null, ex, stub.Requests.Single());
        }
    }

    [Fact]
    public async Task Sends_openlists_get_request_with_the_refresh_token_escaped()
    {
        var (tokens, _, sent) = await Call(StubHandler.Json(HttpStatusCode.OK, """{"refresh_token":"rt2","access_token":"at2"}"""));
        Assert.Equal("/alicloud/renewapi", sent.AbsolutePath);
        Assert.Equal("?refresh_ui=rt%2B%2F%3D%26x&server_use=true&driver_txt=alicloud_qr", sent.Query);
        Assert.Equal(new TokenSet("at2", "rt2", null), tokens);
    }

    [Fact]
    public async Task Reads_expires_in_when_positive()
    {
        var (tokens, _, _) = await Call(StubHandler.Json(HttpStatusCode.OK, """{"refresh_token":"r","access_token":"a","expires_in":7200}"""));
        Assert.Equal(_clock.GetUtcNow().AddSeconds(7200), tokens!.ExpiresAt);
        (tokens, _, _) = await Call(StubHandler.Json(HttpStatusCode.OK, """{"refresh_token":"r","access_token":"a","expires_in":0}"""));
        Assert.Null(tokens!.ExpiresAt);
    }

    [Theory]
    [InlineData("""{"text":"refresh token is invalid"}""", "refresh token is invalid")]
    [InlineData("""{"text":{}}""", "online API answered HTTP 500 without a reason")]
    [InlineData("""{}""", "online API answered HTTP 500 without a reason")]
    [InlineData("""{"error_description":"expired <b>now</b>"}""", "expired bnow/b")]
    public async Task A_json_failure_is_a_rejection_whatever_the_shape_of_text(string body, string reason)
    {
        var (_, error, _) = await Call(StubHandler.Json(HttpStatusCode.InternalServerError, body));
        var rejected = Assert.IsType<TokenRefreshRejectedException>(error);
        Assert.Equal(reason, rejected.ProviderCode);
    }

    [Fact]
    public async Task A_2xx_without_both_tokens_is_a_rejection()
    {
        var (_, error, _) = await Call(StubHandler.Json(HttpStatusCode.OK, """{"access_token":"","refresh_token":"r","text":"wrong token"}"""));
        Assert.Equal("wrong token", Assert.IsType<TokenRefreshRejectedException>(error).ProviderCode);
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError, StorageErrorKind.Unavailable)]
    [InlineData(HttpStatusCode.BadGateway, StorageErrorKind.Unavailable)]
    [InlineData(HttpStatusCode.TooManyRequests, StorageErrorKind.RateLimited)]
    public async Task A_non_json_error_page_is_transient_not_a_rejection(HttpStatusCode status, StorageErrorKind kind)
    {
        var (_, error, _) = await Call(StubHandler.Text(status, "<html>Internal Server Error</html>"));
        Assert.Equal(kind, Assert.IsType<StorageException>(error).Kind);
    }

    [Fact]
    public async Task Errors_never_carry_the_refresh_token()
    {
        var (_, error, _) = await Call(StubHandler.Text(HttpStatusCode.BadGateway, "down"), refreshToken: "SECRET-RT");
        Assert.DoesNotContain("SECRET-RT", error!.ToString(), StringComparison.Ordinal);
    }
}

/// <summary>Issue 9: the POST form our drivers send to our relay, and which relay statuses mean "try later".</summary>
public sealed class OnlineApiRelayClientPostTests
{
    private static readonly Uri Relay = new("http://127.0.0.1:9/relay/alicloud/renewapi");

    [Fact]
    public async Task POST_sends_the_fields_as_a_form_and_nothing_in_the_url()
    {
        var handler = new CapturingHandler(_ => StubHandler.Json(HttpStatusCode.OK, """{"refresh_token":"rt2","access_token":"at2","expires_in":60}"""));
        using var http = new HttpClient(handler);

        var tokens = await OnlineApiRelayClient.RefreshAsync(http, Relay, "rt+/=&x", "alicloud_qr", post: true, new ManualClock(), CancellationToken.None);

        var sent = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Post, sent.Method);
        Assert.Equal(Relay, sent.Uri);
        Assert.Equal("application/x-www-form-urlencoded", sent.ContentType);
        var form = CapturedRequest.Fields(sent.Body);
        Assert.Equal("rt+/=&x", form["refresh_ui"]);
        Assert.Equal("true", form["server_use"]);
        Assert.Equal("alicloud_qr", form["driver_txt"]);
        Assert.Equal("at2", tokens.AccessToken);
    }

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests, StorageErrorKind.RateLimited)]
    [InlineData(HttpStatusCode.BadGateway, StorageErrorKind.Unavailable)]
    [InlineData(HttpStatusCode.ServiceUnavailable, StorageErrorKind.Unavailable)]
    [InlineData(HttpStatusCode.GatewayTimeout, StorageErrorKind.Unavailable)]
    public async Task Throttling_and_gateway_statuses_are_transient_even_with_a_json_reason(HttpStatusCode status, StorageErrorKind kind)
    {
        var answer = StubHandler.Json(status, """{"text":"the provider could not be reached"}""");
        answer.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(42));
        using var http = new HttpClient(new StubHandler(_ => answer));

        var error = await Assert.ThrowsAsync<StorageException>(() => OnlineApiRelayClient.RefreshAsync(http, Relay, "rt", "alicloud_qr", post: true, new ManualClock(), CancellationToken.None));

        Assert.Equal(kind, error.Kind);
        Assert.Equal(TimeSpan.FromSeconds(42), error.RetryAfter);
        Assert.Contains("could not be reached", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_401_json_reason_from_our_relay_is_a_rejection()
    {
        using var http = new HttpClient(new StubHandler(_ => StubHandler.Json(HttpStatusCode.Unauthorized, """{"text":"RefreshTokenExpired: Refresh token is expired."}""")));

        var error = await Assert.ThrowsAsync<TokenRefreshRejectedException>(() => OnlineApiRelayClient.RefreshAsync(http, Relay, "rt", "alicloud_qr", post: true, new ManualClock(), CancellationToken.None));

        Assert.Contains("RefreshTokenExpired", error.Message, StringComparison.Ordinal);
    }
}
