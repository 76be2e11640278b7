using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using OpenList.DriverHost.Drivers.Errors;
using OpenList.DriverHost.Drivers.Tests.TestSupport;
using OpenList.DriverHost.Drivers.Tokens;
using static OpenList.DriverHost.Drivers.Tests.Open123.Open123TestExtensions;

namespace OpenList.DriverHost.Drivers.Tests.Open123;

/// <summary>
/// The token modes of cloud-apis.md §3.3, in OpenList's order: the online API relay (rotating refresh token,
/// <c>expires_in</c> required), the user's own developer credentials (30-day tokens, at most three live per client:
/// one kept across restarts), a pasted access token. Renewal 5 minutes before expiry and on body code 401; a failed
/// renewal does not block the mount for good.
/// </summary>
public sealed class Open123TokenTests : IAsyncLifetime
{
    private const string TokenPath = "/api/v1/access_token";
    private const string RelayPath = "/123cloud/renewapi";
    private const string ListPath = "/api/v2/file/list";
    private Open123TestCloud _cloud = null!;

    public async Task InitializeAsync() => _cloud = await Open123TestCloud.StartAsync();

    public Task DisposeAsync() => _cloud.DisposeAsync();

    [Fact]
    public async Task Developer_TenRestartsOverOneStateStore_MintOneToken()
    {
        // §3.3: "at most 3 tokens per client_id may be live at once, so extra issues kick older ones offline" —
        // OpenList mints one at every Init; a host restarted ten times must not (DESIGN.md §8: the state store).
        var account = _cloud.Open123.CreateAccount();
        var clientId = _cloud.RegisterClient(account);
        account.AddFile("/kept.txt", Bytes(5));
        var store = new InMemoryTokenStore();

        for (var start = 0; start < 10; start++)
        {
            await using var d = await _cloud.CreateDriverAsync(account, store: store, clientId: clientId);
            Assert.Equal(["kept.txt"], await d.Driver.NamesAsync("/"));
        }

        Assert.Equal(1, _cloud.Open123.DeveloperTokenCount);
        Assert.Single(_cloud.Open123.LiveDeveloperTokens(clientId));
        Assert.Equal(0, _cloud.Open123.DeveloperTokensKicked);
        Assert.Equal(1, _cloud.Fake.Requests.Count(TokenPath));
    }

    [Fact]
    public async Task Developer_FirstStart_MintsWithTheCredentials_AndSavesTheTokenWithItsExpiry()
    {
        // §3.3: POST /api/v1/access_token {clientID, clientSecret} with platform: open_platform → {accessToken,
        // expiredAt (RFC 3339)}; valid 30 days, no refresh token.
        await using var d = await _cloud.CreateDriverAsync();

        var mint = Assert.Single(d.Http.To(TokenPath));
        Assert.Equal("POST", mint.Method);
        Assert.Equal("open_platform", mint.Platform);
        Assert.Null(mint.Authorization);
        Assert.Equal(d.ClientId, mint.Json.GetProperty("clientID").GetString());
        Assert.Equal(Open123TestCloud.ClientSecret, mint.Json.GetProperty("clientSecret").GetString());
        var saved = (await d.Store.LoadAsync(CancellationToken.None))!;
        Assert.Equal(_cloud.Open123.LiveDeveloperTokens(d.ClientId!).Single(), saved.AccessToken);
        Assert.Null(saved.RefreshToken);
        var expected = DateTimeOffset.UtcNow.AddDays(30);
        Assert.InRange(saved.ExpiresAt!.Value, expected.AddMinutes(-5), expected.AddMinutes(5));
    }

    [Fact]
    public async Task Developer_ATokenRefusedWithCode401_IsReplaced_AndTheCallRepeated()
    {
        // §3.2: code 401 → "Force-refresh the token, then ... retry".
        await using var d = await _cloud.CreateDriverAsync();
        _cloud.Open123.ExpireAccessTokensNow();

        Assert.Empty(await d.Driver.NamesAsync("/"));

        Assert.Equal(2, _cloud.Open123.DeveloperTokenCount);
        Assert.Equal([200, 200], d.Http.To(ListPath).Select(r => r.Status));
        var list = d.Http.To(ListPath);
        Assert.NotEqual(list[0].Authorization, list[1].Authorization);
        Assert.Equal("Bearer " + (await d.Store.LoadAsync(CancellationToken.None))!.AccessToken, list[1].Authorization);
    }

    [Fact]
    public async Task Developer_RenewsFiveMinutesBeforeExpiry_NotEarlier()
    {
        // §3.3: "getAccessToken(force) returns the current token if ... now < expiredAt − 5 min".
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var d = await _cloud.CreateDriverAsync(time: clock);
        var expires = (await d.Store.LoadAsync(CancellationToken.None))!.ExpiresAt!.Value;

        clock.Advance(expires - clock.GetUtcNow() - TimeSpan.FromMinutes(6));
        await d.Driver.NamesAsync("/");
        Assert.Equal(1, _cloud.Open123.DeveloperTokenCount);

        clock.Advance(TimeSpan.FromMinutes(2));
        await d.Driver.NamesAsync("/");
        Assert.Equal(2, _cloud.Open123.DeveloperTokenCount);
        Assert.All(d.Http.To(ListPath), r => Assert.Equal(200, r.Status)); // renewed before it was used, not after a 401
    }

