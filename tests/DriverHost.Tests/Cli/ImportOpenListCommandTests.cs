using System.Text.Json;
using OpenList.DriverHost.Cli;
using OpenList.DriverHost.Config;
using OpenList.DriverHost.Hosting;

namespace OpenList.DriverHost.DriverHost.Tests.CliTests;

/// <summary><c>driverhost import-openlist</c> on OpenList exports modelled on openlist-compat.md §1.1.</summary>
public sealed class ImportOpenListCommandTests : IDisposable
{
    private static readonly string[] Secrets =
    [
        "ali-refresh-SECRET-0001", "ali-access-SECRET-0002", "115-access-SECRET-0003", "115-refresh-SECRET-0004",
        "123-refresh-SECRET-0005", "baidu-refresh-SECRET-0006", "jXiFMOPVPCWlO2M5CwWQzffpNPaGTRBG", "0123abcd",
    ];

    private readonly string _dir = Directory.CreateTempSubdirectory("driverhost-import-").FullName;
    private readonly StringWriter _out = new();
    private readonly StringWriter _error = new();

    private string Output => Path.Combine(_dir, "drivers.json");

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task A_storage_list_becomes_drivers_json_records_that_load_with_the_same_settings()
    {
        var code = await Run("import-openlist", Fixture("openlist-storage-list.json"), "--output", Output);

        Assert.True(code == ImportExitCodes.Ok, _out + "\n" + _error);
        var config = Load();
        Assert.Equal(["/阿里云盘", "/115", "/123", "/media"], config.Storages.Select(s => s.MountPath));

        var aliyun = config.Storages[0];
        Assert.Equal(("AliyundriveOpen", 1L, "家里的盘", 30, WebDavPolicy.Redirect302, false), (aliyun.Driver, aliyun.Id, aliyun.Remark, aliyun.CacheExpiration, aliyun.WebDavPolicy, aliyun.Disabled));
        Assert.Equal("ali-refresh-SECRET-0001", aliyun.Addition.GetProperty("refresh_token").GetString());
        Assert.Equal("ali-access-SECRET-0002", aliyun.Addition.GetProperty("AccessToken").GetString());
        Assert.True(aliyun.Addition.GetProperty("use_online_api").GetBoolean());
        Assert.Equal("resource", aliyun.Addition.GetProperty("drive_type").GetString());
        Assert.False(aliyun.Addition.TryGetProperty("oauth_token_url", out _));
        Assert.Equal(new DateTimeOffset(2025, 3, 14, 9, 26, 53, TimeSpan.FromHours(8)).AddTicks(5897932), aliyun.Modified);

        var open115 = config.Storages[1];
        Assert.Equal(("115 Open", 1), (open115.Driver, open115.Order));
        Assert.Equal("115-refresh-SECRET-0004", open115.Addition.GetProperty("refresh_token").GetString());
        Assert.Equal(1, open115.Addition.GetProperty("limit_rate").GetInt32());

        var open123 = config.Storages[2];
        Assert.Equal(WebDavPolicy.NativeProxy, open123.WebDavPolicy);
        Assert.Equal("123-refresh-SECRET-0005", open123.Addition.GetProperty("RefreshToken").GetString());
        Assert.Equal(3, open123.Addition.GetProperty("UploadThread").GetInt32());

        var local = config.Storages[3];
        Assert.Equal(("Local", 0, true, WebDavPolicy.NativeProxy), (local.Driver, local.CacheExpiration, local.WebProxy, local.WebDavPolicy));
        Assert.Equal("""{"root_folder_path":"/srv/media"}""", local.Addition.GetRawText().Replace(" ", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal).Replace("\r", "", StringComparison.Ordinal));

        var report = _out.ToString();
        Assert.Contains("imported  /阿里云盘 (AliyundriveOpen)", report, StringComparison.Ordinal);
        Assert.Contains("dropped addition settings the driver does not have: oauth_token_url", report, StringComparison.Ordinal);
        Assert.Contains("dropped addition settings the driver does not have: directory_size, thumbnail, thumb_cache_folder, thumb_concurrency, video_thumb_pos, show_hidden, mkdir_perm, recycle_bin_path", report, StringComparison.Ordinal);
        Assert.Contains("skipped   /baidu: driver \"BaiduNetdisk\" is not available in driverhost", report, StringComparison.Ordinal);
        Assert.Contains("4 storage(s) added, 1 skipped", report, StringComparison.Ordinal);
        Assert.DoesNotContain("status", File.ReadAllText(Output), StringComparison.Ordinal);
        AssertNoSecretsPrinted();
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Output));
        }
    }

    [Fact]
    public async Task Importing_the_written_file_again_as_a_bare_array_gives_the_same_records()
    {
        Assert.Equal(ImportExitCodes.Ok, await Run("import-openlist", Fixture("openlist-storage-list.json"), "--output", Output));
        var first = Load().Storages;
        using var written = JsonDocument.Parse(File.ReadAllText(Output));
        var again = Path.Combine(_dir, "again.json");
        File.WriteAllText(Path.Combine(_dir, "storages.json"), written.RootElement.GetProperty("storages").GetRawText());

        Assert.Equal(ImportExitCodes.Ok, await Run("import-openlist", Path.Combine(_dir, "storages.json"), "--output", again));

        Assert.Equal(first, Load(again).Storages);
    }

    [Fact]
    public async Task A_backup_file_is_read_from_its_storages_array_and_users_are_left_alone()
    {
        var code = await Run("import-openlist", Fixture("openlist-backup.json"), "--output", Output);

        Assert.True(code == ImportExitCodes.Ok, _out + "\n" + _error);
        var config = Load();
        Assert.Equal(["/aliyun-backup", "/media"], config.Storages.Select(s => s.MountPath));
        Assert.True(config.Storages[0].Disabled);
        Assert.Empty(config.Users);
        Assert.Contains("dropped storage keys drivers.json does not have: mount_details", _out.ToString(), StringComparison.Ordinal);
        AssertNoSecretsPrinted();
    }

    [Fact]
    public async Task An_existing_output_is_never_overwritten_without_merge()
    {
        File.WriteAllText(Output, "{ \"storages\": [] }");

        var code = await Run("import-openlist", Fixture("openlist-storage-list.json"), "--output", Output);

        Assert.Equal(ImportExitCodes.FileError, code);
        Assert.Contains("already exists", _error.ToString(), StringComparison.Ordinal);
        Assert.Contains("--merge", _error.ToString(), StringComparison.Ordinal);
        Assert.Equal("{ \"storages\": [] }", File.ReadAllText(Output));
    }

    [Fact]
    public async Task Merge_replaces_records_by_mount_path_and_keeps_the_rest_of_the_file()
    {
        File.WriteAllText(Output, """
            // my server
            {
              "server": { "listen": "http://127.0.0.1:6000", "state": "sqlite:mine.db" },
              "users": [],
              "storages": [
                { "mount_path": "/keep", "driver": "Local", "addition": { "root_folder_path": "./keep" } },
                { "mount_path": "/media/", "driver": "Local", "remark": "old", "addition": { "root_folder_path": "./old" } },
              ]
            }
            """);

        var code = await Run("import-openlist", Fixture("openlist-backup.json"), "--output", Output, "--merge");

        Assert.True(code == ImportExitCodes.Ok, _out + "\n" + _error);
        var config = Load();
        Assert.Equal(["/keep", "/media", "/aliyun-backup"], config.Storages.Select(s => s.MountPath));
        Assert.Equal("/srv/other", config.Storages[1].Addition.GetProperty("root_folder_path").GetString());
        Assert.Equal("http://127.0.0.1:6000", config.Server.Listen);
        Assert.Contains("1 storage(s) added, 1 replaced", _out.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_result_that_would_not_load_is_not_written()
    {
        var input = Path.Combine(_dir, "list.json");
        File.WriteAllText(input, """
            { "code": 200, "message": "success", "data": { "content": [
              { "id": 1, "mount_path": "/115", "driver": "115 Open", "disabled": false, "webdav_policy": "302_redirect",
                "addition": "{\"root_folder_id\":\"0\",\"access_token\":\"\",\"refresh_token\":\"\"}" } ], "total": 1 } }
            """);

        var code = await Run("import-openlist", input, "--output", Output);

        Assert.Equal(ImportExitCodes.Invalid, code);
        Assert.False(File.Exists(Output));
        Assert.Contains("refresh_token", _error.ToString(), StringComparison.Ordinal);
        Assert.Contains("was not written", _error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "code": 401, "message": "token is expired", "data": null }""", "token is expired")]
    [InlineData("""{ "settings": [] }""", "not an OpenList storage list")]
    [InlineData("""{ "storages": [ { "refresh_token": "x" """, "not valid JSON")]
    public async Task Inputs_that_are_not_exports_exit_2(string json, string message)
    {
        var input = Path.Combine(_dir, "in.json");
        File.WriteAllText(input, json);

        Assert.Equal(ImportExitCodes.FileError, await Run("import-openlist", input, "--output", Output));

        Assert.Contains(message, _error.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(Output));
    }

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Cli", "Fixtures", name);

    private DriverHostConfig Load(string? path = null)
    {
        var loaded = new ConfigLoader(DriverRegistry.Default).Load(path ?? Output);
        Assert.True(loaded.Config is not null, loaded.FormatErrors());
        return loaded.Config!;
    }

    private void AssertNoSecretsPrinted()
    {
        var printed = _out + "\n" + _error;
        foreach (var secret in Secrets)
        {
            Assert.DoesNotContain(secret, printed, StringComparison.Ordinal);
        }
    }

    private Task<int> Run(params string[] args)
    {
        var console = new CliConsole(TextReader.Null, _out, _error, true, () => throw new InvalidOperationException("no keys"));
        return CliRoot.Build(serve: (_, _) => Task.FromResult(7), console: console, currentDirectory: _dir).Parse(args).InvokeAsync();
    }
}
