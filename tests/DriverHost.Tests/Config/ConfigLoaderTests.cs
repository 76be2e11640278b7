using System.Text.Json;
using OpenList.DriverHost.Config;

namespace OpenList.DriverHost.DriverHost.Tests.ConfigTests;

public sealed class ConfigLoaderTests
{
    private static readonly string Dir = ConfigTestFiles.ConfigDirectory;

    [Fact]
    public void Empty_object_gives_the_documented_defaults()
    {
        var result = Load("{}");

        var config = Assert.IsType<DriverHostConfig>(result.Config);
        Assert.Equal("http://127.0.0.1:5244", config.Server.Listen);
        Assert.Equal("/dav", config.Server.DavPrefix);
        Assert.Equal("sqlite:" + Path.Combine(Dir, "state.db"), config.Server.State);
        Assert.Equal("", config.Server.SignKey);
        Assert.Equal("", config.Server.TempDir);
        Assert.False(config.Server.PropfindInfinity);
        Assert.Empty(config.Users);
        Assert.True(config.IsAnonymous);
        Assert.Equal(Dir, config.ConfigDirectory);
        Assert.Equal("storages", Assert.Single(result.Warnings).Path);
    }

    [Fact]
    public void A_full_storage_record_reads_every_openlist_key()
    {
        var config = Load("""
            {
              "storages": [ {
                "id": 7, "mount_path": "/c", "driver": "Fake Cloud", "disabled": false, "order": -2, "remark": "ref:/x",
                "cache_expiration": 0, "custom_cache_policies": "/a/**:5", "webdav_policy": "use_proxy_url",
                "down_proxy_url": "https://proxy.example.com", "order_by": "name", "order_direction": "desc",
                "extract_folder": "front", "web_proxy": true, "proxy_range": true, "enable_sign": true,
                "disable_proxy_sign": true, "disable_index": true, "status": "work", "modified": "2024-01-31T12:00:00+08:00",
                "addition": { "root_folder_id": "42", "refresh_token": "rt-abc" }
              } ]
            }
            """).GetConfigOrThrow();

        var s = Assert.Single(config.Storages);
        Assert.Equal(7, s.Id);
        Assert.Equal("/c", s.MountPath);
        Assert.Equal("Fake Cloud", s.Driver);
        Assert.Equal(-2, s.Order);
        Assert.Equal("ref:/x", s.Remark);
        Assert.Equal(0, s.CacheExpiration);
        Assert.Equal("/a/**:5", s.CustomCachePolicies);
        Assert.Equal(WebDavPolicy.UseProxyUrl, s.WebDavPolicy);
        Assert.Equal("https://proxy.example.com", s.DownProxyUrl);
        Assert.Equal(("name", "desc", "front"), (s.OrderBy, s.OrderDirection, s.ExtractFolder));
        Assert.True(s.WebProxy && s.ProxyRange && s.EnableSign && s.DisableProxySign && s.DisableIndex);
        Assert.Equal("work", s.Status);
        Assert.Equal(new DateTimeOffset(2024, 1, 31, 12, 0, 0, TimeSpan.FromHours(8)), s.Modified);
        Assert.Equal("42", s.Addition.GetProperty("root_folder_id").GetString());
        Assert.DoesNotContain("rt-abc", s.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Storage_defaults_follow_openlist()
    {
        var s = Assert.Single(Load("""{ "storages": [ { "mount_path": "/l", "driver": "Local", "addition": { "root_folder_path": "x" } } ] }""").GetConfigOrThrow().Storages);

        Assert.False(s.Disabled);
        Assert.Equal(30, s.CacheExpiration);
        Assert.Equal(WebDavPolicy.Redirect302, s.WebDavPolicy);
        Assert.Equal(0, s.Order);
        Assert.Null(s.Modified);
    }

    [Fact]
    public void Addition_as_json_string_equals_addition_as_object()
    {
        var asObject = Load("""{ "storages": [ { "mount_path": "/c", "driver": "Fake Cloud", "addition": { "root_folder_id": "0", "refresh_token": "rt-1", "nested": { "a": [1, 2] } } } ] }""");
        var asString = Load("""{ "storages": [ { "mount_path": "/c", "driver": "Fake Cloud", "addition": "{\"nested\":{\"a\":[1,2]},\"refresh_token\":\"rt-1\",\"root_folder_id\":\"0\"}" } ] }""");

        Assert.True(asObject.Succeeded, asObject.FormatErrors());
        Assert.True(asString.Succeeded, asString.FormatErrors());
        Assert.Equal(asObject.Config, asString.Config);
        Assert.Equal(asObject.Config!.GetHashCode(), asString.Config!.GetHashCode());
        Assert.Equal(JsonValueKind.Object, asString.Config.Storages[0].Addition.ValueKind);
    }

    [Fact]
    public void Loading_twice_gives_equal_configs_and_a_change_is_visible()
    {
        const string json = """{ "storages": [ { "mount_path": "/l", "driver": "Local", "addition": { "root_folder_path": "x" } } ] }""";

        Assert.Equal(Load(json).Config, Load(json).Config);
        Assert.NotEqual(Load(json).Config, Load(json.Replace("\"x\"", "\"y\"", StringComparison.Ordinal)).Config);
    }

    [Fact]
    public void Unknown_keys_are_warnings_and_the_file_still_loads()
    {
        var result = Load($$"""
            {
              "extra": 1,
              "server": { "colour": "blue" },
              "users": [ { "username": "a", "password_hash": "{{ConfigTestFiles.SecretHash}}", "email": "a@example.com" } ],
              "storages": [ { "mount_path": "/l", "driver": "Local", "Disabled": true, "addition": { "root_folder_path": "x", "nope": 1 } } ]
            }
            """);

        Assert.True(result.Succeeded, result.FormatErrors());
        Assert.Equal(
            ["extra", "server.colour", "storages[0].Disabled", "storages[0].addition.nope", "users[0].email"],
            result.Warnings.Where(w => w.Message.StartsWith("unknown", StringComparison.Ordinal)).Select(w => w.Path).Order(StringComparer.Ordinal));
        Assert.Contains(result.Warnings, w => w.Path == "storages[0].Disabled" && w.Fix!.Contains("did you mean \"disabled\"", StringComparison.Ordinal));
        Assert.Equal(result.Warnings, result.Config!.Warnings);
        Assert.False(result.Config.Storages[0].Disabled);
    }

    [Theory]
    [InlineData("/", true)]
    [InlineData("/dav", false)]
    public void Mounts_hidden_by_the_hosts_own_routes_under_a_root_dav_prefix_are_warnings(string davPrefix, bool warned)
    {
        var result = Load($$"""
            {
              "server": { "dav_prefix": "{{davPrefix}}" },
              "storages": [
                { "mount_path": "/docs", "driver": "Local", "addition": { "root_folder_path": "x" } },
                { "mount_path": "/D", "driver": "Local", "addition": { "root_folder_path": "x" } },
                { "mount_path": "/relay/files", "driver": "Local", "addition": { "root_folder_path": "x" } },
                { "mount_path": "/healthzone", "driver": "Local", "addition": { "root_folder_path": "x" } }
              ]
            }
            """);

        Assert.True(result.Succeeded, result.FormatErrors());
        var hidden = result.Warnings.Where(w => w.Message.Contains("is hidden by the host's own", StringComparison.Ordinal)).ToList();
        Assert.Equal(warned ? ["storages[1].mount_path", "storages[2].mount_path"] : [], hidden.Select(w => w.Path));
        Assert.All(hidden, w => Assert.Contains("/dav", w.Fix!, StringComparison.Ordinal));
    }

    [Fact]
    public void Disabled_storages_with_unknown_drivers_or_blank_settings_are_warnings()
    {
        var result = Load("""
            {
              "storages": [
                { "mount_path": "/115", "driver": "115 Open", "disabled": true, "addition": { "refresh_token": "" } },
                { "mount_path": "/c", "driver": "Fake Cloud", "disabled": true, "addition": { "root_folder_id": "" } }
              ]
            }
            """);

        Assert.True(result.Succeeded, result.FormatErrors());
        Assert.Contains(result.Warnings, w => w.Path == "storages[0].driver" && w.Message.Contains("disabled", StringComparison.Ordinal));
        Assert.Contains(result.Warnings, w => w.Path == "storages[1].addition.root_folder_id");
        Assert.True(result.Config!.Storages.All(s => s.Disabled));
    }

    [Theory]
    [InlineData("/a", "/a")]
    [InlineData("a/b/", "/a/b")]
    [InlineData("\\a\\b", "/a/b")]
    [InlineData("//a/./b//", "/a/b")]
    [InlineData("/", "/")]
    [InlineData("/网盘/电影", "/网盘/电影")]
    public void Mount_paths_are_normalised_like_openlist(string raw, string expected)
    {
        var json = JsonSerializer.Serialize(new { storages = new[] { new { mount_path = raw, driver = "Local", addition = new { root_folder_path = "x" } } } });

        Assert.Equal(expected, Assert.Single(Load(json).GetConfigOrThrow().Storages).MountPath);
    }

    [Fact]
    public void Relative_paths_resolve_against_the_config_folder_and_drivers_get_it()
    {
        var registry = FakeDriverFactory.Registry();
        var result = new ConfigLoader(registry).LoadFromString(
            """{ "server": { "state": "sqlite:sub/state.db", "temp_dir": "spool" }, "storages": [ { "mount_path": "/l/", "driver": "Local", "addition": { "root_folder_path": "x" } } ] }""",
            Dir);

        var config = result.GetConfigOrThrow();
        Assert.Equal("sqlite:" + Path.Combine(Dir, "sub", "state.db"), config.Server.State);
        Assert.Equal(Path.Combine(Dir, "spool"), config.Server.TempDir);
        var context = Assert.Single(((FakeDriverFactory)registry["Local"]).Contexts);
        Assert.Equal((Dir, "/l"), (context.ConfigDirectory, context.MountPath));
    }

    [Fact]
    public void Users_are_read_with_defaults_and_normalised_base_paths()
    {
        var config = Load($$"""
            {
              "users": [
                { "username": "reader", "password_hash": "{{ConfigTestFiles.SecretHash}}" },
                { "username": "writer", "password_hash": "{{ConfigTestFiles.SecretHash}}", "permissions": ["write"], "base_path": "/local/shared/" }
              ]
            }
            """).GetConfigOrThrow();

        Assert.Equal(["read"], config.Users[0].Permissions);
        Assert.False(config.Users[0].CanWrite);
        Assert.Equal("/", config.Users[0].BasePath);
        Assert.True(config.Users[1].CanWrite);
        Assert.Equal("/local/shared", config.Users[1].BasePath);
        Assert.DoesNotContain(ConfigTestFiles.SecretHash, config.Users[1].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Comments_trailing_commas_and_postgres_state_are_accepted()
    {
        var result = Load("""
            // header
            {
              "server": { "state": "postgres://user:pw@db.example.com/driverhost", }, /* trailing comma above */
              "storages": [],
            }
            """);

        Assert.True(result.Succeeded, result.FormatErrors());
        Assert.Equal("postgres://user:pw@db.example.com/driverhost", result.Config!.Server.State);
        Assert.DoesNotContain("pw@", result.Config.Server.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Modified_accepts_go_nanoseconds_and_an_unreadable_time_is_only_a_warning()
    {
        var result = Load("""
            { "storages": [
              { "mount_path": "/a", "driver": "Local", "modified": "2024-05-01T10:11:12.123456789+08:00", "addition": { "root_folder_path": "x" } },
              { "mount_path": "/b", "driver": "Local", "modified": "yesterday", "addition": { "root_folder_path": "x" } }
            ] }
            """);

        var storages = result.GetConfigOrThrow().Storages;
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 10, 11, 12, TimeSpan.FromHours(8)).AddTicks(1234567), storages[0].Modified);
        Assert.Null(storages[1].Modified);
        Assert.Equal("storages[1].modified", Assert.Single(result.Warnings).Path);
    }

    [Fact]
    public void Empty_webdav_policy_means_native_proxy_with_a_warning()
    {
        var result = Load("""{ "storages": [ { "mount_path": "/l", "driver": "Local", "webdav_policy": "", "addition": { "root_folder_path": "x" } } ] }""");

        Assert.Equal(WebDavPolicy.NativeProxy, result.GetConfigOrThrow().Storages[0].WebDavPolicy);
        Assert.Equal("storages[0].webdav_policy", Assert.Single(result.Warnings).Path);
    }

    [Fact]
    public void The_default_drivers_json_loads_without_errors()
    {
        var path = Path.Combine(ConfigTestFiles.RepositoryRoot(), "drivers.json");

        var result = new ConfigLoader(FakeDriverFactory.Registry()).Load(path);

        Assert.True(result.Succeeded, result.FormatErrors());
        Assert.Empty(result.Errors);
        var config = result.Config!;
        Assert.Equal("http://127.0.0.1:5244", config.Server.Listen);
        Assert.Equal("/dav", config.Server.DavPrefix);
        Assert.Empty(config.Users);
        Assert.Equal(["/local", "/115", "/aliyun", "/123", "/disktop"], config.Storages.Select(s => s.MountPath));
        Assert.Equal(["/local"], config.Storages.Where(s => !s.Disabled).Select(s => s.MountPath));
        Assert.Equal(["115 Open", "AliyundriveOpen", "123 Open", "DiskTop"], config.Storages.Where(s => s.Disabled).Select(s => s.Driver));
        Assert.Equal("./data", config.Storages[0].Addition.GetProperty("root_folder_path").GetString());
        Assert.Empty(ExposureCheck.Validate(config, config.Server.Listen));
    }

    [Fact]
    public void Shutdown_timeout_and_log_file_default_resolve_and_validate()
    {
        var defaults = Assert.IsType<DriverHostConfig>(Load("{}").Config);
        Assert.Equal(30, defaults.Server.ShutdownTimeout);
        Assert.Equal("", defaults.Server.LogFile);

        var set = Assert.IsType<DriverHostConfig>(Load("{ \"server\": { \"shutdown_timeout\": 5, \"log_file\": \"logs/driverhost.json\" } }").Config);
        Assert.Equal(5, set.Server.ShutdownTimeout);
        Assert.Equal(Path.Combine(Dir, "logs", "driverhost.json"), set.Server.LogFile);

        var negative = Load("{ \"server\": { \"shutdown_timeout\": -1 } }");
        Assert.Null(negative.Config);
        Assert.Equal("server.shutdown_timeout", Assert.Single(negative.Errors).Path);
    }

    private static ConfigLoadResult Load(string json) => new ConfigLoader(FakeDriverFactory.Registry()).LoadFromString(json, Dir);
}
