using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OpenList.DriverHost.CloudFakes;
using OpenList.DriverHost.Drivers.Open115;
using OpenList.DriverHost.Drivers.Tokens;

namespace OpenList.DriverHost.Drivers.Tests.Open115;

/// <summary>
/// The cloud fakes started once for a test class, with the 115 Open fake's server-side limits off. Each driver gets
/// an account of its own, so tests never share files or authorizations.
/// </summary>
public sealed class Open115TestCloud : IAsyncLifetime
{
    private FakeCloud? _fake;

    public FakeCloud Fake => _fake ?? throw new InvalidOperationException("the fake starts in InitializeAsync");

    public async Task InitializeAsync() => _fake = await FakeCloud.StartAsync(new FakeCloudOptions { EnforceRateLimits = false });

    public async Task DisposeAsync()
    {
        if (_fake is not null)
        {
            await _fake.DisposeAsync();
        }
    }

    /// <summary>A driver for a new account (or <paramref name="account"/>), initialised, with <c>limit_rate</c> off unless <paramref name="extraAddition"/> says otherwise.</summary>
    public async Task<Open115Driver> CreateDriverAsync(
        Open115Account? account = null,
        string extraAddition = "",
        Open115Tokens? tokens = null,
        ITokenStore? store = null,
        string? tempDirectory = null,
        ILoggerFactory? loggerFactory = null,
        bool initialize = true)
    {
        account ??= Fake.Open115.CreateAccount();
        tokens ??= Fake.Open115.IssueTokens(account);
        var baseUrl = Fake.BaseUrl.AbsoluteUri.TrimEnd('/');
        var addition = $$"""
            {"root_folder_id":"0","access_token":"{{tokens.AccessToken}}","refresh_token":"{{tokens.RefreshToken}}","limit_rate":0,
             "api_base_url":"{{baseUrl}}","auth_base_url":"{{baseUrl}}"{{extraAddition}}}
            """;
        var context = new DriverContext("/115", Path.GetTempPath(), loggerFactory ?? NullLoggerFactory.Instance, TimeProvider.System)
        {
            Tokens = store ?? new InMemoryTokenStore(),
            TempDirectory = tempDirectory ?? Path.GetTempPath(),
        };
        var driver = (Open115Driver)new Open115DriverFactory().Create(JsonDocument.Parse(addition).RootElement.Clone(), context);
        if (initialize)
        {
            await driver.InitializeAsync(CancellationToken.None);
        }

        return driver;
    }
}
