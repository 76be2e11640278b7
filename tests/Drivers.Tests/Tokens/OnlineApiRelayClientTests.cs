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
