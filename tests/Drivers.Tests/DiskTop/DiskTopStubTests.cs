using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using OpenList.DriverHost.Drivers.Authorization;
using OpenList.DriverHost.Drivers.DiskTop;
using OpenList.DriverHost.Drivers.Errors;
using OpenList.DriverHost.Drivers.Resilience;
using OpenList.DriverHost.Drivers.Tests.TestSupport;
using OpenList.DriverHost.Drivers.Tokens;

namespace OpenList.DriverHost.Drivers.Tests.DiskTop;

/// <summary>
/// What the fake does not show, against scripted answers: the error table (§4.2 leaves codes open), a 401 with a
/// plain-text body, a short page that <c>total</c> says is not the last, <c>complete</c> answering 425, and the device
/// flow's pending / slow_down / denied / expired answers (HTTP 200 or 400) on a manual clock.
/// </summary>
public sealed class DiskTopStubTests
{
    private const string Base = "https://openapi.test";

    [Theory]
    [InlineData(404, null, "", StorageErrorKind.NotFound)]
    [InlineData(200, 404L, "file not found", StorageErrorKind.NotFound)]
    [InlineData(409, 409L, "name taken", StorageErrorKind.AlreadyExists)]
    [InlineData(200, 409L, "name taken", StorageErrorKind.AlreadyExists)]
    [InlineData(403, 403L, "insufficient_scope", StorageErrorKind.PermissionDenied)]
    [InlineData(403, 403L, "insufficient storage quota", StorageErrorKind.QuotaExceeded)]
    [InlineData(507, null, "", StorageErrorKind.QuotaExceeded)]
    [InlineData(400, 400L, "name is not valid", StorageErrorKind.InvalidName)]
    [InlineData(200, 31024L, "something else", StorageErrorKind.Unavailable)]
    public void Errors_MapToTheClosedSet(int status, long? errno, string message, StorageErrorKind kind)
    {
        var error = Assert.IsType<StorageException>(DiskTopApiClient.Classify("/v1/files", status, errno, message, null));
        Assert.Equal(kind, error.Kind);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    public void ServerErrors_AreTransient(int status) =>
        Assert.IsType<TransientCloudException>(DiskTopApiClient.Classify("/v1/files", status, null, "", null));

    [Fact]
    public void Throttling_CarriesRetryAfter()
    {
        var error = Assert.IsType<ThrottledCloudException>(DiskTopApiClient.Classify("/v1/files", 200, 429, "slow down", TimeSpan.FromSeconds(3)));
        Assert.Equal(TimeSpan.FromSeconds(3), error.RetryAfter);
    }

    [Fact]
    public async Task A401WithAPlainTextBody_RenewsOnce_AndRetriesOnce()
    {
        var refreshes = 0;
        var stub = new StubHandler(request =>
        {
            var path = request.RequestUri!.AbsolutePath;
            if (path == "/oauth/token")
            {
                refreshes++;
                Assert.Contains("grant_type=refresh_token", Form(request), StringComparison.Ordinal);
                return StubHandler.Json(HttpStatusCode.OK, """{"access_token":"new","refresh_token":"rt-2","expires_in":7200,"token_type":"Bearer"}""");
            }

            return request.Headers.Authorization?.Parameter == "new"
                ? StubHandler.Json(HttpStatusCode.OK, """{"errno":0,"data":{"folders":[],"files":[{"id":"3000000000","name":"a.txt","size":"5","md5":"0cc175b9c0f1b6a831c399e269772661"}],"total":1}}""")
                : StubHandler.Text(HttpStatusCode.Unauthorized, "Unauthorized");
        });
        var store = new InMemoryTokenStore();
        await using var driver = Create(stub, store);

        var entry = await driver.StatAsync(StoragePath.Parse("/a.txt"), CancellationToken.None);

        Assert.Equal(5, entry.Size);
        Assert.Equal("file:3000000000", entry.Id);
        Assert.Equal("0cc175b9c0f1b6a831c399e269772661", entry.Hashes[HashNames.Md5]);
        Assert.Equal(1, refreshes);
        Assert.Equal("rt-2", (await store.LoadAsync(CancellationToken.None))!.RefreshToken);
    }

    [Fact]
    public async Task ARenewedTokenRejectedAgain_IsAuthExpired_WithoutALoop()
    {
        var refreshes = 0;
        var stub = new StubHandler(request =>
        {
            if (request.RequestUri!.AbsolutePath == "/oauth/token")
            {
                refreshes++;
                return StubHandler.Json(HttpStatusCode.OK, """{"access_token":"new","refresh_token":"rt-2","expires_in":7200}""");
            }

            return StubHandler.Json(HttpStatusCode.Unauthorized, """{"errno":401,"errmsg":"invalid_token: expired","data":null}""");
        });
        await using var driver = Create(stub);

        var error = await Assert.ThrowsAsync<StorageException>(() => driver.StatAsync(StoragePath.Parse("/a.txt"), CancellationToken.None));

        Assert.Equal(StorageErrorKind.AuthExpired, error.Kind);
        Assert.Contains("driverhost auth /disktop", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, refreshes);
    }

    [Fact]
    public async Task AShortPageBeforeTotal_AsksOnce_More()
    {
        // A server that caps limit lower than asked: pages of 2 while the driver asks for 200, total 3.
        var pages = new List<string>();
        var stub = new StubHandler(request =>
        {
            var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(request.RequestUri!.Query);
            pages.Add(query["page"]!);
            return query["page"].ToString() switch
            {
                "1" => StubHandler.Json(HttpStatusCode.OK, """{"errno":0,"data":{"folders":[{"id":1,"name":"d"}],"files":[{"id":1,"name":"a","size":1,"md5":""}],"total":3}}"""),
                "2" => StubHandler.Json(HttpStatusCode.OK, """{"errno":0,"data":{"folders":[],"files":[{"id":2,"name":"b","size":2,"md5":""}],"total":3}}"""),
                _ => StubHandler.Json(HttpStatusCode.OK, """{"errno":0,"data":{"folders":[],"files":[],"total":3}}"""),
            };
        });
        await using var driver = Create(stub);

        var names = new List<string>();
        await foreach (var entry in driver.ListAsync(StoragePath.Root, CancellationToken.None))
        {
            names.Add(entry.Name);
        }

        Assert.Equal(["d", "a", "b"], names);
        Assert.Equal(["1", "2"], pages);
    }

    [Fact]
    public async Task Complete425_SendsTheMissingPartsAndCompletesAgain()
    {
        var chunks = new List<string>();
        var completes = 0;
        var stub = new StubHandler(request =>
        {
            var uri = request.RequestUri!;
            return uri.AbsolutePath switch
            {
                "/v1/files" => StubHandler.Json(HttpStatusCode.OK, """{"errno":0,"data":{"folders":[],"files":[],"total":0}}"""),
                "/v1/files/upload/precreate" => StubHandler.Json(HttpStatusCode.OK, """{"errno":0,"data":{"instant_upload":false,"upload_id":"u1","endpoint":"https://up.test/","chunk_size":4,"total_parts":3,"expires_in":86400}}"""),
                "/u" => Chunk(uri, chunks),
                "/u/u1/parts" => StubHandler.Json(HttpStatusCode.OK, """{"errno":0,"data":{"upload_id":"u1","total_parts":3,"received_parts":[1,3],"progress":66.7,"parts":{}}}"""),
                "/u/u1/complete" => ++completes == 1
                    ? StubHandler.Text((HttpStatusCode)425, "425 incomplete: 2/3")
                    : StubHandler.Json(HttpStatusCode.OK, """{"errno":0,"data":{"file_id":77,"path":"/x/f.bin","size":10,"md5":"x"}}"""),
                _ => StubHandler.Text(HttpStatusCode.NotFound, "no"),
            };
        });
        await using var driver = Create(stub);

        var entry = await driver.PutAsync(StoragePath.Parse("/f.bin"), new MemoryStream(new byte[10]), 10, PutOptions.Default, CancellationToken.None);

        Assert.Equal("file:77", entry.Id);
        Assert.Equal(["1", "2", "3", "2"], chunks);
        Assert.Equal(2, completes);
        Assert.DoesNotContain(stub.Requests, r => r.AbsolutePath.EndsWith("/abort", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DeviceFlow_WaitsWhilePending_SlowsDownBy5Seconds_AndReturnsTheTokens()
    {
        var clock = new ManualClock();
        var polls = new List<DateTimeOffset>();
        var answers = new Queue<(HttpStatusCode, string)>(
        [
            (HttpStatusCode.BadRequest, """{"error":"authorization_pending"}"""),
            (HttpStatusCode.OK, """{"error":"slow_down"}"""),
            (HttpStatusCode.BadRequest, """{"error":"authorization_pending"}"""),
            (HttpStatusCode.OK, """{"access_token":"at","refresh_token":"rt","expires_in":3600,"token_type":"Bearer"}"""),
        ]);
        var stub = new StubHandler(request =>
        {
            switch (request.RequestUri!.AbsolutePath)
            {
                case "/oauth/device-code":
                    Assert.Contains("scope=user.read+files.app_data", Form(request), StringComparison.Ordinal);
                    return StubHandler.Json(HttpStatusCode.OK, """{"device_code":"dc","user_code":"8KXH-Y8R","verification_uri":"https://openapi.test/oauth/device","verification_uri_complete":"https://openapi.test/oauth/device?user_code=8KXH-Y8R","expires_in":600,"interval":5}""");
                case "/oauth/device-token":
                    polls.Add(clock.GetUtcNow());
                    Assert.Contains("device_code=dc", Form(request), StringComparison.Ordinal);
                    var (status, body) = answers.Dequeue();
                    return StubHandler.Json(status, body);
                default:
                    return StubHandler.Json(HttpStatusCode.OK, """{"errno":0,"data":{"uid":17,"username":"jam"}}""");
            }
        });
        var prompt = new RecordingPrompt();

        var run = Authorize(stub, clock, prompt, AuthorizationFlow.DeviceCode);
        await clock.RunAsync(run, TimeSpan.FromSeconds(30));
        var result = await run;

        Assert.Equal("at", result.Tokens.AccessToken);
        Assert.Equal("rt", result.Tokens.RefreshToken);
        Assert.Equal("jam", result.Account);
        Assert.Equal("8KXH-Y8R", prompt.Device!.UserCode);
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal([5, 10, 20, 30], polls.Select(p => (p - start).TotalSeconds));
    }

    [Theory]
    [InlineData("access_denied", AuthorizationFailure.Denied)]
    [InlineData("expired_token", AuthorizationFailure.Expired)]
    [InlineData("invalid_client", AuthorizationFailure.Refused)]
    public async Task DeviceFlow_EndsOnTheProvidersVerdict(string error, AuthorizationFailure reason)
    {
        var clock = new ManualClock();
        var stub = new StubHandler(request => request.RequestUri!.AbsolutePath == "/oauth/device-code"
            ? StubHandler.Json(HttpStatusCode.OK, """{"device_code":"dc","user_code":"AB","verification_uri":"https://openapi.test/oauth/device","expires_in":600,"interval":5}""")
            : StubHandler.Json(HttpStatusCode.BadRequest, $$"""{"error":"{{error}}","error_description":"no"}"""));

        var run = Authorize(stub, clock, new RecordingPrompt(), AuthorizationFlow.DeviceCode);
        await clock.RunAsync(Task.WhenAny(run), TimeSpan.FromSeconds(30));

        var failure = await Assert.ThrowsAsync<AuthorizationFailedException>(() => run);
        Assert.Equal(reason, failure.Reason);
    }

    [Fact]
    public async Task DeviceFlow_StopsAtTheCodesExpiry_EvenWhenStillPending()
    {
        var clock = new ManualClock();
        var stub = new StubHandler(request => request.RequestUri!.AbsolutePath == "/oauth/device-code"
            ? StubHandler.Json(HttpStatusCode.OK, """{"device_code":"dc","user_code":"AB","verification_uri":"https://openapi.test/oauth/device","expires_in":20,"interval":5}""")
            : StubHandler.Json(HttpStatusCode.BadRequest, """{"error":"authorization_pending"}"""));

        var run = Authorize(stub, clock, new RecordingPrompt(), AuthorizationFlow.DeviceCode);
        await clock.RunAsync(Task.WhenAny(run), TimeSpan.FromSeconds(30));

        Assert.Equal(AuthorizationFailure.Expired, (await Assert.ThrowsAsync<AuthorizationFailedException>(() => run)).Reason);
        Assert.Equal(3, stub.Requests.Count(r => r.AbsolutePath == "/oauth/device-token")); // at 5, 10, 15 s; 20 s is past the expiry
    }

    [Fact]
    public void Pkce_ChallengeIsTheBase64UrlSha256OfTheVerifier()
    {
        // RFC 7636 appendix B.
        Assert.Equal("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", Pkce.Challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));
        var verifier = Pkce.CreateVerifier();
        Assert.Equal(43, verifier.Length);
        Assert.DoesNotContain('=', verifier);
        Assert.NotEqual(Pkce.CreateState(), Pkce.CreateState());
    }

    private static DiskTopDriver Create(StubHandler stub, ITokenStore? store = null)
    {
        var addition = JsonDocument.Parse($$"""{"client_id":"cid","client_secret":"cs","access_token":"old","refresh_token":"rt-1","api_base_url":"{{Base}}"}""").RootElement.Clone();
        var context = new DriverContext("/disktop", Path.GetTempPath(), NullLoggerFactory.Instance, TimeProvider.System)
        {
            HttpHandler = stub,
            Tokens = store ?? new InMemoryTokenStore(),
        };
        var driver = (DiskTopDriver)new DiskTopDriverFactory().Create(addition, context);
        driver.UploadRetryDelay = TimeSpan.Zero;
        return driver;
    }

    private static Task<AuthorizationResult> Authorize(StubHandler stub, ManualClock clock, RecordingPrompt prompt, AuthorizationFlow flow)
    {
        var addition = JsonDocument.Parse($$"""{"client_id":"cid","api_base_url":"{{Base}}"}""").RootElement.Clone();
        var context = new DriverContext("/disktop", Path.GetTempPath(), NullLoggerFactory.Instance, clock) { HttpHandler = stub };
        return Task.Run(() => new DiskTopDriverFactory().AuthorizeAsync(addition, context, new AuthorizationRequest(flow), prompt, CancellationToken.None));
    }

    private static HttpResponseMessage Chunk(Uri uri, List<string> chunks)
    {
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(uri.Query);
        Assert.Equal("u1", query["upload_id"]);
        chunks.Add(query["part_seq"]!);
        return StubHandler.Json(HttpStatusCode.OK, $$$"""{"errno":0,"data":{"part_seq":{{{query["part_seq"]}}},"etag":"","size":4,"received_parts":1,"total_parts":3}}""");
    }

    private static string Form(HttpRequestMessage request) => request.Content!.ReadAsStringAsync().GetAwaiter().GetResult();

    private sealed class RecordingPrompt : IAuthorizationPrompt
    {
        public DeviceCodePrompt? Device { get; private set; }

        public Task ShowDeviceCodeAsync(DeviceCodePrompt prompt, CancellationToken cancellationToken)
        {
            Device = prompt;
            return Task.CompletedTask;
        }

        public Task ShowAuthorizeUrlAsync(Uri authorizeUrl, Uri redirectUri, CancellationToken cancellationToken) => Task.CompletedTask;

        public void Status(string message)
        {
        }
    }
}
