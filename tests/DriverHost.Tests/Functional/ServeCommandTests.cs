using OpenList.DriverHost.Hosting;

namespace OpenList.DriverHost.DriverHost.Tests.Functional;

public sealed class ServeCommandTests
{
    [Fact]
    public async Task A_bad_config_exits_non_zero_without_starting()
    {
        var dir = Directory.CreateTempSubdirectory("dh-serve-").FullName;
        try
        {
            var config = Path.Combine(dir, "drivers.json");
            await File.WriteAllTextAsync(config, """{ "storages": [ { "mount_path": "/x", "driver": "Nope" } ] }""");
            var code = await ServeCommand.RunAsync(new ServeArguments(config, Listen: "http://127.0.0.1:0"), CancellationToken.None);
            Assert.Equal(2, code);
            Assert.False(File.Exists(Path.Combine(dir, "state.db"))); // nothing was opened or created
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Anonymous_on_a_public_address_is_refused()
    {
        var dir = Directory.CreateTempSubdirectory("dh-serve-").FullName;
        try
        {
            var config = Path.Combine(dir, "drivers.json");
            await File.WriteAllTextAsync(config, """{ "storages": [ ] }""");
            var code = await ServeCommand.RunAsync(new ServeArguments(config, Listen: "http://0.0.0.0:0"), CancellationToken.None);
            Assert.Equal(2, code);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
