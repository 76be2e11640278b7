using OpenList.DriverHost.Drivers;
using OpenList.DriverHost.Drivers.Capabilities;
using OpenList.DriverHost.Drivers.Errors;
using OpenList.DriverHost.DriverHost.Tests.Functional;

namespace OpenList.DriverHost.DriverHost.Tests.Caching;

/// <summary>
/// A driver with server-side copy may refuse one copy with NotSupported (123 Open copies by instant upload and
/// cannot when the provider does not hold the content): the host then copies the bytes, as for a driver without it.
/// </summary>
public sealed class CopyFallbackTests : IAsyncLifetime
{
    private readonly MemoryDriverFactory _refusing = new("Memory Refusing Copy", new RefusingCopyDriver());
    private HostFixture _host = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        const string storages = """
            , { "mount_path": "/refusing", "driver": "Memory Refusing Copy", "cache_expiration": 30 }
            """;
        _host = await HostFixture.StartAsync(extraStorages: storages, drivers: MemoryDriverFactory.Registry(_refusing));
        _client = _host.Client();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_copy_the_driver_refuses_as_not_supported_is_done_by_streaming()
    {
        var driver = (RefusingCopyDriver)_refusing.Driver;
        driver.AddFile("/a/file.txt", "copied bytes");
        driver.AddFile("/a/tree/inner.txt", "inner");

        var file = await _client.SendAsync("COPY", "/dav/refusing/a/file.txt", null, ("Destination", "/dav/refusing/a/copy.txt"));
        var tree = await _client.SendAsync("COPY", "/dav/refusing/a/tree/", null, ("Destination", "/dav/refusing/a/tree2/"));

        Assert.Equal(201, (int)file.StatusCode);
        Assert.Equal(201, (int)tree.StatusCode);
        Assert.Equal(2, driver.RefusedCopies);
        Assert.Equal("copied bytes", await _client.GetStringAsync("/dav/refusing/a/copy.txt"));
        Assert.Equal("inner", await _client.GetStringAsync("/dav/refusing/a/tree2/inner.txt"));
    }

    private sealed class RefusingCopyDriver : MemoryDriver, IServerSideCopy
    {
        private int _refused;

        public int RefusedCopies => Volatile.Read(ref _refused);

        public Task<StorageEntry> CopyAsync(StoragePath source, StoragePath destination, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _refused);
            throw new StorageException(StorageErrorKind.NotSupported, "the provider cannot copy this on the server");
        }
    }
}
