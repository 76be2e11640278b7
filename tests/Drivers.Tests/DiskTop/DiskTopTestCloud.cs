using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OpenList.DriverHost.CloudFakes;
using OpenList.DriverHost.Drivers.DiskTop;
using OpenList.DriverHost.Drivers.Tokens;

namespace OpenList.DriverHost.Drivers.Tests.DiskTop;

/// <summary>
/// The cloud fakes started once for a test class. Each driver gets an account and an app of its own, so tests never
/// share files or authorizations; paths in the account (<see cref="DiskTopAccount.AddFile"/>) are absolute disk paths,
/// the driver's root is the app's sandbox (<see cref="SandboxOf"/>).
/// </summary>
public class DiskTopTestCloud : IAsyncLifetime
{
    private FakeCloud? _fake;
    private int _apps;

    public FakeCloud Fake => _fake ?? throw new InvalidOperationException("the fake starts in InitializeAsync");

    public DiskTopFake DiskTop => Fake.DiskTop;

    public async Task InitializeAsync()
    {
        _fake = await FakeCloud.StartAsync(new FakeCloudOptions { EnforceRateLimits = false });
        Configure(_fake.DiskTop);
    }

    public async Task DisposeAsync()
    {
        if (_fake is not null)
        {
            await _fake.DisposeAsync();
        }
    }

    /// <summary>Turns the fake's knobs once it runs.</summary>
    protected virtual void Configure(DiskTopFake fake)
    {
    }

    /// <summary>A new app (client id and secret) and a new account with tokens for it.</summary>
    public DiskTopTestAccount CreateAccount(string scope = DiskTopScopes.Default)
    {
        var n = Interlocked.Increment(ref _apps);
        var clientId = $"app-{n}-{Guid.NewGuid():N}"[..20];
        var secret = "secret-" + Guid.NewGuid().ToString("N");
        DiskTop.RegisterClient(clientId, secret, allowedScopes: DiskTopScopes.All);
        var account = DiskTop.CreateAccount();
        var tokens = DiskTop.IssueTokens(account, clientId, scope);
        return new DiskTopTestAccount(account, clientId, secret, tokens, DiskTop.SandboxPath(clientId));
    }

    /// <summary>The addition for <paramref name="account"/>, pointed at the fake.</summary>
    public string Addition(DiskTopTestAccount account, string extraAddition = "", DiskTopTokens? tokens = null)
    {
        tokens ??= account.Tokens;
        var baseUrl = Fake.BaseUrl.AbsoluteUri.TrimEnd('/');
        return $$"""
            {"root_folder_path":"/","client_id":"{{account.ClientId}}","client_secret":"{{account.ClientSecret}}",
             "access_token":"{{tokens.AccessToken}}","refresh_token":"{{tokens.RefreshToken}}",
             "api_base_url":"{{baseUrl}}"{{extraAddition}}}
            """;
    }

    /// <summary>A driver for a new account (or <paramref name="account"/>), initialised.</summary>
    public async Task<DiskTopDriver> CreateDriverAsync(
        DiskTopTestAccount? account = null,
        string extraAddition = "",
        DiskTopTokens? tokens = null,
        ITokenStore? store = null,
        string? tempDirectory = null,
        ILoggerFactory? loggerFactory = null,
        bool initialize = true,
        Func<DiskTopDriver, DiskTopDriver>? configure = null)
    {
        account ??= CreateAccount();
        var context = new DriverContext("/disktop", Path.GetTempPath(), loggerFactory ?? NullLoggerFactory.Instance, TimeProvider.System)
        {
            Tokens = store ?? new InMemoryTokenStore(),
            TempDirectory = tempDirectory ?? Path.GetTempPath(),
        };
        var driver = (DiskTopDriver)new DiskTopDriverFactory().Create(JsonDocument.Parse(Addition(account, extraAddition, tokens)).RootElement.Clone(), context);
        if (configure is not null)
        {
            driver = configure(driver);
        }

        if (initialize)
        {
            await driver.InitializeAsync(CancellationToken.None);
        }

        return driver;
    }
}

/// <summary>An account of the fake with its own app.</summary>
public sealed record DiskTopTestAccount(DiskTopAccount Account, string ClientId, string ClientSecret, DiskTopTokens Tokens, string Sandbox)
{
    /// <summary>The absolute disk path of a storage path under the sandbox root.</summary>
    public string InSandbox(string storagePath) => Sandbox + (storagePath == "/" ? "" : storagePath);
}

/// <summary>
/// The fake answering the other ways the docs allow (cloud-apis.md §4.6): API errors as HTTP 200 with the errno,
/// success envelopes without <c>errmsg</c>, and a name taken at upload renamed by the server rather than refused.
/// </summary>
public sealed class DiskTopLenientTestCloud : DiskTopTestCloud
{
    protected override void Configure(DiskTopFake fake)
    {
        fake.ErrorsAsHttp200 = true;
        fake.OmitSuccessErrmsg = true;
        fake.NameConflict = DiskTopNameConflict.AutoRename;
    }
}
