using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using OpenList.DriverHost.CloudFakes;
using OpenList.DriverHost.DriverHost.Tests.Functional;

namespace OpenList.DriverHost.DriverHost.Tests.Relay.Pages;

/// <summary>
/// The real host (DriverHostApp, drivers.json with a <c>relay</c> section) over the in-process cloud fakes: each
/// provider's relay app is registered in its fake (any redirect URI), one account authorizes, and the app secret
/// reaches the host through an environment variable named by <c>client_secret_env</c>.
/// </summary>
public sealed class RelayEndToEndHost : IAsyncDisposable
{
    private readonly List<string> _environment;

    private RelayEndToEndHost(FakeCloud fake, HostFixture host, List<string> environment)
    {
        Fake = fake;
        Host = host;
        _environment = environment;
    }

    public FakeCloud Fake { get; }

    public HostFixture Host { get; }

    public Uri BaseAddress => Host.BaseAddress;

    /// <summary>The provider's token endpoint on the fake, to count code exchanges.</summary>
    public static string TokenPath(string prefix) => prefix switch
    {
        "alicloud" => "/oauth/access_token",
        "115cloud" => "/open/authCodeToToken",
        "123cloud" => "/api/v1/oauth2/access_token",
        "disktop" => "/oauth/token",
        _ => throw new ArgumentOutOfRangeException(nameof(prefix)),
    };

    public static async Task<RelayEndToEndHost> StartAsync(FakeCloud fake, ILoggerFactory? loggerFactory = null, params string[] prefixes)
    {
        var environment = new List<string>();
        var providers = new Dictionary<string, object>();
        foreach (var prefix in prefixes)
        {
            var clientId = prefix == "115cloud" ? "1007" + RandomNumberGenerator.GetInt32(100_000, 999_999) : "relay-test-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
            var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            switch (prefix)
            {
                case "alicloud":
                    fake.Aliyun.RegisterClient(clientId, secret);
                    fake.Aliyun.CreateAccount();
                    break;
                case "115cloud":
                    fake.Open115.RegisterClient(clientId, secret);
                    fake.Open115.CreateAccount();
                    break;
                case "123cloud":
                    fake.Open123.RegisterOAuthClient(clientId, secret);
                    fake.Open123.CreateAccount();
                    break;
                case "disktop":
                    fake.DiskTop.RegisterClient(clientId, secret, allowedScopes: DiskTopScopes.All);
                    fake.DiskTop.CreateAccount();
                    break;
            }

            var variable = "DH_RELAY_TEST_SECRET_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(6));
            Environment.SetEnvironmentVariable(variable, secret);
            environment.Add(variable);
            providers[prefix] = new { client_id = clientId, client_secret_env = variable, api_base_url = fake.BaseUrl.AbsoluteUri.TrimEnd('/'), authorize_url = fake.BaseUrl.AbsoluteUri.TrimEnd('/') };
        }

        var port = FreePort();
        var root = Directory.CreateTempSubdirectory("dh-relay-").FullName;
        var data = Path.Combine(root, "data");
        Directory.CreateDirectory(data);
        var config = new
        {
            server = new { listen = $"http://127.0.0.1:{port}", dav_prefix = "/dav", state = "sqlite:state.db" },
            users = Array.Empty<object>(),
            storages = new object[] { new { mount_path = "/local", driver = "Local", addition = new { root_folder_path = data } } },
            relay = new { enabled = true, public_url = $"http://127.0.0.1:{port}", rate_limits = new { per_ip_per_minute = 0, per_token_per_minute = 0 }, providers },
        };
        var host = await HostFixture.StartFromConfigAsync(root, JsonSerializer.Serialize(config), loggerFactory);
        return new RelayEndToEndHost(fake, host, environment);
    }

    public RelayPagesHost.Browser NewBrowser() => new(BaseAddress);

    /// <summary>
    /// Follows a start through the fake's auto-approving consent page: returns the callback URL the provider sent
    /// the browser to (with its code and state), without calling it.
    /// </summary>
    public static async Task<Uri> ConsentAsync(Uri authorize)
    {
        using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
        using var consent = await client.GetAsync(authorize);
        Assert.True(consent.StatusCode == HttpStatusCode.Found, $"{authorize.AbsolutePath}: {(int)consent.StatusCode} {await consent.Content.ReadAsStringAsync()}");
        return consent.Headers.Location!;
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        foreach (var variable in _environment)
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
