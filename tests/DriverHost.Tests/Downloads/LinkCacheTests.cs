using OpenList.DriverHost.Caching;
using OpenList.DriverHost.DriverHost.Tests.AuthTests;
using OpenList.DriverHost.Drivers;
using OpenList.DriverHost.Drivers.Capabilities;

namespace OpenList.DriverHost.DriverHost.Tests.Downloads;

public sealed class LinkCacheTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly ManualTimeProvider _clock = new();
    private int _fetches;

    private Func<CancellationToken, Task<StorageLink>> Fetch(TimeSpan lifetime) => _ =>
    {
        var n = Interlocked.Increment(ref _fetches);
        return Task.FromResult(new StorageLink(new Uri($"https://cdn.example/{n}"), _clock.GetUtcNow() + lifetime));
    };

    [Fact]
    public void A_link_is_used_for_less_than_its_lifetime()
    {
        var now = _clock.GetUtcNow();
        Assert.Equal(now + TimeSpan.FromMinutes(235), LinkLifetime.UsableUntil(new StorageLink(new Uri("https://x/"), now + TimeSpan.FromHours(4)), now));
        Assert.Equal(now + TimeSpan.FromMinutes(1), LinkLifetime.UsableUntil(new StorageLink(new Uri("https://x/"), now + TimeSpan.FromMinutes(2)), now));
        Assert.Equal(now + LinkLifetime.UnknownExpiry, LinkLifetime.UsableUntil(new StorageLink(new Uri("https://x/"), null), now));
        Assert.Equal(now, LinkLifetime.UsableUntil(new StorageLink(new Uri("https://x/"), now - TimeSpan.FromSeconds(1)), now));
    }

    [Fact]
    public async Task A_cached_link_is_reused_until_too_little_of_it_is_left()
    {
        var cache = new LinkCache(_clock);
        var path = StoragePath.Parse("/a.mkv");
        var first = await cache.GetAsync(path, null, false, Fetch(TimeSpan.FromHours(4)), Ct);
        _clock.Advance(TimeSpan.FromMinutes(233));
        Assert.Same(first, await cache.GetAsync(path, null, false, Fetch(TimeSpan.FromHours(4)), Ct));
        Assert.Equal(TimeSpan.FromMinutes(2), first.UsableFor(_clock.GetUtcNow()));

        _clock.Advance(TimeSpan.FromMinutes(1.5));
        var second = await cache.GetAsync(path, null, false, Fetch(TimeSpan.FromHours(4)), Ct);
        Assert.NotSame(first, second);
        Assert.Equal(2, _fetches);
    }

    [Fact]
    public async Task Concurrent_requests_share_one_fetch_and_fresh_replaces_the_link()
    {
        var cache = new LinkCache(_clock);
        var path = StoragePath.Parse("/a.mkv");
        var gate = new TaskCompletionSource();
        Func<CancellationToken, Task<StorageLink>> slow = async ct =>
        {
            await gate.Task;
            return await Fetch(TimeSpan.FromHours(1))(ct);
        };
        var waiters = Enumerable.Range(0, 50).Select(_ => cache.GetAsync(path, null, false, slow, Ct)).ToList();
        gate.SetResult();
        var links = await Task.WhenAll(waiters);
        Assert.Equal(1, _fetches);
        Assert.All(links, l => Assert.Same(links[0], l));

        var fresh = await cache.GetAsync(path, null, true, Fetch(TimeSpan.FromHours(1)), Ct);
        Assert.NotEqual(links[0].Link.Url, fresh.Link.Url);
        Assert.Same(fresh, await cache.GetAsync(path, null, false, Fetch(TimeSpan.FromHours(1)), Ct));
    }

    [Fact]
    public async Task A_failed_fetch_is_not_cached()
    {
        var cache = new LinkCache(_clock);
        var path = StoragePath.Parse("/a.mkv");
        await Assert.ThrowsAsync<InvalidOperationException>(() => cache.GetAsync(path, null, false, _ => throw new InvalidOperationException("boom"), Ct));
        Assert.Equal(0, cache.Count);
        await cache.GetAsync(path, null, false, Fetch(TimeSpan.FromHours(1)), Ct);
        Assert.Equal(1, _fetches);
    }

    [Fact]
    public async Task Links_bound_to_a_User_Agent_are_kept_per_User_Agent_and_forget_drops_a_subtree()
    {
        var cache = new LinkCache(_clock);
        var a = await cache.GetAsync(StoragePath.Parse("/dir/a.mkv"), "VLC/3", false, Fetch(TimeSpan.FromHours(1)), Ct);
        var b = await cache.GetAsync(StoragePath.Parse("/dir/a.mkv"), "mpv", false, Fetch(TimeSpan.FromHours(1)), Ct);
        await cache.GetAsync(StoragePath.Parse("/dir2/c.mkv"), null, false, Fetch(TimeSpan.FromHours(1)), Ct);
        await cache.GetAsync(StoragePath.Parse("/dirx.mkv"), null, false, Fetch(TimeSpan.FromHours(1)), Ct);
        Assert.NotEqual(a.Link.Url, b.Link.Url);
        Assert.Equal(4, cache.Count);

        cache.Forget(StoragePath.Parse("/dir"));
        Assert.Equal(2, cache.Count);
        cache.Forget(StoragePath.Root);
        Assert.Equal(0, cache.Count);
    }
}
