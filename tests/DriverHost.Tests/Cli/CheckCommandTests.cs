using System.Text;
using OpenList.DriverHost.Cli;
using OpenList.DriverHost.CloudFakes;
using OpenList.DriverHost.DriverHost.Tests.Cloud;
using OpenList.DriverHost.Hosting;

namespace OpenList.DriverHost.DriverHost.Tests.CliTests;

/// <summary><c>driverhost check</c> against the Aliyundrive Open fake and a Local folder.</summary>
public sealed class CheckCommandTests : IAsyncLifetime, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("driverhost-check-").FullName;
    private readonly StringWriter _out = new();
    private readonly StringWriter _error = new();
    private FakeCloud? _fake;

    private FakeCloud Fake => _fake ?? throw new InvalidOperationException("the fake starts in InitializeAsync");

    private string ConfigPath => Path.Combine(_dir, "drivers.json");

    public async Task InitializeAsync() => _fake = await FakeCloud.StartAsync(new FakeCloudOptions { EnforceRateLimits = false });

    public async Task DisposeAsync()
    {
        if (_fake is not null)
        {
            await _fake.DisposeAsync();
        }
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task Healthy_cloud_and_local_mounts_print_ok_rows_and_exit_0_without_printing_secrets()
    {
        var tokens = WriteConfig(AliyunAuthMode.OwnKeys, withFile: true);

        var code = await Run("check", "--config", ConfigPath);

        Assert.True(code == CheckExitCodes.Ok, _out + "\n" + _error);
        var lines = _out.ToString().Split('\n');
        var aliyun = Assert.Single(lines, l => l.StartsWith("/aliyun ", StringComparison.Ordinal));
        Assert.Matches(@"^/aliyun\s+AliyundriveOpen\s+own keys\s+ok\s+\d+ ms\s+root lists 2 entries; link for /movie.mp4 ok$", aliyun);
        var local = Assert.Single(lines, l => l.StartsWith("/local ", StringComparison.Ordinal));
        Assert.Matches(@"^/local\s+Local\s+n\.a\.\s+ok\s+\d+ ms\s+root lists 1 entry; read 1 byte of /hello.txt$", local);
        Assert.Matches(@"^/off\s+Local\s+n\.a\.\s+disabled\s+-\s+skipped", Assert.Single(lines, l => l.StartsWith("/off ", StringComparison.Ordinal)));
        Assert.Contains("2 mount(s) ok", _out.ToString(), StringComparison.Ordinal);
        Assert.Contains("relay: off", lines);
        AssertNoSecrets(tokens);
    }

    [Fact]
    public async Task The_relay_mode_is_named_and_works()
    {
        var tokens = WriteConfig(AliyunAuthMode.OnlineApi, withFile: false);
        Fake.Aliyun.ExpireAccessTokensNow(); // the check renews through the relay

        var code = await Run("check", "--config", ConfigPath);

        Assert.True(code == CheckExitCodes.Ok, _out + "\n" + _error);
        Assert.Matches(@"(?m)^/aliyun\s+AliyundriveOpen\s+relay\s+ok\s+\d+ ms\s+root lists 1 entry; no file in the root", _out.ToString());
        AssertNoSecrets(tokens);
    }

    [Fact]
    public async Task A_revoked_refresh_token_fails_that_mount_with_the_re_authorize_hint_and_exits_1()
    {
        var tokens = WriteConfig(AliyunAuthMode.OwnKeys, withFile: true);
        Fake.Aliyun.RevokeRefreshToken(tokens.RefreshToken);
        Fake.Aliyun.ExpireAccessTokensNow();

        var code = await Run("check", "--config", ConfigPath);

        Assert.Equal(CheckExitCodes.Failed, code);
        var aliyun = Assert.Single(_out.ToString().Split('\n'), l => l.StartsWith("/aliyun ", StringComparison.Ordinal));
        Assert.Matches(@"^/aliyun\s+AliyundriveOpen\s+own keys\s+error\s+\d+ ms\s+", aliyun);
        Assert.Contains("refresh token rejected", aliyun, StringComparison.Ordinal);
        Assert.Contains("re-authorize", aliyun, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^/local\s+Local\s+n\.a\.\s+ok", _out.ToString());
        Assert.Contains("1 of 2 mount(s) failed", _out.ToString(), StringComparison.Ordinal);
        AssertNoSecrets(tokens);
    }

    [Fact]
    public async Task A_bad_config_exits_2_with_the_same_errors_as_serve()
    {
        File.WriteAllText(ConfigPath, """{ "storages": [ { "mount_path": "/x", "driver": "Nope" } ] }""");

        var code = await Run("check", "--config", ConfigPath);

        Assert.Equal(CheckExitCodes.ConfigError, code);
        Assert.Contains("unknown driver \"Nope\"", _error.ToString(), StringComparison.Ordinal);
        Assert.Equal("", _out.ToString());
    }

    [Fact]
    public async Task A_missing_config_exits_2()
    {
        Assert.Equal(CheckExitCodes.ConfigError, await Run("check", "--config", Path.Combine(_dir, "none.json")));
        Assert.Contains("file not found", _error.ToString(), StringComparison.Ordinal);
    }

    private AliyunTokens WriteConfig(AliyunAuthMode mode, bool withFile)
    {
        Fake.Aliyun.RegisterClient(AliyunHost.ClientId, AliyunHost.ClientSecret);
        var account = Fake.Aliyun.CreateAccount();
        account.AddFolder("resource", "/folder");
        if (withFile)
        {
            account.AddFile("resource", "/movie.mp4", Encoding.UTF8.GetBytes("not really a movie"));
        }

        var tokens = Fake.Aliyun.IssueTokens(account, mode == AliyunAuthMode.OwnKeys ? AliyunHost.ClientId : Fake.Aliyun.RelayClientId);
        Directory.CreateDirectory(Path.Combine(_dir, "files"));
        File.WriteAllText(Path.Combine(_dir, "files", "hello.txt"), "hello");
        var aliyun = AliyunHost.Storage(Fake, mode, "302_redirect", 0, tokens.RefreshToken, tokens.AccessToken);
        File.WriteAllText(ConfigPath, $$"""
            {
              "server": { "state": "sqlite:state.db" },
              "storages": [
                {{aliyun}},
                { "mount_path": "/local", "driver": "Local", "addition": { "root_folder_path": "./files" } },
                { "mount_path": "/off", "driver": "Local", "disabled": true, "addition": { "root_folder_path": "./nowhere" } }
              ]
            }
            """);
        return tokens;
    }

    private void AssertNoSecrets(AliyunTokens tokens)
    {
        var all = _out + "\n" + _error;
        Assert.DoesNotContain(tokens.RefreshToken, all, StringComparison.Ordinal);
        Assert.DoesNotContain(tokens.AccessToken, all, StringComparison.Ordinal);
        Assert.DoesNotContain(AliyunHost.ClientSecret, all, StringComparison.Ordinal);
    }

    private Task<int> Run(params string[] args)
    {
        var console = new CliConsole(TextReader.Null, _out, _error, true, () => throw new InvalidOperationException("no keys"));
        return CliRoot.Build(serve: (_, _) => Task.FromResult(7), console: console, currentDirectory: _dir).Parse(args).InvokeAsync();
    }
}
