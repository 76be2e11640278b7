using OpenList.DriverHost.Drivers.Errors;
using OpenList.DriverHost.Drivers.Tokens;

namespace OpenList.DriverHost.Drivers.Tests.DiskTop;

/// <summary>
/// Token renewal against the fake (cloud-apis.md §4.3): any 401 renews once and retries once; a burst of requests on
/// an expired access token makes one renewal; the rotated refresh token is saved before the new access token is used
/// and is the one used next time; a refused refresh token ends in AuthExpired naming <c>driverhost auth</c>.
/// </summary>
public sealed class DiskTopTokenTests(DiskTopTestCloud cloud) : IClassFixture<DiskTopTestCloud>
{
    [Fact]
    public async Task FiftyConcurrentRequestsOnAnExpiredAccessToken_MakeOneRefresh()
    {
        var account = cloud.CreateAccount();
        for (var i = 0; i < 10; i++)
        {
            account.Account.AddFile(account.InSandbox($"/f{i}.txt"), [(byte)i]);
        }

        var store = new InMemoryTokenStore();
        await using var driver = await cloud.CreateDriverAsync(account, store: store);
        var before = (await store.LoadAsync(CancellationToken.None))!;
        var refreshesBefore = cloud.DiskTop.RefreshCount;
        cloud.DiskTop.ExpireAccessTokensNow();
        cloud.Fake.Requests.Clear();

        var stats = Enumerable.Range(0, 50).Select(i => Task.Run(() => driver.StatAsync(StoragePath.Parse($"/f{i % 10}.txt"), CancellationToken.None)));
        var entries = await Task.WhenAll(stats);

        Assert.All(entries, e => Assert.Equal(1, e.Size));
        Assert.Equal(1, cloud.Fake.Requests.Count("/oauth/token"));
        Assert.Equal(refreshesBefore + 1, cloud.DiskTop.RefreshCount);
        Assert.Equal(1, driver.Tokens.RefreshCount);
        var after = (await store.LoadAsync(CancellationToken.None))!;
        Assert.NotEqual(before.RefreshToken, after.RefreshToken); // rotated and saved
        Assert.NotEqual(before.AccessToken, after.AccessToken);
    }

    [Fact]
    public async Task TheRotatedRefreshToken_IsTheOneUsedNextTime()
    {
        // Disk.Top refresh tokens rotate on every use: a second renewal only works when the first one's new token was kept.
        var account = cloud.CreateAccount();
        account.Account.AddFile(account.InSandbox("/a.txt"), [1]);
        await using var driver = await cloud.CreateDriverAsync(account);

        for (var round = 1; round <= 3; round++)
        {
            cloud.DiskTop.ExpireAccessTokensNow();
            Assert.Equal(1, (await driver.StatAsync(StoragePath.Parse("/a.txt"), CancellationToken.None)).Size);
            Assert.Equal(round, driver.Tokens.RefreshCount);
        }
    }

    [Fact]
    public async Task ARestartedDriver_ContinuesWithTheSavedRotatedToken_NotTheStaleConfiguredOne()
    {
        var account = cloud.CreateAccount();
        account.Account.AddFile(account.InSandbox("/a.txt"), [1]);
        var store = new InMemoryTokenStore();
        await using (var first = await cloud.CreateDriverAsync(account, store: store))
        {
            cloud.DiskTop.ExpireAccessTokensNow();
            await first.StatAsync(StoragePath.Parse("/a.txt"), CancellationToken.None);
        }

        cloud.DiskTop.ExpireAccessTokensNow();
        await using var second = await cloud.CreateDriverAsync(account, store: store); // drivers.json still holds the first tokens
        Assert.Equal(1, (await second.StatAsync(StoragePath.Parse("/a.txt"), CancellationToken.None)).Size);
    }

    [Fact]
    public async Task ARevokedAuthorization_IsAuthExpired_NamingDriverhostAuth_AndNoLoop()
    {
        var account = cloud.CreateAccount();
        account.Account.AddFile(account.InSandbox("/a.txt"), [1]);
        await using var driver = await cloud.CreateDriverAsync(account);
        cloud.DiskTop.RevokeApp(account.Account, account.ClientId);
        cloud.Fake.Requests.Clear();

        var error = await Assert.ThrowsAsync<StorageException>(() => driver.StatAsync(StoragePath.Parse("/a.txt"), CancellationToken.None));

        Assert.Equal(StorageErrorKind.AuthExpired, error.Kind);
        Assert.Contains("driverhost auth /disktop", error.Message, StringComparison.Ordinal);
        Assert.Contains("invalid_grant", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, cloud.Fake.Requests.Count("/oauth/token"));
        Assert.DoesNotContain(account.Tokens.RefreshToken, error.ToString(), StringComparison.Ordinal);

        // Within a minute the refusal is answered from memory: no second refresh call.
        await Assert.ThrowsAsync<StorageException>(() => driver.StatAsync(StoragePath.Parse("/a.txt"), CancellationToken.None));
        Assert.Equal(1, cloud.Fake.Requests.Count("/oauth/token"));
    }

    [Fact]
    public async Task NoTokensAnywhere_FailsInitialisation_WithTheAuthCommandToRun()
    {
        var account = cloud.CreateAccount();
        var driver = await cloud.CreateDriverAsync(account, tokens: new CloudFakes.DiskTopTokens("", "", 0, ""), initialize: false);
        await using (driver)
        {
            var error = await Assert.ThrowsAsync<StorageException>(() => driver.InitializeAsync(CancellationToken.None));
            Assert.Equal(StorageErrorKind.AuthExpired, error.Kind);
            Assert.Contains("driverhost auth /disktop", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AnAccessTokenAboutToExpire_IsRenewedBeforeTheCall()
    {
        var account = cloud.CreateAccount();
        account.Account.AddFile(account.InSandbox("/a.txt"), [1]);
        var store = new InMemoryTokenStore();
        await store.SaveAsync(new StoredTokens(account.Tokens.AccessToken, account.Tokens.RefreshToken, TimeProvider.System.GetUtcNow().AddMinutes(1), account.Tokens.AccessToken, account.Tokens.RefreshToken), CancellationToken.None);
        await using var driver = await cloud.CreateDriverAsync(account, store: store, initialize: false);
        cloud.Fake.Requests.Clear();

        await driver.StatAsync(StoragePath.Parse("/a.txt"), CancellationToken.None);

        Assert.Equal(1, driver.Tokens.RefreshCount);
        Assert.Equal(0, cloud.Fake.Requests.Count("*") - cloud.Fake.Requests.Count("/oauth/token") - cloud.Fake.Requests.Count("/v1/files")); // no 401 round trip
        Assert.Equal(1, cloud.Fake.Requests.Count("/v1/files"));
    }
}
