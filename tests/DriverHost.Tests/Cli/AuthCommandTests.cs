using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using OpenList.DriverHost.Cli;
using OpenList.DriverHost.Drivers;
using OpenList.DriverHost.Drivers.DiskTop;
using OpenList.DriverHost.State;

namespace OpenList.DriverHost.DriverHost.Tests.CliTests;

/// <summary>
/// <c>driverhost auth &lt;mount&gt;</c> end to end against the Disk.Top fake: the device flow (the test approves the
/// code the command printed, as the user would on the verification page), the browser flow (the test follows the
/// printed authorize URL, and the fake redirects to the command's loopback listener), and the failures, each with its
/// exit code. Tokens land in the state store's mount_tokens row and are never printed.
/// </summary>
public sealed class AuthCommandTests(AuthFakeCloud cloud) : IClassFixture<AuthFakeCloud>
{
    private static readonly AuthEnvironment Environment = new() { OpenBrowser = null };

    [Fact]
    public async Task DeviceFlow_PrintsTheCodeAndAQrCode_SavesTheTokens_AndTheDriverUsesThem()
    {
        using var workspace = new AuthWorkspace(cloud.Fake);
        var console = new TestConsole();

        var running = Run(workspace, console, "/disktop");
        var codeLine = await console.WaitForLineAsync(l => l.StartsWith("2. enter", StringComparison.Ordinal), running);
        var userCode = codeLine["2. enter".Length..].Trim();
        Assert.Contains(userCode, cloud.Fake.DiskTop.PendingUserCodes);
        cloud.Fake.DiskTop.ApproveDevice(userCode, workspace.Account);

        Assert.Equal(AuthExitCodes.Ok, await running);
        Assert.Contains("/oauth/device", console.Out, StringComparison.Ordinal);
        Assert.Contains(TerminalQrCode.Render(cloud.Fake.BaseUrl + "oauth/device?user_code=" + Uri.EscapeDataString(userCode)), console.Out, StringComparison.Ordinal);
        Assert.Contains("Authorized as " + workspace.Account.Username, console.Out, StringComparison.Ordinal);
        Assert.Contains("\"disabled\": false", console.Out, StringComparison.Ordinal); // the next step for a disabled storage
        AssertNoTokenPrinted(console);

        await using var store = SqliteStateStore.Open(workspace.StatePath);
        var saved = await store.LoadTokensAsync("/disktop", CancellationToken.None);
        Assert.NotNull(saved);
        Assert.False(string.IsNullOrEmpty(saved.AccessToken));
        Assert.False(string.IsNullOrEmpty(saved.RefreshToken));
        Assert.NotNull(saved.ExpiresAt);
        Assert.Null(saved.ConfiguredRefreshToken); // drivers.json holds none

        // The driver of that mount reads the saved tokens (drivers.json still has none) and works.
        await using var driver = CreateDriver(workspace, store);
        await driver.InitializeAsync(CancellationToken.None);
        await driver.CreateDirectoryAsync(StoragePath.Parse("/from-auth"), CancellationToken.None);
        Assert.Contains("from-auth", (await ListAsync(driver)).Select(e => e.Name));
        Assert.True(workspace.Account.Exists(cloud.Fake.DiskTop.SandboxPath(workspace.ClientId) + "/from-auth"));
    }

    [Fact]
    public async Task BrowserFlow_RedirectsToTheLoopbackListener_ExchangesTheCodeWithItsVerifier_AndSavesTheTokens()
    {
        using var workspace = new AuthWorkspace(cloud.Fake);
        var console = new TestConsole();

        var running = Run(workspace, console, "/disktop", "--browser");
        var url = new Uri(await console.WaitForLineAsync(l => l.Contains("/oauth/authorize?", StringComparison.Ordinal), running));
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(url.Query);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.Equal(workspace.ClientId, query["client_id"]);
        Assert.StartsWith("http://127.0.0.1:", query["redirect_uri"].ToString(), StringComparison.Ordinal);
        Assert.EndsWith("/callback", query["redirect_uri"].ToString(), StringComparison.Ordinal);
        Assert.True(query["state"].ToString().Length >= 20);

        // The "browser": the fake approves at once and redirects to the loopback listener, which answers a page.
        using var browser = new HttpClient();
        var page = await browser.GetStringAsync(url);
        Assert.Contains("authorized the app", page, StringComparison.Ordinal);

        Assert.Equal(AuthExitCodes.Ok, await running);
        AssertNoTokenPrinted(console);
        await using var store = SqliteStateStore.Open(workspace.StatePath);
        await using var driver = CreateDriver(workspace, store);
        await driver.InitializeAsync(CancellationToken.None);
        Assert.Empty(await ListAsync(driver));
    }

