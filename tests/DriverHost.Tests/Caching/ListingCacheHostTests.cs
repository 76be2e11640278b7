using OpenList.DriverHost.DriverHost.Tests.Functional;

namespace OpenList.DriverHost.DriverHost.Tests.Caching;

/// <summary>
/// The listing cache on the real host: <c>/mem</c> (no server-side copy or move: stream fallbacks), <c>/fast</c>
/// (server-side copy and move), both cached for 30 minutes; <c>/nocache</c> with <c>cache_expiration</c> 0; and the
/// fixture's <c>/local</c>, whose record leaves <c>cache_expiration</c> at its default of 30.
/// </summary>
public sealed class ListingCacheHostTests : IAsyncLifetime
{
    private readonly MemoryDriverFactory _mem = new("Memory", new MemoryDriver());
    private readonly MemoryDriverFactory _fast = new("Memory ServerSide", new ServerSideMemoryDriver());
    private readonly MemoryDriverFactory _uncached = new("Memory Uncached", new MemoryDriver());
    private HostFixture _host = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        const string storages = """
            , { "mount_path": "/mem", "driver": "Memory", "cache_expiration": 30 }
            , { "mount_path": "/fast", "driver": "Memory ServerSide", "cache_expiration": 30 }
            , { "mount_path": "/nocache", "driver": "Memory Uncached", "cache_expiration": 0 }
            """;
        _host = await HostFixture.StartAsync(extraStorages: storages, drivers: MemoryDriverFactory.Registry(_mem, _fast, _uncached));
        _client = _host.Client();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Repeated_depth_1_propfinds_list_the_storage_once()
    {
        var driver = _mem.Driver;
        driver.AddFile("/d/a.txt");
        driver.AddFile("/d/b.txt");

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(["a.txt", "b.txt"], await NamesAsync("/dav/mem/d/"));
        }

