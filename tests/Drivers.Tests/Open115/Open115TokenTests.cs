using Microsoft.Extensions.Logging;
using OpenList.DriverHost.Drivers.Errors;
using OpenList.DriverHost.Drivers.Tokens;

namespace OpenList.DriverHost.Drivers.Tests.Open115;

/// <summary>
/// Token renewal against the fake (cloud-apis.md §1.3): a burst of requests on an expired access token makes one
/// renewal; the rotated refresh token is what the store keeps; a revoked or displaced authorization ends in the
/// mount's AuthExpired error with the re-authorize message, and nothing loops.
/// </summary>
public sealed class Open115TokenTests(Open115TestCloud cloud) : IClassFixture<Open115TestCloud>
{
    [Fact]
    public async Task FiftyConcurrentRequestsOnAnExpiredAccessToken_MakeOneRefresh()
    {
        var account = cloud.Fake.Open115.CreateAccount();
        for (var i = 0; i < 10; i++)
        {
            account.AddFile($"/f{i}.txt", [(byte)i]);
        }

        var store = new InMemoryTokenStore();
        await using var driver = await cloud.CreateDriverAsync(account, store: store);
        var before = (await store.LoadAsync(CancellationToken.None))!;
        cloud.Fake.Open115.ExpireAccessTokensNow();
        cloud.Fake.Requests.Clear();

        var stats = Enumerable.Range(0, 50).Select(i => Task.Run(() => driver.StatAsync(StoragePath.Parse($"/f{i % 10}.txt"), CancellationToken.None)));
        var entries = await Task.WhenAll(stats);

        Assert.All(entries, e => Assert.Equal(1, e.Size));
        Assert.Equal(1, cloud.Fake.Requests.Count("/open/refreshToken"));
        Assert.Equal(1, driver.Tokens.RefreshCount);
        var after = (await store.LoadAsync(CancellationToken.None))!;
        Assert.NotEqual(before.RefreshToken, after.RefreshToken); // rotated and saved
        Assert.NotEqual(before.AccessToken, after.AccessToken);
    }

    [Fact]
    public async Task TheRotatedRefreshToken_IsTheOneUsedNextTime()
    {
        // 115 refresh tokens are single-use (the old one answers 40140116 once rotated): a second renewal only works
        // when the first one's new refresh token was kept.
        var account = cloud.Fake.Open115.CreateAccount();
        account.AddFile("/a.txt", [1]);
        await using var driver = await cloud.CreateDriverAsync(account);

        for (var round = 1; round <= 3; round++)
        {
            cloud.Fake.Open115.ExpireAccessTokensNow();
            Assert.Equal(1, (await driver.StatAsync(StoragePath.Parse("/a.txt"), CancellationToken.None)).Size);
            Assert.Equal(round, driver.Tokens.RefreshCount);
        }
    }

    [Fact]
    public async Task ARestartedDriver_ContinuesWithTheSavedRotatedToken_NotTheStaleConfiguredOne()
    {
        var account = cloud.Fake.Open115.CreateAccount();
        account.AddFile("/a.txt", [1]);
        var tokens = cloud.Fake.Open115.IssueTokens(account);
        var store = new InMemoryTokenStore();
        await using (var first = await cloud.CreateDriverAsync(account, tokens: tokens, store: store))
        {
            cloud.Fake.Open115.ExpireAccessTokensNow();
            await first.StatAsync(StoragePath.Parse("/a.txt"), CancellationToken.None);
        }

        cloud.Fake.Open115.ExpireAccessTokensNow();
        await using var second = await cloud.CreateDriverAsync(account, tokens: tokens, store: store);
        Assert.Equal(1, (await second.StatAsync(StoragePath.Parse("/a.txt"), CancellationToken.None)).Size);
    }