    [Fact]
    public async Task Developer_WrongSecret_IsAuthExpired_WithTheProvidersReason_AndNoSecret()
    {
        var account = _cloud.Open123.CreateAccount();
        await using var d = await _cloud.CreateDriverAsync(account, addition: new Dictionary<string, object?> { ["ClientSecret"] = "WRONG-SECRET-value" });

        var error = await AssertKindAsync(StorageErrorKind.AuthExpired, () => d.Driver.NamesAsync("/"));

        Assert.StartsWith("credentials rejected by 123 (get access token failed: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("check ClientID and ClientSecret", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("WRONG-SECRET", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, _cloud.Open123.DeveloperTokenCount);
    }

    [Fact]
    public async Task Relay_RenewsWithOpenListsQuery_AndSavesTheRotatedRefreshTokenBeforeUsingIt()
    {
        // §3.3: GET <api_url_address>?refresh_ui=<refresh_token>&server_use=true&driver_txt=123cloud_oa; the refresh
        // token rotates, so the new one is saved (and used for the next renewal).
        var queries = new ConcurrentQueue<string>();
        await using var d = await _cloud.CreateDriverAsync(mode: Open123TestMode.Relay, intercept: request =>
        {
            if (request.RequestUri!.AbsolutePath == RelayPath)
            {
                queries.Enqueue(request.RequestUri.Query);
            }

            return null;
        });
        var configured = d.RelayTokens!.RefreshToken;
        var rotated = (await d.Store.LoadAsync(CancellationToken.None))!.RefreshToken;
        Assert.NotEqual(configured, rotated);
        Assert.Equal("?refresh_ui=" + Uri.EscapeDataString(configured) + "&server_use=true&driver_txt=123cloud_oa", Assert.Single(queries));

        _cloud.Open123.ExpireAccessTokensNow();
        Assert.Empty(await d.Driver.NamesAsync("/"));

        Assert.Equal(2, _cloud.Open123.RelayRefreshCount);
        Assert.Contains("refresh_ui=" + Uri.EscapeDataString(rotated!), queries.Last(), StringComparison.Ordinal);
        Assert.Empty(d.Http.To(TokenPath));
    }

    [Fact]
    public async Task Relay_ARestartWithAValidSavedToken_DoesNotRotateTheRefreshToken()
    {
        // OpenList renews at every Init (§3.3); the token in the state store is still good, so the host does not.
        var account = _cloud.Open123.CreateAccount();
        var store = new InMemoryTokenStore();
        var first = await _cloud.CreateDriverAsync(account, Open123TestMode.Relay, store: store);
        var configured = first.RelayTokens!.RefreshToken;
        await first.DisposeAsync();

        await using var again = await _cloud.CreateDriverAsync(
            account,
            Open123TestMode.Relay,
            addition: new Dictionary<string, object?> { ["RefreshToken"] = configured },
            store: store);
        Assert.Empty(await again.Driver.NamesAsync("/"));

        Assert.Equal(1, _cloud.Open123.RelayRefreshCount);
    }

    [Theory]
    [InlineData(true, null)]
    [InlineData(false, 0L)]
    [InlineData(false, -30L)]
    public async Task Relay_AnswerWithoutAPositiveExpiresIn_IsRefused(bool omit, long? expiresIn)
    {
        // §3.3: "If expires_in ≤ 0 → invalid expires_in from official API".
        _cloud.Open123.RelayOmitsExpiresIn = omit;
        _cloud.Open123.RelayExpiresInOverride = expiresIn;
        await using var d = await _cloud.CreateDriverAsync(mode: Open123TestMode.Relay);

        var error = await AssertKindAsync(StorageErrorKind.AuthExpired, () => d.Driver.NamesAsync("/"));

        Assert.Contains("invalid expires_in", error.Message, StringComparison.Ordinal);
        Assert.Null((await d.Store.LoadAsync(CancellationToken.None))!.AccessToken);
        Assert.Empty(d.Http.To(ListPath));
    }

    [Fact]
    public async Task Relay_RefusedRenewal_ReportsTheError_ThenTriesAgainAfterTheBackoff()
    {
        // OpenList's blockRefresh fails every later call until the storage is reloaded (§3.3); here the mount comes up,
        // answers with the error, does not hammer the relay, and tries again once TokenSourceOptions.RetryRejectedAfter passed.
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        _cloud.Fake.Faults.FailNext(RelayPath, 1, 500);
        await using var d = await _cloud.CreateDriverAsync(mode: Open123TestMode.Relay, time: clock);

        var error = await AssertKindAsync(StorageErrorKind.AuthExpired, () => d.Driver.NamesAsync("/"));
        Assert.Contains("get a new refresh token from the online API page", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(d.RelayTokens!.RefreshToken, error.Message, StringComparison.Ordinal);
        await AssertKindAsync(StorageErrorKind.AuthExpired, () => d.Driver.NamesAsync("/"));
        Assert.Single(d.Http.To(RelayPath)); // the refusal at start-up (InitializeAsync), answered from memory since

        clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        Assert.Empty(await d.Driver.NamesAsync("/"));

        Assert.Equal(2, d.Http.To(RelayPath).Count);
        Assert.Equal(1, _cloud.Open123.RelayRefreshCount);
    }

    [Fact]
    public async Task Pasted_TheTokenIsUsedAsIs_AndARefusalAsksForANewOne()
    {
        // §3.3: "Otherwise it is passive: the stored AccessToken is used ... On a 401 the refresh fails".
        await using var d = await _cloud.CreateDriverAsync(mode: Open123TestMode.Pasted);
        Assert.Empty(await d.Driver.NamesAsync("/"));
        Assert.Empty(d.Http.To(TokenPath));
        Assert.Empty(d.Http.To(RelayPath));

        _cloud.Open123.ExpireAccessTokensNow();
        var error = await AssertKindAsync(StorageErrorKind.AuthExpired, () => d.Driver.NamesAsync("/"));

        Assert.Contains("paste a new token", error.Message, StringComparison.Ordinal);
        Assert.Empty(d.Http.To(TokenPath));
    }

    [Fact]
    public async Task Initialize_WhenNoTokenCanBeHad_LeavesTheMountUp()
    {
        var account = _cloud.Open123.CreateAccount();
        await using var d = await _cloud.CreateDriverAsync(account, addition: new Dictionary<string, object?> { ["ClientSecret"] = "wrong" }, initialize: false);

        await d.Driver.InitializeAsync(CancellationToken.None);

        await AssertKindAsync(StorageErrorKind.AuthExpired, () => d.Driver.NamesAsync("/"));
    }

    [Fact]
    public async Task EveryApiCall_SendsPlatformAndTheBearerToken()
    {
        // §3.1: "Every API call sends authorization: Bearer <token>, platform: open_platform and Content-Type: application/json (also on GET)".
        await using var d = await _cloud.CreateDriverAsync();
        await d.Driver.PutBytesAsync("/a.bin", Bytes(10));
        await d.Driver.NamesAsync("/");
        await d.Driver.GetQuotaAsync(CancellationToken.None);

        var api = d.Http.Requests.Where(r => r.Path != TokenPath).ToList();
        Assert.Contains(api, r => r.Method == "GET");
        Assert.Contains(api, r => r.Path.EndsWith("/upload/v2/file/slice", StringComparison.Ordinal));
        Assert.All(api, r =>
        {
            Assert.Equal("open_platform", r.Platform);
            Assert.StartsWith("Bearer ", r.Authorization, StringComparison.Ordinal);
            Assert.Equal(r.Path.EndsWith("/slice", StringComparison.Ordinal) ? "multipart/form-data" : "application/json", r.ContentType);
        });
    }

    [Fact]
    public async Task Secrets_NeverReachTheLog()
    {
        // online-api-relay.md §5: "Never log the request URL, because it contains the refresh token"; the client
        // secret and the direct-link key are as secret.
        var logs = new ListLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        var account = _cloud.Open123.CreateAccount();
        account.AddFile("/f.bin", Bytes(100));
        account.DirectLinkPrivateKey = "PRIVATE-KEY-123";
        var directLinks = new Dictionary<string, object?> { ["DirectLink"] = true, ["DirectLinkPrivateKey"] = "PRIVATE-KEY-123" };

        _cloud.Fake.Faults.FailNext(RelayPath, 1, 500);
        await using (var relay = await _cloud.CreateDriverAsync(account, Open123TestMode.Relay, addition: directLinks, loggers: loggers))
        {
            await AssertKindAsync(StorageErrorKind.AuthExpired, () => relay.Driver.NamesAsync("/"));
        }

        await using (var developer = await _cloud.CreateDriverAsync(account, addition: directLinks, loggers: loggers))
        {
            _cloud.Open123.ExpireAccessTokensNow();
            Assert.Equal(Bytes(100), await developer.Driver.ReadAllAsync("/f.bin"));
            _cloud.Open123.ExpireLinksNow();
            await developer.Driver.PutBytesAsync("/g.bin", Bytes(70_000, seed: 9));
        }

        Assert.NotEmpty(logs.Lines);
        var secrets = _cloud.Open123.AllIssuedTokens.Append(Open123TestCloud.ClientSecret).Append("PRIVATE-KEY-123").ToList();
        Assert.All(logs.Lines, line => Assert.DoesNotContain(secrets, s => line.Contains(s, StringComparison.Ordinal)));
    }

    /// <summary>Every formatted log line (with its exception's message), for the secret checks.</summary>
    private sealed class ListLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new ListLogger(Lines);

        public void Dispose()
        {
        }

        private sealed class ListLogger(ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue(formatter(state, exception) + " " + exception);
        }
    }
}
