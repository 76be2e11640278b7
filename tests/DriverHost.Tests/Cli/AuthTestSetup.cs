using System.Text;
using OpenList.DriverHost.Cli;
using OpenList.DriverHost.CloudFakes;

namespace OpenList.DriverHost.DriverHost.Tests.CliTests;

/// <summary>
/// One Disk.Top fake for the auth command tests, polled every second (the documented 5 s would make every device
/// flow test wait for it), and a folder with a drivers.json whose /disktop storage points at it.
/// </summary>
public sealed class AuthFakeCloud : IAsyncLifetime
{
    private FakeCloud? _fake;

    public FakeCloud Fake => _fake ?? throw new InvalidOperationException("the fake starts in InitializeAsync");

    public async Task InitializeAsync()
    {
        _fake = await FakeCloud.StartAsync(new FakeCloudOptions { EnforceRateLimits = false });
        _fake.DiskTop.DeviceIntervalSeconds = 1;
    }

    public async Task DisposeAsync()
    {
        if (_fake is not null)
        {
            await _fake.DisposeAsync();
        }
    }
}

/// <summary>A temporary folder with drivers.json (a disabled /disktop for a fresh app, a /115 storage) and its state.db.</summary>
internal sealed class AuthWorkspace : IDisposable
{
    public AuthWorkspace(FakeCloud fake, string disktopAddition = "")
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("driverhost-auth-").FullName;
        ClientId = "cli-" + Guid.NewGuid().ToString("N")[..12];
        ClientSecret = "secret-" + Guid.NewGuid().ToString("N");
        fake.DiskTop.RegisterClient(ClientId, ClientSecret);
        Account = fake.DiskTop.CreateAccount();
        fake.DiskTop.AuthorizingAccount = Account;
        var baseUrl = fake.BaseUrl.AbsoluteUri.TrimEnd('/');
        File.WriteAllText(ConfigPath, $$"""
            {
              "server": { "state": "sqlite:state.db" },
              "storages": [
                { "mount_path": "/disktop", "driver": "DiskTop", "disabled": true,
                  "addition": { "root_folder_path": "/", "client_id": "{{ClientId}}", "client_secret": "{{ClientSecret}}",
                                "access_token": "", "refresh_token": "", "api_base_url": "{{baseUrl}}"{{disktopAddition}} } },
                { "mount_path": "/115", "driver": "115 Open", "disabled": true, "addition": { "refresh_token": "x" } }
              ]
            }
            """);
    }

    public string Directory { get; }

    public string ConfigPath => Path.Combine(Directory, "drivers.json");

    public string StatePath => Path.Combine(Directory, "state.db");

    public string ClientId { get; }

    public string ClientSecret { get; }

    public DiskTopAccount Account { get; }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Console streams the command writes to from another task while the test reads them.</summary>
internal sealed class TestConsole
{
    private readonly StringBuilder _out = new();
    private readonly StringBuilder _error = new();

    public TestConsole()
    {
        Console = new CliConsole(TextReader.Null, new LockedWriter(_out), new LockedWriter(_error), true, () => throw new InvalidOperationException("no keys"));
    }

    public CliConsole Console { get; }

    public string Out
    {
        get
        {
            lock (_out)
            {
                return _out.ToString();
            }
        }
    }

    public string Error
    {
        get
        {
            lock (_error)
            {
                return _error.ToString();
            }
        }
    }

    /// <summary>Waits until standard output holds a line <paramref name="match"/> accepts; returns it.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, Task running)
    {
        for (var i = 0; i < 400; i++)
        {
            var line = Out.Split('\n').Select(l => l.Trim()).FirstOrDefault(match);
            if (line is not null)
            {
                return line;
            }

            if (running.IsCompleted)
            {
                await running;
                throw new InvalidOperationException("the command ended early: " + Out + Error);
            }

            await Task.Delay(25);
        }

        throw new TimeoutException("no such line: " + Out + Error);
    }

    private sealed class LockedWriter(StringBuilder target) : TextWriter
    {
        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value)
        {
            lock (target)
            {
                target.Append(value);
            }
        }

        public override void Write(string? value)
        {
            lock (target)
            {
                target.Append(value);
            }
        }
    }
}
