using System.CommandLine;
using OpenList.DriverHost.Auth;
using OpenList.DriverHost.Cli;
using OpenList.DriverHost.Hosting;

namespace OpenList.DriverHost.DriverHost.Tests.CliTests;

public sealed class CliRootTests
{
    private static readonly string Cwd = Path.GetFullPath(Path.Combine(Path.GetTempPath(), "driverhost-cli"));

    private readonly List<ServeArguments> _served = [];
    private readonly StringWriter _out = new();
    private readonly StringWriter _error = new();

    [Fact]
    public async Task No_subcommand_serves_drivers_json_in_the_current_folder()
    {
        Assert.Equal(7, await Run());

        Assert.Equal(new ServeArguments(Path.Combine(Cwd, "drivers.json")), Assert.Single(_served));
    }

    [Theory]
    [InlineData("serve")]
    [InlineData("")]
    public async Task Serve_options_work_on_the_root_and_on_serve(string command)
    {
        string[] options = ["--config", "conf/my.json", "--listen", "http://0.0.0.0:8080", "--state", "sqlite:/var/lib/d.db", "--log-level", "warn"];

        Assert.Equal(7, await Run([.. command.Length > 0 ? [command] : Array.Empty<string>(), .. options]));

        Assert.Equal(
            new ServeArguments(Path.Combine(Cwd, "conf", "my.json"), "http://0.0.0.0:8080", "sqlite:/var/lib/d.db", "Warning"),
            Assert.Single(_served));
    }

    [Fact]
    public async Task Unknown_log_level_is_a_usage_error()
    {
        Assert.NotEqual(0, await Run("--log-level", "loud"));

        Assert.Empty(_served);
        Assert.Contains("loud", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hash_password_is_a_subcommand_reading_redirected_stdin()
    {
        var console = new CliConsole(new StringReader("from-stdin\n"), _out, _error, IsInputRedirected: true, () => default);
        var root = CliRoot.Build((_, _) => Task.FromResult(7), console, Cwd);

        Assert.Equal(0, await root.Parse(["hash-password"]).InvokeAsync(new InvocationConfiguration { Output = _out, Error = _error }));

        var hash = _out.ToString().Trim();
        Assert.Equal(PasswordHasher.DefaultIterations, PasswordHasher.GetIterations(hash));
        Assert.True(PasswordHasher.Verify("from-stdin", hash));
    }

    [Fact]
    public void Serve_hash_password_auth_check_and_import_openlist_exist() =>
        Assert.Equal(["auth", "check", "hash-password", "import-openlist", "serve"], CliRoot.Build().Subcommands.Select(c => c.Name).Order(StringComparer.Ordinal));

    private Task<int> Run(params string[] args)
    {
        var root = CliRoot.Build(
            (arguments, _) =>
            {
                _served.Add(arguments);
                return Task.FromResult(7);
            },
            new CliConsole(new StringReader(""), _out, _error, IsInputRedirected: true, () => default),
            Cwd);
        return root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = _out, Error = _error });
    }
}
