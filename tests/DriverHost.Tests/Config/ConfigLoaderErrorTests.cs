using OpenList.DriverHost.Config;

namespace OpenList.DriverHost.DriverHost.Tests.ConfigTests;

/// <summary>One case per kind of mistake: each must be an error at exactly this JSON path.</summary>
public sealed class ConfigLoaderErrorTests
{
    private const string Local = "\"driver\": \"Local\", \"addition\": { \"root_folder_path\": \"./data\" }";

    public static TheoryData<string, string> Cases => new()
    {
        // Server.
        { """{ "server": "x" }""", "server" },
        { """{ "server": { "listen": "127.0.0.1:5244" } }""", "server.listen" },
        { """{ "server": { "listen": "http://127.0.0.1" } }""", "server.listen" },
        { """{ "server": { "listen": "ftp://127.0.0.1:21" } }""", "server.listen" },
        { """{ "server": { "listen": "http://127.0.0.1:5244/dav" } }""", "server.listen" },
        { """{ "server": { "listen": 5244 } }""", "server.listen" },
        { """{ "server": { "dav_prefix": "dav" } }""", "server.dav_prefix" },
        { """{ "server": { "dav_prefix": "/d" } }""", "server.dav_prefix" },
        { """{ "server": { "state": "mysql://db/x" } }""", "server.state" },
        { """{ "server": { "state": "sqlite:" } }""", "server.state" },
        { """{ "server": { "propfind_infinity": "yes" } }""", "server.propfind_infinity" },
        { """{ "server": { "trusted_proxies": [ "proxy.local" ] } }""", "server.trusted_proxies[0]" },
        { """{ "server": { "trusted_proxies": [ "127.0.0.1", "10.0.0.0/33" ] } }""", "server.trusted_proxies[1]" },

        // Users.
        { """{ "users": {} }""", "users" },
        { """{ "users": [ "admin" ] }""", "users[0]" },
        { """{ "users": [ { "password_hash": "HASH" } ] }""", "users[0].username" },
        { """{ "users": [ { "username": "a:b", "password_hash": "HASH" } ] }""", "users[0].username" },
        { """{ "users": [ { "username": "a", "password_hash": "HASH" }, { "username": "a", "password_hash": "HASH" } ] }""", "users[1].username" },
        { """{ "users": [ { "username": "a" } ] }""", "users[0].password_hash" },
        { """{ "users": [ { "username": "a", "password_hash": "plaintext" } ] }""", "users[0].password_hash" },
        { """{ "users": [ { "username": "a", "password_hash": "HASH", "permissions": ["read", "admin"] } ] }""", "users[0].permissions[1]" },
        { """{ "users": [ { "username": "a", "password_hash": "HASH", "permissions": "write" } ] }""", "users[0].permissions" },
        { """{ "users": [ { "username": "a", "password_hash": "HASH", "base_path": "local" } ] }""", "users[0].base_path" },
        { """{ "users": [ { "username": "a", "password_hash": "HASH", "base_path": "/local/../.." } ] }""", "users[0].base_path" },

        // Storages: common keys.
        { """{ "storages": {} }""", "storages" },
        { """{ "storages": [ 1 ] }""", "storages[0]" },
        { $$"""{ "storages": [ { {{Local}} } ] }""", "storages[0].mount_path" },
        { $$"""{ "storages": [ { "mount_path": "  ", {{Local}} } ] }""", "storages[0].mount_path" },
        { $$"""{ "storages": [ { "mount_path": "/a/../b", {{Local}} } ] }""", "storages[0].mount_path" },
        { $$"""{ "storages": [ { "mount_path": "/a", {{Local}} }, { "mount_path": "a/", {{Local}} } ] }""", "storages[1].mount_path" },
        { $$"""{ "storages": [ { "mount_path": "/a", "order": "1", {{Local}} } ] }""", "storages[0].order" },
        { $$"""{ "storages": [ { "mount_path": "/a", "order": 1.5, {{Local}} } ] }""", "storages[0].order" },
        { $$"""{ "storages": [ { "mount_path": "/a", "disabled": "no", {{Local}} } ] }""", "storages[0].disabled" },
        { $$"""{ "storages": [ { "mount_path": "/a", "cache_expiration": -1, {{Local}} } ] }""", "storages[0].cache_expiration" },
        { $$"""{ "storages": [ { "mount_path": "/a", "webdav_policy": "redirect", {{Local}} } ] }""", "storages[0].webdav_policy" },
        { $$"""{ "storages": [ { "mount_path": "/a", "webdav_policy": "use_proxy_url", {{Local}} } ] }""", "storages[0].down_proxy_url" },
        { $$"""{ "storages": [ { "mount_path": "/a", "down_proxy_url": "proxy.example.com", {{Local}} } ] }""", "storages[0].down_proxy_url" },
        { $$"""{ "storages": [ { "mount_path": "/a", "order_by": "date", {{Local}} } ] }""", "storages[0].order_by" },
        { $$"""{ "storages": [ { "mount_path": "/a", "order_direction": "up", {{Local}} } ] }""", "storages[0].order_direction" },
        { $$"""{ "storages": [ { "mount_path": "/a", "extract_folder": "middle", {{Local}} } ] }""", "storages[0].extract_folder" },
        { $$"""{ "storages": [ { "mount_path": "/a", "id": -3, {{Local}} } ] }""", "storages[0].id" },

        // Storages: driver and addition.
        { """{ "storages": [ { "mount_path": "/a" } ] }""", "storages[0].driver" },
        { """{ "storages": [ { "mount_path": "/a", "driver": "Nope" } ] }""", "storages[0].driver" },
        { """{ "storages": [ { "mount_path": "/a", "driver": "Local", "addition": 5 } ] }""", "storages[0].addition" },
        { """{ "storages": [ { "mount_path": "/a", "driver": "Local", "addition": "[1]" } ] }""", "storages[0].addition" },
        { """{ "storages": [ { "mount_path": "/a", "driver": "Local", "addition": "{" } ] }""", "storages[0].addition" },
        { """{ "storages": [ { "mount_path": "/a", "driver": "Local", "addition": {} } ] }""", "storages[0].addition.root_folder_path" },
        { """{ "storages": [ { "mount_path": "/a", "driver": "Local", "addition": "{\"root_folder_path\": \"\"}" } ] }""", "storages[0].addition.root_folder_path" },
        { """{ "storages": [ { "mount_path": "/c", "driver": "Fake Cloud", "addition": { "root_folder_id": "0", "refresh_token": "bad" } } ] }""", "storages[0].addition.refresh_token" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_mistake_is_one_error_at_its_json_path(string json, string expectedPath)
    {
        var result = Load(json);

        Assert.False(result.Succeeded);
        Assert.Null(result.Config);
        var error = Assert.Single(result.Errors);
        Assert.Equal(expectedPath, error.Path);
        Assert.Equal(ConfigSeverity.Error, error.Severity);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        Assert.False(string.IsNullOrWhiteSpace(error.Fix));
    }

    [Fact]
    public void Five_different_mistakes_give_five_errors_at_once()
    {
        var result = Load($$"""
            {
              "server": { "listen": "localhost" },
              "users": [ { "username": "admin", "password_hash": "nope" } ],
              "storages": [
                { "mount_path": "/a", {{Local}} },
                { "mount_path": "/a/", {{Local}} },
                { "mount_path": "/b", "driver": "Missing Driver" },
                { "mount_path": "/c", "cache_expiration": -5, {{Local}} }
              ]
            }
            """);

        Assert.Equal(
            ["server.listen", "storages[1].mount_path", "storages[2].driver", "storages[3].cache_expiration", "users[0].password_hash"],
            result.Errors.Select(e => e.Path).Order(StringComparer.Ordinal));
        Assert.Equal(5, result.FormatErrors().Split(Environment.NewLine).Length);
    }

    [Fact]
    public void Duplicate_mount_path_message_is_pinned()
    {
        var result = Load($$"""{ "storages": [ { "mount_path": "/a", {{Local}} }, { "mount_path": "\\a\\", {{Local}} } ] }""");

        Assert.Equal(
            "drivers.json: storages[1].mount_path: duplicate mount path \"/a\" (also storages[0]); fix: give each storage its own mount_path",
            result.FormatErrors());
        Assert.Equal(result.FormatErrors(), Assert.Throws<ConfigException>(() => result.GetConfigOrThrow()).Message);
    }

    [Fact]
    public void Unknown_driver_hint_lists_the_known_drivers()
    {
        var error = Assert.Single(Load("""{ "storages": [ { "mount_path": "/a", "driver": "local" } ] }""").Errors);

        Assert.Equal("unknown driver \"local\"", error.Message);
        Assert.Contains("did you mean \"Local\"", error.Fix, StringComparison.Ordinal);

        var other = Assert.Single(Load("""{ "storages": [ { "mount_path": "/a", "driver": "S3" } ] }""").Errors);
        Assert.Equal("known drivers: \"Fake Cloud\", \"Local\"", other.Fix);
    }

    [Fact]
    public void Missing_file_is_reported_with_its_path()
    {
        var path = Path.Combine(ConfigTestFiles.ConfigDirectory, Guid.NewGuid().ToString("N"), "drivers.json");

        var result = new ConfigLoader(FakeDriverFactory.Registry()).Load(path);

        var error = Assert.Single(result.Errors);
        Assert.Equal("", error.Path);
        Assert.Contains("file not found", error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("drivers.json: file not found", result.FormatErrors(), StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_json_reports_line_and_column()
    {
        var error = Assert.Single(Load("{\n  \"server\": {\n    \"listen\": nope\n  },\n  \"secret\": 1\n}").Errors);

        Assert.Equal("", error.Path);
        Assert.Equal("not valid JSON at line 3, column 16: invalid literal. Expected the literal 'null'.", error.Message);
        Assert.StartsWith("not valid JSON at line 1, column 7: 'a' is an invalid start of a value", Assert.Single(Load("{\"a\": abc}").Errors).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"text\"")]
    [InlineData("42")]
    public void Root_must_be_an_object(string json)
    {
        var error = Assert.Single(Load(json).Errors);

        Assert.Equal("", error.Path);
        Assert.Contains("not an object", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Messages_never_contain_secrets()
    {
        var result = Load("""
            {
              "server": { "state": "postgres://user:pw-secret-1@/db", "sign_key": "short-key" },
              "users": [ { "username": "a", "password_hash": "pbkdf2-sha256$1000$c2VjcmV0LWhhc2g=$bm90LTMyLWJ5dGVz" } ],
              "storages": [ { "mount_path": "/c", "driver": "Fake Cloud", "addition": { "root_folder_id": "0", "refresh_token": "leaky-token-123" } } ]
            }
            """);

        var text = result.FormatErrors() + result.FormatWarnings();
        Assert.Equal(3, result.Errors.Count);
        Assert.DoesNotContain("pw-secret-1", text, StringComparison.Ordinal);
        Assert.DoesNotContain("short-key", text, StringComparison.Ordinal);
        Assert.DoesNotContain("c2VjcmV0LWhhc2g", text, StringComparison.Ordinal);
        Assert.DoesNotContain("leaky-token-123", text, StringComparison.Ordinal);
        Assert.Contains("refresh token *** is malformed", text, StringComparison.Ordinal);
    }

    private static ConfigLoadResult Load(string json) =>
        new ConfigLoader(FakeDriverFactory.Registry()).LoadFromString(json.Replace("HASH", ConfigTestFiles.SecretHash, StringComparison.Ordinal), ConfigTestFiles.ConfigDirectory);
}
