using OpenList.DriverHost.Config;
using OpenList.DriverHost.Hosting;

namespace OpenList.DriverHost.DriverHost.Tests.ConfigTests;

public sealed class ExposureCheckTests : IDisposable
{
    private static readonly DriverHostConfig NoUsers = new();
    private static readonly DriverHostConfig OneUser = new() { Users = [new UserRecord { Username = "a", PasswordHash = ConfigTestFiles.SecretHash }] };

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "driverhost-exposure-" + Guid.NewGuid().ToString("N"));

    public ExposureCheckTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("http://127.0.0.1:5244")]
    [InlineData("http://127.8.9.10:80")]
    [InlineData("https://localhost:5001")]
    [InlineData("http://[::1]:5244")]
    [InlineData("http://127.0.0.1:0")]
    public void Anonymous_on_loopback_is_allowed(string listen) => Assert.Empty(ExposureCheck.Validate(NoUsers, listen));

    [Theory]
    [InlineData("http://0.0.0.0:5244")]
    [InlineData("http://*:5244")]
    [InlineData("http://+:5244")]
    [InlineData("http://[::]:5244")]
    [InlineData("http://192.168.1.10:5244")]
    [InlineData("http://nas.example.com:5244")]
    public void Anonymous_beyond_loopback_is_refused(string listen)
    {
        var error = Assert.Single(ExposureCheck.Validate(NoUsers, listen));

        Assert.Equal("server.listen: anonymous access is only allowed on loopback; fix: add a user with `driverhost hash-password` or listen on 127.0.0.1", error.ToString());
        Assert.Empty(ExposureCheck.Validate(OneUser, listen));
    }

    [Fact]
    public void Serve_applies_overrides_before_the_exposure_check()
    {
        var config = Write("""{ "storages": [] }""");
        var loader = new ConfigLoader(FakeDriverFactory.Registry());

        var refused = loader.LoadForServe(new ServeArguments(config, Listen: "http://0.0.0.0:5244"), _dir);
        var fine = loader.LoadForServe(new ServeArguments(config, Listen: "http://127.0.0.2:6000", State: "sqlite:other.db"), "/somewhere/else");

        Assert.Equal("server.listen", Assert.Single(refused.Errors).Path);
        Assert.Equal("http://127.0.0.2:6000", fine.GetConfigOrThrow().Server.Listen);
        Assert.Equal("sqlite:" + Path.GetFullPath("/somewhere/else/other.db"), fine.Config!.Server.State);
    }

    [Fact]
    public void Serve_reports_file_and_override_errors_together()
    {
        var config = Write("""{ "server": { "dav_prefix": "dav" } }""");

        var result = new ConfigLoader(FakeDriverFactory.Registry()).LoadForServe(new ServeArguments(config, Listen: "nope", State: "redis://x"), _dir);

        Assert.Equal(["--listen", "--state", "server.dav_prefix"], result.Errors.Select(e => e.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Serve_resolves_a_relative_config_path_against_the_current_folder()
    {
        Write("""{ "server": { "listen": "http://localhost:1234" } }""");

        var result = new ConfigLoader(FakeDriverFactory.Registry()).LoadForServe(new ServeArguments("drivers.json"), _dir);

        Assert.Equal("http://localhost:1234", result.GetConfigOrThrow().Server.Listen);
        Assert.Equal(_dir, result.Config!.ConfigDirectory);
    }

    private string Write(string json)
    {
        var path = Path.Combine(_dir, "drivers.json");
        File.WriteAllText(path, json);
        return path;
    }
}
