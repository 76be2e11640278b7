using System.Net;
using System.Text.Json;
using System.Web;
using Microsoft.Extensions.Logging.Abstractions;
using OpenList.DriverHost.Drivers.Errors;
using OpenList.DriverHost.Drivers.Open115;
using OpenList.DriverHost.Drivers.Tests.TestSupport;
using OpenList.DriverHost.Drivers.Tokens;

namespace OpenList.DriverHost.Drivers.Tests.Open115;

/// <summary>
/// Wire-level behaviour against a scripted server (<see cref="StubHandler"/>): the paging loop's requests, the order
/// of saving a rotated refresh token and using the new access token, and the end of the road for a refused refresh token.
/// </summary>
public sealed class Open115StubTests
{
    private const string Api = "http://proapi.stub";
    private const string Auth = "http://passport.stub";

    private static Open115Driver Driver(StubHandler handler, string addition, ITokenStore? store = null) =>
        (Open115Driver)new Open115DriverFactory().Create(
            JsonDocument.Parse(addition).RootElement.Clone(),
            new DriverContext("/115", Path.GetTempPath(), NullLoggerFactory.Instance, TimeProvider.System)
            {
                HttpHandler = handler,
                Tokens = store ?? new InMemoryTokenStore(),
            });

    private static string Addition(string extra = "") =>
        $$"""{"access_token":"at-0ld-secret","refresh_token":"rt-1-secret","limit_rate":0,"api_base_url":"{{Api}}","auth_base_url":"{{Auth}}"{{extra}}}""";

    private static HttpResponseMessage Ok(string data) => StubHandler.Json(HttpStatusCode.OK, """{"state":true,"code":0,"message":"","data":""" + data + "}");

    private static HttpResponseMessage Fail(long code, string message) =>
        StubHandler.Json(HttpStatusCode.OK, $$$"""{"state":false,"code":{{{code}}},"message":"{{{message}}}","data":{}}""");

    private static string Bearer(HttpRequestMessage request) => request.Headers.Authorization?.Parameter ?? "";

    private static string File(int i) => $$"""{"fid":"{{i}}","pid":"0","fc":"1","fn":"f{{i}}.txt","pc":"pc{{i}}","fs":{{i}},"upt":1700000000,"uppt":1700000000,"sha1":""}""";

    [Fact]
    public async Task List_PagesByOffset_UntilCountEntriesWereSeen()
    {
        // §1.5: offset paging; keep going until the entries collected reach count.
        var offsets = new List<string?>();
        var handler = new StubHandler(request =>
        {
            var query = HttpUtility.ParseQueryString(request.RequestUri!.Query);
            if (request.RequestUri.AbsolutePath == "/open/ufile/files")
            {
                Assert.Equal("2", query["limit"]);
                Assert.Equal("0", query["cid"]);
                Assert.Equal("1", query["show_dir"]);
                offsets.Add(query["offset"]);
                var offset = int.Parse(query["offset"]!, System.Globalization.CultureInfo.InvariantCulture);
                var items = Enumerable.Range(offset, Math.Max(0, Math.Min(2, 5 - offset))).Select(File);
                return StubHandler.Json(HttpStatusCode.OK, $$"""{"state":true,"code":0,"message":"","count":5,"cid":"0","data":[{{string.Join(',', items)}}]}""");
            }

            return Ok("{}");
        });
        await using var driver = Driver(handler, Addition(""","page_size":2"""));

        var names = new List<string>();
        await foreach (var entry in driver.ListAsync(StoragePath.Root, CancellationToken.None))
        {
            names.Add(entry.Name);
        }

        Assert.Equal(["f0.txt", "f1.txt", "f2.txt", "f3.txt", "f4.txt"], names);
        Assert.Equal(["0", "2", "4"], offsets);
    }