    [Fact]
    public async Task ARevokedAuthorization_IsAuthExpiredWithTheReauthorizeMessage_AndNoLoop()
    {
        var account = cloud.Fake.Open115.CreateAccount();
        account.AddFile("/a.txt", [1]);
        var tokens = cloud.Fake.Open115.IssueTokens(account);
        await using var driver = await cloud.CreateDriverAsync(account, tokens: tokens);
        cloud.Fake.Open115.RevokeRefreshToken(tokens.RefreshToken);
        cloud.Fake.Requests.Clear();

        for (var i = 0; i < 5; i++)
        {
            var e = await Assert.ThrowsAsync<StorageException>(() => driver.StatAsync(StoragePath.Parse("/a.txt"), CancellationToken.None));
            Assert.Equal(StorageErrorKind.AuthExpired, e.Kind);
            Assert.Contains("refresh token rejected by 115 (40140116", e.Message, StringComparison.Ordinal);
            Assert.Contains("re-authorize", e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(tokens.RefreshToken, e.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(tokens.AccessToken, e.ToString(), StringComparison.Ordinal);
        }

        Assert.Equal(1, cloud.Fake.Requests.Count("/open/refreshToken"));
        Assert.Equal(5, cloud.Fake.Requests.Count("/open/ufile/files"));
    }

    [Fact]
    public async Task AThirdAuthorizationOfTheSameApp_DisplacesTheFirst_WhichThenAsksToReauthorize()
    {
        // seeds/115-open.md §5: an account holds two refresh tokens per app; the third ends the first (40140116).
        var account = cloud.Fake.Open115.CreateAccount();
        account.AddFile("/a.txt", [1]);
        var first = cloud.Fake.Open115.IssueTokens(account);
        await using var driver = await cloud.CreateDriverAsync(account, tokens: first);
        cloud.Fake.Open115.IssueTokens(account);
        cloud.Fake.Open115.IssueTokens(account);

        var e = await Assert.ThrowsAsync<StorageException>(() => driver.StatAsync(StoragePath.Parse("/a.txt"), CancellationToken.None));

        Assert.Equal(StorageErrorKind.AuthExpired, e.Kind);
        Assert.Contains("40140116", e.Message, StringComparison.Ordinal);
        Assert.Contains("re-authorize", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logs_NeverHoldATokenThroughRenewalRotationAndRevocation()
    {
        var account = cloud.Fake.Open115.CreateAccount();
        account.AddFile("/a.txt", [1]);
        var tokens = cloud.Fake.Open115.IssueTokens(account);
        using var logs = new CapturingLoggerFactory();
        await using var driver = await cloud.CreateDriverAsync(account, tokens: tokens, loggerFactory: logs);
        cloud.Fake.Open115.ExpireAccessTokensNow();
        await driver.StatAsync(StoragePath.Parse("/a.txt"), CancellationToken.None);
        cloud.Fake.Open115.RevokeAllRefreshTokens();
        await Assert.ThrowsAsync<StorageException>(() => driver.StatAsync(StoragePath.Parse("/a.txt"), CancellationToken.None));

        var lines = logs.Lines;
        Assert.Contains(lines, l => l.Contains("renewing it and retrying once", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("rejected the refresh token", StringComparison.Ordinal));
        foreach (var token in cloud.Fake.Open115.AllIssuedTokens)
        {
            Assert.DoesNotContain(lines, l => l.Contains(token, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task AnEmptyAccessToken_IsRenewedBeforeTheFirstCall()
    {
        var account = cloud.Fake.Open115.CreateAccount();
        account.AddFile("/a.txt", [1, 2]);
        var tokens = cloud.Fake.Open115.IssueTokens(account);
        await using var driver = await cloud.CreateDriverAsync(account, tokens: tokens with { AccessToken = "" });

        Assert.Equal(2, (await driver.StatAsync(StoragePath.Parse("/a.txt"), CancellationToken.None)).Size);
        Assert.Equal(1, driver.Tokens.RefreshCount);
    }

    /// <summary>Every log line (message and exception text) of every logger it creates.</summary>
    private sealed class CapturingLoggerFactory : ILoggerFactory, ILogger
    {
        private readonly List<string> _lines = [];

        public List<string> Lines
        {
            get
            {
                lock (_lines)
                {
                    return [.. _lines];
                }
            }
        }

        public ILogger CreateLogger(string categoryName) => this;

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public void Dispose()
        {
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_lines)
            {
                _lines.Add(formatter(state, exception) + " " + exception);
            }
        }
    }
}
