using OpenList.DriverHost.DriverHost.Tests.Functional;

namespace OpenList.DriverHost.DriverHost.Tests.Caching;

/// <summary>
/// rclone (vendor owncloud, nextcloud, rclone) sends <c>X-OC-Mtime</c> with every PUT and trusts an answer of
/// <c>X-OC-Mtime: accepted</c> as "the file now has that time". A storage that keeps its own upload time (every cloud
/// drive) must not be claimed to have accepted it.
/// </summary>
public sealed class OcMtimeTests : IAsyncLifetime
{
    private readonly MemoryDriverFactory _keeping = new("Memory Keeping Mtime", new MemoryDriver());
    private readonly MemoryDriverFactory _ignoring = new("Memory Ignoring Mtime", new MemoryDriver { IgnoresClientModTime = true });
    private HostFixture _host = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        const string storages = """
            , { "mount_path": "/keeping", "driver": "Memory Keeping Mtime", "cache_expiration": 30 }
            , { "mount_path": "/ignoring", "driver": "Memory Ignoring Mtime", "cache_expiration": 30 }
            """;
        _host = await HostFixture.StartAsync(extraStorages: storages, drivers: MemoryDriverFactory.Registry(_keeping, _ignoring));
        _client = _host.Client();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("1600000000")]
    [InlineData("1600000000.25")]
    public async Task A_kept_mtime_is_acknowledged(string mtime)
    {
        var response = await _client.SendAsync("PUT", "/dav/keeping/kept.txt", "k", ("X-OC-Mtime", mtime));

        Assert.Equal(201, (int)response.StatusCode);
        Assert.Equal("accepted", response.Headers.GetValues("X-OC-Mtime").Single());
        var propfind = await _client.SendAsync("PROPFIND", "/dav/keeping/kept.txt", null, ("Depth", "0"));
        Assert.Contains("Sun, 13 Sep 2020 12:26:40 GMT", await propfind.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_mtime_the_storage_does_not_keep_is_not_acknowledged()
    {
        var response = await _client.SendAsync("PUT", "/dav/ignoring/lost.txt", "l", ("X-OC-Mtime", "1600000000"));

        Assert.Equal(201, (int)response.StatusCode);
        Assert.False(response.Headers.Contains("X-OC-Mtime"));
        Assert.Equal("l", await _client.GetStringAsync("/dav/ignoring/lost.txt"));
    }
}
