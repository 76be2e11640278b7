using OpenList.DriverHost.Config;
using OpenList.DriverHost.Hosting;

namespace OpenList.DriverHost.DriverHost.Tests.Relay;

/// <summary>Issue 9: the <c>relay</c> section of drivers.json, each mistake an error at its JSON path; no secret in any message.</summary>
public sealed class RelayConfigTests
{
    private const string LiteralSecret = "literal-secret-value-9f2";

    public static TheoryData<string, string, string> Errors => new()
    {
        { $$"""{ "relay": { "providers": { "alicloud": { "client_id": "a", "client_secret": "{{LiteralSecret}}" } } } }""", "relay.providers.alicloud.client_secret", "client_secret_env" },
        { """{ "relay": { "enabled": true, "providers": { "alicloud": { "client_id": "a", "client_secret_env": "RELAY_TEST_SURELY_UNSET_4711" } } } }""", "relay.providers.alicloud.client_secret_env", "RELAY_TEST_SURELY_UNSET_4711" },
        { """{ "relay": { "enabled": true, "providers": { "123cloud": { "client_id": "a" } } } }""", "relay.providers.123cloud.client_secret_env", "needs the app secret" },
        { """{ "relay": { "enabled": true, "providers": { "115cloud": { "client_id": "a", "client_secret_file": "no/such/secret.txt" } } } }""", "relay.providers.115cloud.client_secret_file", "not found" },
        { """{ "relay": { "providers": { "onedrive": { "client_id": "a" } } } }""", "relay.providers.onedrive", "alicloud" },
        { """{ "relay": { "public_url": "relay.example.com" } }""", "relay.public_url", "absolute" },
        { """{ "relay": { "providers": { "115cloud": { "client_id": "a", "api_base_url": "ftp://x" } } } }""", "relay.providers.115cloud.api_base_url", "absolute" },
        { """{ "relay": { "allowed_origins": [ "https://a.example/path" ] } }""", "relay.allowed_origins[0]", "origin" },
        { """{ "relay": { "rate_limits": { "per_ip_per_minute": -1 } } }""", "relay.rate_limits.per_ip_per_minute", "negative" },
        { """{ "relay": { "enabled": true, "providers": { "disktop": { "client_id": "" } } } }""", "relay.providers.disktop.client_id", "required" },
        { """{ "relay": { "providers": { "115cloud": { "client_id": "a", "client_secret_env": "A", "client_secret_file": "b" } } } }""", "relay.providers.115cloud", "both" },
        { """{ "relay": "on" }""", "relay", "object" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void Each_mistake_is_an_error_at_its_path(string json, string path, string hint)
    {
        var result = Load(json);

        Assert.False(result.Succeeded);
        var issue = Assert.Single(result.Errors, e => e.Path == path);
        Assert.Contains(hint, issue.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(LiteralSecret, result.FormatErrors(), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var result = Load("""{ "relay": { "enabled": true, "public_url": "x", "providers": { "alicloud": { "client_id": "a", "client_secret": "s" }, "bogus": {} } } }""");

        Assert.True(result.Errors.Count >= 4, result.FormatErrors());
    }

    [Fact]
    public void Secrets_come_from_the_environment_or_a_file_and_never_print()
    {
        var variable = "RELAY_TEST_SECRET_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var envSecret = "env-secret-" + Guid.NewGuid().ToString("N");
        var fileSecret = "file-secret-" + Guid.NewGuid().ToString("N");
        var folder = Directory.CreateTempSubdirectory("dh-relay-config-").FullName;
        File.WriteAllText(Path.Combine(folder, "disktop.secret"), fileSecret + "\n");
        Environment.SetEnvironmentVariable(variable, envSecret);
        try
        {
            var result = new ConfigLoader(DriverRegistry.Default).LoadFromString(
                $$"""
                { "relay": { "enabled": true, "public_url": "https://relay.example.com/", "allowed_origins": ["HTTPS://OpenList.Example.org:443"],
                    "rate_limits": { "per_ip_per_minute": 30 },
                    "providers": {
                      "alicloud": { "client_id": "ali", "client_secret_env": "{{variable}}", "rate_limits": { "per_token_per_minute": 2 } },
                      "disktop": { "client_id": "dt", "client_secret_file": "disktop.secret" },
                      "115cloud": { "client_id": "115", "future_key": 1 } } } }
                """,
                folder);

            Assert.True(result.Succeeded, result.FormatErrors());
            var relay = result.Config!.Relay;
            Assert.True(relay.Enabled);
            Assert.Equal("https://relay.example.com", relay.PublicUrl);
            Assert.Equal(["https://openlist.example.org"], relay.AllowedOrigins);
            var alicloud = relay.Providers.Single(p => p.Prefix == "alicloud");
            Assert.Equal(envSecret, alicloud.Keys.ClientSecret);
            Assert.Equal(new Uri("https://openapi.alipan.com"), alicloud.Keys.ApiBaseUrl);
            Assert.Equal(new OpenList.DriverHost.Relay.RelayRateLimits(30, 2), alicloud.RateLimits);
            Assert.Equal(fileSecret, relay.Providers.Single(p => p.Prefix == "disktop").Keys.ClientSecret);
            Assert.Null(relay.Providers.Single(p => p.Prefix == "115cloud").Keys.ClientSecret);
            Assert.Contains(result.Warnings, w => w.Path == "relay.providers.115cloud.future_key");

            var printed = result.Config.ToString() + relay + string.Join("", relay.Providers);
            Assert.DoesNotContain(envSecret, printed, StringComparison.Ordinal);
            Assert.DoesNotContain(fileSecret, printed, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Off_by_default_and_a_disabled_relay_needs_no_secret()
    {
        Assert.False(Load("{}").Config!.Relay.Enabled);

        var result = Load("""{ "relay": { "enabled": false, "providers": { "alicloud": { "client_id": "a", "client_secret_env": "RELAY_TEST_SURELY_UNSET_4711" } } } }""");

        Assert.True(result.Succeeded, result.FormatErrors());
        Assert.Null(result.Config!.Relay.Providers.Single().Keys.ClientSecret);
    }

    [Fact]
    public void Check_reports_the_relay_in_one_line_without_secrets()
    {
        var result = Load("""{ "relay": { "enabled": true, "public_url": "https://relay.example.com", "providers": { "115cloud": { "client_id": "a" } } } }""");

        Assert.Equal("relay: serving 115cloud at https://relay.example.com/relay/<prefix>/renewapi (client keys resolved; providers not called)", Cli.CheckCommand.RelaySummary(result.Config!.Relay));
        Assert.Equal("relay: off", Cli.CheckCommand.RelaySummary(Load("{}").Config!.Relay));
    }

    private static ConfigLoadResult Load(string json) =>
        new ConfigLoader(DriverRegistry.Default).LoadFromString(json, Path.GetTempPath());
}
