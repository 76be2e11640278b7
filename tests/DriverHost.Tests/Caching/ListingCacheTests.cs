using Microsoft.Extensions.Logging.Abstractions;
using OpenList.DriverHost.Caching;
using OpenList.DriverHost.DriverHost.Tests.AuthTests;
using OpenList.DriverHost.Drivers;
using OpenList.DriverHost.Drivers.Errors;

namespace OpenList.DriverHost.DriverHost.Tests.Caching;

/// <summary>The listing cache against a counting in-memory driver and a manual clock (DESIGN.md §7, openlist-compat §4.1, §4.4).</summary>
public sealed class ListingCacheTests : IDisposable
{
    private static readonly TimeSpan ThirtyMinutes = TimeSpan.FromMinutes(30);
    private readonly ManualTimeProvider _clock = new();
    private readonly MemoryDriver _driver = new();
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(30));
    private ListingCache? _cache;

    private CancellationToken Ct => _timeout.Token;

    public void Dispose()
    {
        _cache?.Dispose();
        _timeout.Dispose();
    }

    [Fact]
    public async Task A_listing_is_served_from_the_cache_until_cache_expiration_passes()
    {
        _driver.AddFile("/d/a.txt");
        var mount = Mount(ThirtyMinutes);

        await mount.GetAsync(P("/d"), reload: false, Ct);
        await mount.GetAsync(P("/d"), reload: false, Ct);
        Assert.Equal(1, _driver.ListCalls("/d"));

        _clock.Advance(TimeSpan.FromMinutes(29));
        await mount.GetAsync(P("/d"), reload: false, Ct);
        Assert.Equal(1, _driver.ListCalls("/d"));

        _clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        Assert.Null(mount.Peek(P("/d")));
        await mount.GetAsync(P("/d"), reload: false, Ct);
        Assert.Equal(2, _driver.ListCalls("/d"));
    }

    [Theory]
    [InlineData(0, true)] // cache_expiration 0
    [InlineData(30, false)] // the driver opts out (Local)
    public async Task Without_caching_every_request_lists_the_storage(int minutes, bool driverCaches)
    {
        var driver = new MemoryDriver { Capabilities = new() { CacheListings = driverCaches } };
        driver.AddFile("/d/a.txt");
        var mount = Cache().ForMount("/m", driver, TimeSpan.FromMinutes(minutes));

        Assert.False(mount.Enabled);
        await mount.GetAsync(P("/d"), reload: false, Ct);
        await mount.GetAsync(P("/d"), reload: false, Ct);
        mount.Upsert(new StorageEntry(P("/d/b.txt"), false, 1, DateTimeOffset.UnixEpoch));

        Assert.Equal(2, driver.ListCalls("/d"));
        Assert.Null(mount.Peek(P("/d")));
    }

    [Fact]
    public async Task A_hundred_concurrent_requests_make_one_upstream_listing()
    {
        _driver.AddFile("/d/a.txt");
        _driver.AddFile("/d/b.txt");
        _driver.ListGate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        var mount = Mount(ThirtyMinutes);

        var requests = Enumerable.Range(0, 100).Select(_ => Task.Run(() => mount.GetAsync(P("/d"), reload: false, Ct))).ToList();
        await _driver.ListStarted.Task.WaitAsync(Ct);
        await Task.Delay(50, Ct); // let the stragglers join while the load is held
        _driver.ListGate.SetResult();
        var listings = await Task.WhenAll(requests);

        Assert.Equal(1, _driver.ListCalls("/d"));
        Assert.All(listings, l => Assert.Same(listings[0], l));
        Assert.Equal(["a.txt", "b.txt"], listings[0].Children.Select(c => c.Name));
    }

    [Fact]
    public async Task A_failed_load_is_shared_by_its_waiters_and_not_cached()
    {
        _driver.AddFile("/d/a.txt");
        var failure = new StorageException(StorageErrorKind.Unavailable, "upstream is down");
        _driver.ListFailure = failure;
        _driver.ListGate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        var mount = Mount(ThirtyMinutes);

        var requests = Enumerable.Range(0, 10).Select(_ => mount.GetAsync(P("/d"), reload: false, Ct)).ToList();
        await _driver.ListStarted.Task.WaitAsync(Ct);
        _driver.ListGate.SetResult();
        foreach (var request in requests)
        {
            Assert.Same(failure, await Assert.ThrowsAsync<StorageException>(() => request));
        }

        Assert.Equal(1, _driver.ListCalls("/d"));
        Assert.Null(mount.Peek(P("/d")));

        _driver.ListFailure = null;
        var listing = await mount.GetAsync(P("/d"), reload: false, Ct);
        Assert.Equal(2, _driver.ListCalls("/d"));
        Assert.NotNull(listing.Find("a.txt"));
    }

    [Theory]
    [InlineData(10, 3)] // two listings of weight 6 do not fit: the second is refused and listed again
    [InlineData(1000, 2)]
    public async Task The_size_limit_bounds_what_is_kept(long sizeLimit, int expectedLists)
    {
        for (var i = 0; i < 5; i++)
        {
            _driver.AddFile($"/a/{i}.txt");
            _driver.AddFile($"/b/{i}.txt");
        }

        var mount = Cache(sizeLimit).ForMount("/m", _driver, ThirtyMinutes);
        foreach (var dir in new[] { "/a", "/b", "/a", "/b" })
        {
            var listing = await mount.GetAsync(P(dir), reload: false, Ct);
            Assert.Equal(5, listing.Children.Count);
        }

        Assert.Equal(expectedLists, _driver.TotalListCalls);
    }

    [Fact]
    public async Task Removing_a_directory_drops_its_cached_subtree_and_nothing_else()
    {
        _driver.AddFile("/a/b/c/f.txt");
        _driver.AddFile("/a/b/g.txt");
        _driver.AddFile("/a/x.txt");
        _driver.AddFile("/ab/y.txt");
        var mount = Mount(ThirtyMinutes);
        foreach (var dir in new[] { "/a", "/a/b", "/a/b/c", "/ab" })
        {
            await mount.GetAsync(P(dir), reload: false, Ct);
        }

        mount.Remove(P("/a/b"));

        var a = Assert.IsType<CachedListing>(mount.Peek(P("/a")));
        Assert.Null(a.Find("b"));
        Assert.NotNull(a.Find("x.txt"));
        Assert.Null(mount.Peek(P("/a/b")));
        Assert.Null(mount.Peek(P("/a/b/c")));
        Assert.NotNull(mount.Peek(P("/ab")));
    }

    [Fact]
    public async Task A_cancelled_waiter_does_not_fail_the_others()
    {
        _driver.AddFile("/d/a.txt");
        _driver.ListGate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        var mount = Mount(ThirtyMinutes);
        using var leaving = new CancellationTokenSource();

        var first = mount.GetAsync(P("/d"), reload: false, leaving.Token);
        var second = mount.GetAsync(P("/d"), reload: false, Ct);
        await _driver.ListStarted.Task.WaitAsync(Ct);
        await leaving.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        Assert.False(_driver.LastListToken.IsCancellationRequested);
        _driver.ListGate.SetResult();
        var listing = await second;
        Assert.NotNull(listing.Find("a.txt"));
        Assert.Equal(1, _driver.ListCalls("/d"));
        Assert.NotNull(mount.Peek(P("/d")));
    }

    [Fact]
    public async Task The_load_is_cancelled_once_every_waiter_has_left_and_the_next_request_starts_afresh()
    {
        _driver.AddFile("/d/a.txt");
        _driver.ListGate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        var mount = Mount(ThirtyMinutes);
        using var leaving = new CancellationTokenSource();

        var only = mount.GetAsync(P("/d"), reload: false, leaving.Token);
        await _driver.ListStarted.Task.WaitAsync(Ct);
        await leaving.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => only);
        Assert.True(_driver.LastListToken.IsCancellationRequested);

        _driver.ListGate = null;
        var listing = await mount.GetAsync(P("/d"), reload: false, Ct);
        Assert.NotNull(listing.Find("a.txt"));
        Assert.Equal(2, _driver.ListCalls("/d"));
    }

    [Fact]
    public async Task A_load_overlapping_a_write_to_its_folder_is_answered_but_not_cached()
    {
        _driver.AddFile("/d/a.txt");
        _driver.ListGate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        var mount = Mount(ThirtyMinutes);

        var load = mount.GetAsync(P("/d"), reload: false, Ct);
        await _driver.ListStarted.Task.WaitAsync(Ct);
        mount.Upsert(new StorageEntry(P("/d/new.txt"), false, 1, DateTimeOffset.UnixEpoch)); // a PUT finished meanwhile
        _driver.ListGate.SetResult();
        Assert.NotNull((await load).Find("a.txt"));

        Assert.Null(mount.Peek(P("/d")));
    }

    [Fact]
    public async Task Writes_patch_cached_listings_and_never_make_one_up()
    {
        _driver.AddFile("/d/a.txt");
        var mount = Mount(ThirtyMinutes);
        var added = new StorageEntry(P("/d/new.txt"), false, 3, DateTimeOffset.UnixEpoch);

        mount.Upsert(added);
        Assert.Null(mount.Peek(P("/d")));

        await mount.GetAsync(P("/d"), reload: false, Ct);
        mount.Upsert(added);
        Assert.Equal(["a.txt", "new.txt"], mount.Peek(P("/d"))!.Children.Select(c => c.Name));

        mount.Upsert(added with { Size = 9 });
        Assert.Equal(9, mount.Peek(P("/d"))!.Find("new.txt")!.Size);
        Assert.Equal(2, mount.Peek(P("/d"))!.Children.Count);

        mount.Remove(P("/d/a.txt"));
        Assert.Equal(["new.txt"], mount.Peek(P("/d"))!.Children.Select(c => c.Name));

        mount.Invalidate(P("/d"));
        Assert.Null(mount.Peek(P("/d")));
        Assert.Equal(1, _driver.ListCalls("/d"));
    }

    [Fact]
    public async Task A_reload_replaces_the_cached_listing()
    {
        _driver.AddFile("/d/a.txt");
        var mount = Mount(ThirtyMinutes);
        await mount.GetAsync(P("/d"), reload: false, Ct);
        _driver.AddFile("/d/late.txt");

        Assert.Null((await mount.GetAsync(P("/d"), reload: false, Ct)).Find("late.txt"));
        Assert.NotNull((await mount.GetAsync(P("/d"), reload: true, Ct)).Find("late.txt"));
        Assert.NotNull((await mount.GetAsync(P("/d"), reload: false, Ct)).Find("late.txt"));
        Assert.Equal(2, _driver.ListCalls("/d"));
    }

    [Fact]
    public async Task Empty_listings_are_not_cached()
    {
        // OpenList asks again for an empty folder every time (openlist-compat §4.1).
        _driver.AddDirectory("/empty");
        var mount = Mount(ThirtyMinutes);

        await mount.GetAsync(P("/empty"), reload: false, Ct);
        await mount.GetAsync(P("/empty"), reload: false, Ct);

        Assert.Equal(2, _driver.ListCalls("/empty"));
    }

    [Fact]
    public async Task A_case_insensitive_storage_shares_one_listing_between_spellings()
    {
        var driver = new MemoryDriver { Capabilities = new() { CaseInsensitive = true } };
        driver.AddFile("/Docs/Read.Me");
        var mount = Cache().ForMount("/m", driver, ThirtyMinutes);

        await mount.GetAsync(P("/Docs"), reload: false, Ct);

        Assert.NotNull(mount.Peek(P("/DOCS"))?.Find("read.me"));
        mount.Remove(P("/docs/READ.ME"));
        Assert.Empty(mount.Peek(P("/Docs"))!.Children);
    }

    private static StoragePath P(string path) => StoragePath.Parse(path);

    private ListingCache Cache(long sizeLimit = ListingCache.DefaultSizeLimit) => _cache ??= new ListingCache(_clock, NullLoggerFactory.Instance, sizeLimit);

    private MountListingCache Mount(TimeSpan expiration) => Cache().ForMount("/m", _driver, expiration);
}