    [Fact]
    public async Task List_StopsAtAnEmptyPage_EvenWhenCountPromisedMore()
    {
        // §6: "count must equal the true total, otherwise the driver's offset loop never ends" — ours ends anyway.
        var calls = 0;
        var handler = new StubHandler(request =>
        {
            var offset = HttpUtility.ParseQueryString(request.RequestUri!.Query)["offset"];
            calls++;
            var data = offset == "0" ? File(1) : "";
            return StubHandler.Json(HttpStatusCode.OK, $$"""{"state":true,"code":0,"message":"","count":1000,"data":[{{data}}]}""");
        });
        await using var driver = Driver(handler, Addition());

        var entries = new List<StorageEntry>();
        await foreach (var entry in driver.ListAsync(StoragePath.Root, CancellationToken.None))
        {
            entries.Add(entry);
        }

        Assert.Single(entries);
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task List_SendsOrderAndDirection()
    {
        Uri? seen = null;
        var handler = new StubHandler(request =>
        {
            seen = request.RequestUri;
            return StubHandler.Json(HttpStatusCode.OK, """{"state":true,"code":0,"message":"","count":0,"data":[]}""");
        });
        await using var driver = Driver(handler, Addition(""","order_by":"file_size","order_direction":"asc" """));
        await foreach (var unused in driver.ListAsync(StoragePath.Root, CancellationToken.None))
        {
        }

        var query = HttpUtility.ParseQueryString(seen!.Query);
        Assert.Equal("file_size", query["o"]);
        Assert.Equal("1", query["asc"]);
    }

    [Fact]
    public async Task ExpiredAccessToken_IsRenewed_AndTheRotatedRefreshTokenIsSavedBeforeTheNewAccessTokenIsUsed()
    {
        // §1.3 + DESIGN.md §8: "the rotated refresh token saved durably before the new access token is used".
        var store = new RecordingStore();
        var refreshes = 0;
        string? savedWhenFirstUsed = null;
        var handler = new StubHandler(request =>
        {
            if (request.RequestUri!.GetLeftPart(UriPartial.Path) == Auth + "/open/refreshToken")
            {
                refreshes++;
                var form = request.Content!.ReadAsStringAsync().Result;
                Assert.Equal("refresh_token=rt-1-secret", form);
                Assert.Null(request.Headers.Authorization);
                return StubHandler.Json(HttpStatusCode.OK, """{"state":1,"code":0,"message":"","data":{"access_token":"new","refresh_token":"rt2","expires_in":7200},"error":"","errno":0}""");
            }

            if (Bearer(request) == "at-0ld-secret")
            {
                return Fail(40140125, "access_token 无效");
            }

            savedWhenFirstUsed ??= store.Saved.LastOrDefault()?.RefreshToken;
            return Ok("""{"user_id":"42","rt_space_info":{"all_total":{"size":1000},"all_remain":{"size":400},"all_use":{"size":600}}}""");
        });
        await using var driver = Driver(handler, Addition(), store);

        var quota = await driver.GetQuotaAsync(CancellationToken.None);

        Assert.Equal(new Capabilities.StorageQuota(600, 400), quota);
        Assert.Equal(1, refreshes);
        Assert.Equal("rt2", savedWhenFirstUsed);
        Assert.Equal("new", store.Saved.Last().AccessToken);
        Assert.Equal(1, driver.Tokens.RefreshCount);
    }

    [Theory]
    [InlineData(40140116L, "authorization revoked")]
    [InlineData(40140119L, "refresh token expired")]
    public async Task RefusedRefreshToken_IsAuthExpiredWithTheReauthorizeMessage_AndNoRetryLoop(long code, string meaning)
    {
        var refreshes = 0;
        var apiCalls = 0;
        var handler = new StubHandler(request =>
        {
            if (request.RequestUri!.Host == "passport.stub")
            {
                refreshes++;
                return StubHandler.Json(HttpStatusCode.OK, $$"""{"state":0,"code":{{code}},"message":"no auth rt-1-secret","data":{},"error":"no auth","errno":{{code}}}""");
            }

            apiCalls++;
            return Fail(40140125, "access_token 无效");
        });
        await using var driver = Driver(handler, Addition());

        for (var i = 0; i < 3; i++)
        {
            var e = await Assert.ThrowsAsync<StorageException>(() => driver.StatAsync(StoragePath.Parse("/a.txt"), CancellationToken.None));
            Assert.Equal(StorageErrorKind.AuthExpired, e.Kind);
            Assert.Contains($"refresh token rejected by 115 ({code}: {meaning}", e.Message, StringComparison.Ordinal);
            Assert.Contains("re-authorize", e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("secret", e.Message, StringComparison.Ordinal);
        }

        Assert.Equal(1, refreshes); // the refusal is remembered; nothing retries it in a loop
        Assert.Equal(3, apiCalls);  // one call per request, none repeated
    }

    [Fact]
    public async Task AnAccessTokenRejectedAgainAfterRenewal_IsAuthExpired_WithoutASecondRenewal()
    {
        var refreshes = 0;
        var apiCalls = 0;
        var handler = new StubHandler(request =>
        {
            if (request.RequestUri!.Host == "passport.stub")
            {
                refreshes++;
                return StubHandler.Json(HttpStatusCode.OK, """{"state":1,"code":0,"message":"","data":{"access_token":"new","refresh_token":"rt2","expires_in":7200}}""");
            }

            apiCalls++;
            return Fail(99, "login required");
        });
        await using var driver = Driver(handler, Addition());

        var e = await Assert.ThrowsAsync<StorageException>(() => driver.StatAsync(StoragePath.Parse("/a.txt"), CancellationToken.None));
        Assert.Equal(StorageErrorKind.AuthExpired, e.Kind);
        Assert.Equal(1, refreshes);
        Assert.Equal(2, apiCalls);
    }

    [Fact]
    public async Task Relay_IsCalledInOpenListsFormat_WhenUseOnlineApiIsOn()
    {
        // §1.3: GET <api_url_address>?refresh_ui=<rt>&server_use=true&driver_txt=115cloud_go.
        Uri? relayCall = null;
        var handler = new StubHandler(request =>
        {
            if (request.RequestUri!.Host == "relay.stub")
            {
                relayCall = request.RequestUri;
                return StubHandler.Json(HttpStatusCode.OK, """{"refresh_token":"rt2","access_token":"new"}""");
            }

            if (request.RequestUri.Host == "passport.stub")
            {
                throw new InvalidOperationException("the passport must not be called through the relay");
            }

            return Bearer(request) == "new" ? Ok("""{"user_id":"1"}""") : Fail(40140125, "expired");
        });
        await using var driver = Driver(handler, Addition(""","use_online_api":true,"api_url_address":"http://relay.stub/115cloud/renewapi" """));

        await driver.GetQuotaAsync(CancellationToken.None);

        var query = HttpUtility.ParseQueryString(relayCall!.Query);
        Assert.Equal("rt-1-secret", query["refresh_ui"]);
        Assert.Equal("true", query["server_use"]);
        Assert.Equal("115cloud_go", query["driver_txt"]);
    }

    [Fact]
    public async Task BusinessCodes_MapToStorageErrors()
    {
        var handler = new StubHandler(request => request.RequestUri!.AbsolutePath switch
        {
            "/open/ufile/files" => Fail(430004, "not found"),
            _ => Ok("{}"),
        });
        await using var driver = Driver(handler, Addition());
        var e = await Assert.ThrowsAsync<StorageException>(() => driver.StatAsync(StoragePath.Parse("/a.txt"), CancellationToken.None));
        Assert.Equal(StorageErrorKind.NotFound, e.Kind);
    }

    /// <summary>Keeps every save, in order.</summary>
    private sealed class RecordingStore : ITokenStore
    {
        private readonly List<StoredTokens> _saved = [];

        public List<StoredTokens> Saved
        {
            get
            {
                lock (_saved)
                {
                    return [.. _saved];
                }
            }
        }

        public Task<StoredTokens?> LoadAsync(CancellationToken cancellationToken)
        {
            lock (_saved)
            {
                return Task.FromResult(_saved.LastOrDefault());
            }
        }

        public Task SaveAsync(StoredTokens tokens, CancellationToken cancellationToken)
        {
            lock (_saved)
            {
                _saved.Add(tokens);
            }

            return Task.CompletedTask;
        }
    }
}
