using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenList.DriverHost.DriverHost.Tests.AuthTests;
using OpenList.DriverHost.DriverHost.Tests.Functional;
using OpenList.DriverHost.Hosting;
using OpenList.DriverHost.Mounts;

namespace OpenList.DriverHost.DriverHost.Tests.Operations;

/// <summary>Issue 8 item 5: drivers.json edited while the host serves.</summary>
public sealed class ReloadTests
{
    [Fact]
    public async Task Edits_add_and_remove_mounts_keep_unchanged_ones_and_a_broken_file_keeps_the_last_good_config()
    {
        var root = Directory.CreateTempSubdirectory("dh-reload-").FullName;
        var data = Path.Combine(root, "data");
        var other = Path.Combine(root, "other");
        Directory.CreateDirectory(data);
        Directory.CreateDirectory(other);
        await File.WriteAllTextAsync(Path.Combine(other, "hello.txt"), "hello");
        using var logs = new CapturingLoggerProvider();
        await using var host = await HostFixture.StartFromConfigAsync(root, Config(data, null), logs.CreateFactory(), watchConfig: true);
        var holder = host.Services.GetRequiredService<MountTableHolder>();
        var reloader = host.Services.GetRequiredService<ConfigReloader>();
        var local = holder.Current.MountAt("/local");
        Assert.NotNull(local);
        using var client = host.Client(user: null);

        Assert.True(await EditAsync(reloader, root, Config(data, other)));
        Assert.Same(local, holder.Current.MountAt("/local"));
        Assert.NotNull(holder.Current.MountAt("/other"));
        Assert.Equal("hello", await client.GetStringAsync("/dav/other/hello.txt"));

        // A changed record re-initialises that storage only.
        var other1 = holder.Current.MountAt("/other");
        Assert.True(await EditAsync(reloader, root, Config(data, other, remark: "changed")));
        Assert.NotSame(other1, holder.Current.MountAt("/other"));
        Assert.Equal("changed", holder.Current.MountAt("/other")!.Record.Remark);
        Assert.Same(local, holder.Current.MountAt("/local"));

        Assert.False(await EditAsync(reloader, root, "{ \"storages\": [ { \"mount_path\": "));
        Assert.Contains(logs.Entries, e => e.Text.Contains("rejected; the last good configuration stays", StringComparison.Ordinal));
        Assert.NotNull(holder.Current.MountAt("/other"));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/dav/other/hello.txt")).StatusCode);

        Assert.True(await EditAsync(reloader, root, Config(data, null)));
        Assert.Null(holder.Current.MountAt("/other"));
        Assert.Same(local, holder.Current.MountAt("/local"));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/dav/other/hello.txt")).StatusCode);
    }

    private static async Task<bool> EditAsync(ConfigReloader reloader, string root, string json)
    {
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnReloaded(bool applied) => done.TrySetResult(applied);
        reloader.Reloaded += OnReloaded;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(root, "drivers.json"), json);
            return await done.Task.WaitAsync(TimeSpan.FromSeconds(20));
        }
        finally
        {
            reloader.Reloaded -= OnReloaded;
        }
    }

    private static string Config(string data, string? other, string remark = "")
    {
        var second = other is null ? "" : ", { \"mount_path\": \"/other\", \"driver\": \"Local\", \"remark\": \"" + remark + "\", \"addition\": { \"root_folder_path\": " + JsonSerializer.Serialize(other) + " } }";
        return $$"""
            {
              "server": { "listen": "http://127.0.0.1:0", "dav_prefix": "/dav", "state": "sqlite:state.db" },
              "users": [],
              "storages": [
                { "mount_path": "/local", "driver": "Local", "addition": { "root_folder_path": {{JsonSerializer.Serialize(data)}} } }
                {{second}}
              ]
            }
            """;
    }
}