        Assert.Equal(1, driver.ListCalls("/d"));
    }

    [Fact]
    public async Task Stats_inside_a_cached_folder_are_answered_from_its_listing()
    {
        var driver = _mem.Driver;
        driver.AddFile("/d/a.txt", "hello");
        await NamesAsync("/dav/mem/d/");
        var stats = driver.StatCalls;

        var found = await _client.SendAsync("PROPFIND", "/dav/mem/d/a.txt", Dav.Prop("getcontentlength"), ("Depth", "0"));
        var missing = await _client.SendAsync("PROPFIND", "/dav/mem/d/none.txt", Dav.Prop("getcontentlength"), ("Depth", "0"));

        Assert.Equal(207, (int)found.StatusCode);
        Assert.Equal("5", (await found.XmlAsync()).Descendants(Dav.D + "getcontentlength").Single().Value);
        Assert.Equal(404, (int)missing.StatusCode);
        Assert.Equal(stats, driver.StatCalls);
    }

    [Theory]
    [InlineData("mem")]
    [InlineData("fast")]
    public async Task Writes_through_the_host_show_in_the_next_propfind_without_a_reload(string mount)
    {
        var driver = mount == "mem" ? _mem.Driver : _fast.Driver;
        driver.AddFile("/d/old.txt");
        driver.AddFile("/d/keep.txt");
        driver.AddFile("/d/tree/t.txt");
        driver.AddFile("/e/e.txt");
        await NamesAsync($"/dav/{mount}/d/");
        await NamesAsync($"/dav/{mount}/d/tree/");
        await NamesAsync($"/dav/{mount}/e/");

        await _client.PutTextAsync($"/dav/{mount}/d/new.txt", "new");
        Assert.Contains("new.txt", await NamesAsync($"/dav/{mount}/d/"));

        await _client.MkcolAsync($"/dav/{mount}/d/sub/");
        Assert.Contains("sub", await NamesAsync($"/dav/{mount}/d/"));

        Assert.Equal(204, (int)(await _client.SendAsync("DELETE", $"/dav/{mount}/d/old.txt")).StatusCode);
        Assert.DoesNotContain("old.txt", await NamesAsync($"/dav/{mount}/d/"));

        Assert.Equal(201, (int)(await _client.SendAsync("MOVE", $"/dav/{mount}/d/keep.txt", null, ("Destination", $"/dav/{mount}/d/renamed.txt"))).StatusCode);
        Assert.Equal(201, (int)(await _client.SendAsync("MOVE", $"/dav/{mount}/d/new.txt", null, ("Destination", $"/dav/{mount}/e/new.txt"))).StatusCode);
        Assert.Equal(201, (int)(await _client.SendAsync("COPY", $"/dav/{mount}/d/renamed.txt", null, ("Destination", $"/dav/{mount}/e/copy.txt"))).StatusCode);
        Assert.Equal(201, (int)(await _client.SendAsync("COPY", $"/dav/{mount}/d/tree/", null, ("Destination", $"/dav/{mount}/e/tree2/"))).StatusCode);
        Assert.Equal(201, (int)(await _client.SendAsync("MOVE", $"/dav/{mount}/d/tree/", null, ("Destination", $"/dav/{mount}/e/tree3/"))).StatusCode);

        Assert.Equal(["renamed.txt", "sub"], await NamesAsync($"/dav/{mount}/d/"));
        Assert.Equal(["copy.txt", "e.txt", "new.txt", "tree2", "tree3"], await NamesAsync($"/dav/{mount}/e/"));
        Assert.Equal(404, (int)(await _client.SendAsync("PROPFIND", $"/dav/{mount}/d/tree/", null, ("Depth", "1"))).StatusCode);
        Assert.Equal(["t.txt"], await NamesAsync($"/dav/{mount}/e/tree3/"));

        // Served from the patched listings, which agree with the storage.
        Assert.Equal(1, driver.ListCalls("/d"));
        Assert.Equal(1, driver.ListCalls("/e"));
        Assert.Equal(driver.Names("/d").Order(StringComparer.Ordinal), await NamesAsync($"/dav/{mount}/d/"));
        Assert.Equal(driver.Names("/e").Order(StringComparer.Ordinal), await NamesAsync($"/dav/{mount}/e/"));
    }

    [Fact]
    public async Task A_failed_write_forgets_the_parent_listing_instead_of_guessing()
    {
        var driver = _mem.Driver;
        driver.AddFile("/d/a.txt");
        await NamesAsync("/dav/mem/d/");
        driver.PutFailure = new Drivers.Errors.StorageException(Drivers.Errors.StorageErrorKind.Unavailable, "the provider timed out after keeping the file");

        var put = await _client.PutAsync("/dav/mem/d/kept.txt", new StringContent("k"));

        Assert.Equal(503, (int)put.StatusCode);
        Assert.Equal(["a.txt", "kept.txt"], await NamesAsync("/dav/mem/d/"));
        Assert.Equal(2, driver.ListCalls("/d"));
    }

    [Theory]
    [InlineData("Cache-Control", "no-cache")]
    [InlineData("Pragma", "no-cache")]
    public async Task A_no_cache_propfind_reloads_from_the_storage(string header, string value)
    {
        var driver = _mem.Driver;
        driver.AddFile("/d/a.txt");
        await NamesAsync("/dav/mem/d/");
        driver.AddFile("/d/behind.txt"); // another client of the same drive

        Assert.Equal(["a.txt"], await NamesAsync("/dav/mem/d/"));
        Assert.Equal(404, (int)(await _client.SendAsync("PROPFIND", "/dav/mem/d/behind.txt", null, ("Depth", "0"))).StatusCode);

        Assert.Equal(["a.txt", "behind.txt"], await NamesAsync("/dav/mem/d/", (header, value)));
        Assert.Equal(2, driver.ListCalls("/d"));

        // The reloaded listing replaced the cached one.
        Assert.Equal(["a.txt", "behind.txt"], await NamesAsync("/dav/mem/d/"));
        Assert.Equal(207, (int)(await _client.SendAsync("PROPFIND", "/dav/mem/d/behind.txt", null, ("Depth", "0"))).StatusCode);
        Assert.Equal(2, driver.ListCalls("/d"));
    }

    [Fact]
    public async Task A_mount_with_cache_expiration_0_lists_the_storage_every_time()
    {
        _uncached.Driver.AddFile("/d/a.txt");

        await NamesAsync("/dav/nocache/d/");
        _uncached.Driver.AddFile("/d/b.txt");

        Assert.Equal(["a.txt", "b.txt"], await NamesAsync("/dav/nocache/d/"));
        Assert.Equal(2, _uncached.Driver.ListCalls("/d"));
    }

    [Fact]
    public async Task Local_mounts_are_never_cached()
    {
        Directory.CreateDirectory(Path.Combine(_host.Data, "dir"));
        await File.WriteAllTextAsync(Path.Combine(_host.Data, "dir", "a.txt"), "a");
        Assert.Equal(["a.txt"], await NamesAsync("/dav/local/dir/"));

        await File.WriteAllTextAsync(Path.Combine(_host.Data, "dir", "b.txt"), "b");

        Assert.Equal(["a.txt", "b.txt"], await NamesAsync("/dav/local/dir/"));
        Assert.Equal(207, (int)(await _client.SendAsync("PROPFIND", "/dav/local/dir/b.txt", null, ("Depth", "0"))).StatusCode);
    }

    /// <summary>The member names of a Depth 1 PROPFIND, sorted.</summary>
    private async Task<List<string>> NamesAsync(string collection, params (string Name, string Value)[] headers)
    {
        var response = await _client.SendAsync("PROPFIND", collection, null, [("Depth", "1"), .. headers]);
        Assert.Equal(207, (int)response.StatusCode);
        return (await response.XmlAsync()).Descendants(Dav.D + "href")
            .Select(h => h.Value.TrimEnd('/'))
            .Where(h => h != collection.TrimEnd('/'))
            .Select(h => Uri.UnescapeDataString(h[(h.LastIndexOf('/') + 1)..]))
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}