    [Fact]
    public async Task BrowserFlow_ARedirectWithAnotherState_IsRefused_AndNothingIsSaved()
    {
        using var workspace = new AuthWorkspace(cloud.Fake);
        var console = new TestConsole();

        var running = Run(workspace, console, "/disktop", "--browser");
        var url = new Uri(await console.WaitForLineAsync(l => l.Contains("/oauth/authorize?", StringComparison.Ordinal), running));
        using var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var approved = await noRedirects.GetAsync(url);
        var callback = approved.Headers.Location!.AbsoluteUri;
        var state = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(approved.Headers.Location.Query)["state"].ToString();
        using var forged = await noRedirects.GetAsync(callback.Replace(Uri.EscapeDataString(state), "forged-state", StringComparison.Ordinal));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, forged.StatusCode);

        Assert.Equal(AuthExitCodes.Failed, await running);
        Assert.Contains("state", console.Error, StringComparison.Ordinal);
        await using var store = SqliteStateStore.Open(workspace.StatePath);
        Assert.Null(await store.LoadTokensAsync("/disktop", CancellationToken.None));
    }

    [Fact]
    public async Task BrowserFlow_Denied_ExitsWithTheDeniedCode()
    {
        using var workspace = new AuthWorkspace(cloud.Fake);
        var console = new TestConsole();
        cloud.Fake.DiskTop.AutoApproveAuthorization = false;
        try
        {
            var running = Run(workspace, console, "/disktop", "--browser");
            var url = new Uri(await console.WaitForLineAsync(l => l.Contains("/oauth/authorize?", StringComparison.Ordinal), running));
            using var browser = new HttpClient();
            using var page = await browser.GetAsync(url);

            Assert.Equal(AuthExitCodes.Denied, await running);
            Assert.Contains("denied", console.Error, StringComparison.Ordinal);
        }
        finally
        {
            cloud.Fake.DiskTop.AutoApproveAuthorization = true;
        }
    }

    [Fact]
    public async Task DeviceFlow_Denied_ExitsWithTheDeniedCode_AndSavesNothing()
    {
        using var workspace = new AuthWorkspace(cloud.Fake);
        var console = new TestConsole();

        var running = Run(workspace, console, "disktop"); // a mount path without its slash is accepted
        var codeLine = await console.WaitForLineAsync(l => l.StartsWith("2. enter", StringComparison.Ordinal), running);
        cloud.Fake.DiskTop.DenyDevice(codeLine["2. enter".Length..].Trim());

        Assert.Equal(AuthExitCodes.Denied, await running);
        Assert.Contains("denied", console.Error, StringComparison.Ordinal);
        await using var store = SqliteStateStore.Open(workspace.StatePath);
        Assert.Null(await store.LoadTokensAsync("/disktop", CancellationToken.None));
    }

    [Fact]
    public async Task DeviceFlow_Expired_ExitsWithTheExpiredCode()
    {
        using var workspace = new AuthWorkspace(cloud.Fake);
        var console = new TestConsole();
        var lifetime = cloud.Fake.DiskTop.DeviceCodeLifetime;
        cloud.Fake.DiskTop.DeviceCodeLifetime = TimeSpan.FromSeconds(2);
        try
        {
            Assert.Equal(AuthExitCodes.Expired, await Run(workspace, console, "/disktop"));
        }
        finally
        {
            cloud.Fake.DiskTop.DeviceCodeLifetime = lifetime;
        }

        Assert.Contains("expired", console.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownMount_ExitsWithItsCode_AndNamesTheMounts()
    {
        using var workspace = new AuthWorkspace(cloud.Fake);
        var console = new TestConsole();

        Assert.Equal(AuthExitCodes.UnknownMount, await Run(workspace, console, "/nothing"));
        Assert.Contains("no storage is mounted at /nothing", console.Error, StringComparison.Ordinal);
        Assert.Contains("/disktop, /115", console.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADriverWithoutInteractiveAuthorization_ExitsWithItsCode()
    {
        using var workspace = new AuthWorkspace(cloud.Fake);
        var console = new TestConsole();

        Assert.Equal(AuthExitCodes.NotSupported, await Run(workspace, console, "/115"));
        Assert.Contains("\"115 Open\" driver, which has no interactive authorization", console.Error, StringComparison.Ordinal);
        Assert.Contains("\"DiskTop\"", console.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(workspace.StatePath)); // nothing was opened, nothing asked
    }

    [Fact]
    public async Task AMissingClientId_IsAConfigurationError_NamingTheKey()
    {
        using var workspace = new AuthWorkspace(cloud.Fake);
        File.WriteAllText(workspace.ConfigPath, File.ReadAllText(workspace.ConfigPath).Replace($"\"client_id\": \"{workspace.ClientId}\"", "\"client_id\": \"\"", StringComparison.Ordinal));
        var console = new TestConsole();

        Assert.Equal(AuthExitCodes.ConfigError, await Run(workspace, console, "/disktop"));
        Assert.Contains("storages[0].addition.client_id", console.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(workspace.ClientSecret, console.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWrongClientSecret_IsRefusedWithoutEchoingIt()
    {
        using var workspace = new AuthWorkspace(cloud.Fake);
        File.WriteAllText(workspace.ConfigPath, File.ReadAllText(workspace.ConfigPath).Replace(workspace.ClientSecret, "wrong-secret-value", StringComparison.Ordinal));
        var console = new TestConsole();

        var running = Run(workspace, console, "/disktop", "--browser");
        var url = new Uri(await console.WaitForLineAsync(l => l.Contains("/oauth/authorize?", StringComparison.Ordinal), running));
        using var browser = new HttpClient();
        await browser.GetStringAsync(url);

        Assert.Equal(AuthExitCodes.Failed, await running);
        Assert.Contains("client_id and client_secret", console.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-secret-value", console.Out + console.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheCommandIsReachableFromTheRoot()
    {
        using var workspace = new AuthWorkspace(cloud.Fake);
        var console = new TestConsole();
        var root = CliRoot.Build(serve: (_, _) => Task.FromResult(0), console: console.Console, currentDirectory: workspace.Directory, auth: Environment);

        Assert.Equal(AuthExitCodes.UnknownMount, await root.Parse(["auth", "/missing"]).InvokeAsync());
        Assert.Contains("no storage is mounted at /missing", console.Error, StringComparison.Ordinal);
    }

    private static Task<int> Run(AuthWorkspace workspace, TestConsole console, string mount, params string[] options)
    {
        var root = CliRoot.Build(serve: (_, _) => Task.FromResult(0), console: console.Console, currentDirectory: workspace.Directory, auth: Environment with { Timeout = TimeSpan.FromSeconds(30) });
        return Task.Run(() => root.Parse(["auth", mount, .. options]).InvokeAsync());
    }

    private void AssertNoTokenPrinted(TestConsole console)
    {
        var printed = console.Out + console.Error;
        Assert.All(cloud.Fake.DiskTop.AllIssuedTokens, token => Assert.DoesNotContain(token, printed, StringComparison.Ordinal));
    }

    private static DiskTopDriver CreateDriver(AuthWorkspace workspace, IStateStore store)
    {
        using var config = JsonDocument.Parse(File.ReadAllText(workspace.ConfigPath));
        var addition = config.RootElement.GetProperty("storages")[0].GetProperty("addition").Clone();
        var context = new DriverContext("/disktop", workspace.Directory, NullLoggerFactory.Instance, TimeProvider.System)
        {
            Tokens = new MountTokenStore(store, "/disktop"),
        };
        return (DiskTopDriver)new DiskTopDriverFactory().Create(addition, context);
    }

    private static async Task<List<StorageEntry>> ListAsync(DiskTopDriver driver)
    {
        var list = new List<StorageEntry>();
        await foreach (var entry in driver.ListAsync(StoragePath.Root, CancellationToken.None))
        {
            list.Add(entry);
        }

        return list;
    }
}
