using System.Text.Json;
using Microsoft.Extensions.Logging;
using OpenList.DriverHost.CloudFakes;
using OpenList.DriverHost.DriverHost.Tests.Functional;

namespace OpenList.DriverHost.DriverHost.Tests.Relay;

/// <summary>
/// A real host whose <c>relay</c> section serves alicloud, 115cloud, 123cloud and disktop against the cloud fake, with
/// the secrets in environment variables (unique per instance) and, for 123, in a file. Extra mounts and limits per test.
/// </summary>
public sealed class RelayHost : IAsyncDisposable
{
    public const string DiskTopClientId = "relay-disktop-app";
    public const string DiskTopSecret = "relay-disktop-secret-value-123";
    public const string Open115AppId = "100195123";
    public const string Open115Secret = "relay-115-secret-value-456";

    private readonly string[] _variables;

    private RelayHost(FakeCloud fake, HostFixture host, string[] variables)
    {
        Fake = fake;
        Host = host;
        _variables = variables;
    }

    public FakeCloud Fake { get; }

    public HostFixture Host { get; }

    public Uri RenewUrl(string prefix) => new(Host.BaseAddress, $"relay/{prefix}/renewapi");

    /// <param name="relayExtra">More keys of the relay section (<c>"allowed_origins": [...]</c>).</param>
    /// <param name="rateLimits">The relay-wide rate_limits object.</param>
    /// <param name="serverExtra">More keys of the server section (<c>"trusted_proxies": [...]</c>).</param>
    public static async Task<RelayHost> StartAsync(
        FakeCloud fake,
        string rateLimits = """{ "per_ip_per_minute": 0, "per_token_per_minute": 0 }""",
        string relayExtra = "",
        bool enabled = true,
        ILoggerFactory? loggerFactory = null,
        string extraStorages = "",
        string serverExtra = "")
    {
        fake.DiskTop.RegisterClient(DiskTopClientId, DiskTopSecret);
        fake.Open115.RegisterClient(Open115AppId, Open115Secret);
        var suffix = Guid.NewGuid().ToString("N")[..12].ToUpperInvariant();
        var aliyunVariable = "RELAY_TEST_ALICLOUD_" + suffix;
        var diskTopVariable = "RELAY_TEST_DISKTOP_" + suffix;
        var open115Variable = "RELAY_TEST_115_" + suffix;
        Environment.SetEnvironmentVariable(open115Variable, Open115Secret);
        var open123File = Path.Combine(Directory.CreateTempSubdirectory("dh-relay-secret-").FullName, "123.secret");
        await File.WriteAllTextAsync(open123File, fake.Open123.RelayClientSecret + "\n");
        Environment.SetEnvironmentVariable(aliyunVariable, fake.Aliyun.RelayClientSecret);
        Environment.SetEnvironmentVariable(diskTopVariable, DiskTopSecret);
        var baseUrl = JsonSerializer.Serialize(fake.BaseUrl.AbsoluteUri.TrimEnd('/'));
        var root = Directory.CreateTempSubdirectory("dh-relay-").FullName;
        Directory.CreateDirectory(Path.Combine(root, "data"));
        var json = $$"""
            {
              "server": { "listen": "http://127.0.0.1:0", "state": "sqlite:state.db" {{(serverExtra.Length > 0 ? ", " + serverExtra : "")}} },
              "users": [],
              "storages": [ { "mount_path": "/local", "driver": "Local", "addition": { "root_folder_path": {{JsonSerializer.Serialize(Path.Combine(root, "data"))}} } } {{extraStorages}} ],
              "relay": {
                "enabled": {{(enabled ? "true" : "false")}},
                "public_url": "https://relay.example.com",
                "rate_limits": {{rateLimits}},
                {{(relayExtra.Length > 0 ? relayExtra + "," : "")}}
                "providers": {
                  "alicloud": { "client_id": {{JsonSerializer.Serialize(fake.Aliyun.RelayClientId)}}, "client_secret_env": "{{aliyunVariable}}", "api_base_url": {{baseUrl}} },
                  "115cloud": { "client_id": "{{Open115AppId}}", "client_secret_env": "{{open115Variable}}", "api_base_url": {{baseUrl}} },
                  "123cloud": { "client_id": {{JsonSerializer.Serialize(fake.Open123.RelayClientId)}}, "client_secret_file": {{JsonSerializer.Serialize(open123File)}}, "api_base_url": {{baseUrl}}, "authorize_url": {{baseUrl}} },
                  "disktop": { "client_id": "{{DiskTopClientId}}", "client_secret_env": "{{diskTopVariable}}", "api_base_url": {{baseUrl}} }
                }
              }
            }
            """;
        var host = await HostFixture.StartFromConfigAsync(root, json, loggerFactory);
        return new RelayHost(fake, host, [aliyunVariable, diskTopVariable, open115Variable]);
    }

    /// <summary>A client with no credentials: the relay needs none.</summary>
    public HttpClient Client() => Host.Client(user: null);

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        foreach (var variable in _variables)
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }
}
