using OpenList.DriverHost.Caching;
using OpenList.DriverHost.DriverHost.Tests.AuthTests;
using OpenList.DriverHost.Drivers;
using OpenList.DriverHost.Drivers.Capabilities;

namespace OpenList.DriverHost.DriverHost.Tests.Caching;

/// <summary>
/// <see cref="LinkCache.Forget"/> after a write: the path and its subtree lose their links, nothing else does, and the
/// index by parent folder that makes this cheap leaves nothing behind.
/// </summary>
public sealed class LinkCacheForgetTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly ManualTimeProvider _clock = new();
    private int _fetches;

    private Task<StorageLink> FetchAsync(CancellationToken cancellationToken)
    {
        var n = Interlocked.Increment(ref _fetches);
        return Task.FromResult(new StorageLink(new Uri($"https://cdn.example/{n}"), _clock.GetUtcNow() + TimeSpan.FromHours(4)));
    }

    private async Task<LinkCache> CacheWithAsync(params string[] paths)
    {
        var cache = new LinkCache(_clock);
        foreach (var path in paths)
        {
            await cache.GetAsync(StoragePath.Parse(path), null, false, FetchAsync, Ct);
        }

        return cache;
    }

    private async Task<bool> IsCachedAsync(LinkCache cache, string path, string? userAgent = null)
    {
        var before = _fetches;
        await cache.GetAsync(StoragePath.Parse(path), userAgent, false, FetchAsync, Ct);
        return _fetches == before;
    }

    [Fact]
    public async Task Forgetting_a_folder_drops_its_subtree_and_keeps_its_siblings()
    {
        var cache = await CacheWithAsync("/a/x.mkv", "/a/b/y.mkv", "/a/b/c/z.mkv", "/ab/w.mkv", "/a.mkv", "/other/v.mkv");

        cache.Forget(StoragePath.Parse("/a"));

        Assert.Equal(3, cache.Count);
        Assert.True(await IsCachedAsync(cache, "/ab/w.mkv")); // a name that merely starts like the folder stays
        Assert.True(await IsCachedAsync(cache, "/a.mkv"));
        Assert.True(await IsCachedAsync(cache, "/other/v.mkv"));
        Assert.False(await IsCachedAsync(cache, "/a/b/c/z.mkv"));
    }

    [Fact]
    public async Task Forgetting_a_file_drops_the_link_of_every_user_agent()
    {
        var cache = new LinkCache(_clock);
        var path = StoragePath.Parse("/movies/m.mkv");
        await cache.GetAsync(path, "VLC", false, FetchAsync, Ct);
        await cache.GetAsync(path, "mpv", false, FetchAsync, Ct);
        await cache.GetAsync(StoragePath.Parse("/movies/n.mkv"), "VLC", false, FetchAsync, Ct);

        cache.Forget(path);

        Assert.Equal(1, cache.Count);
        Assert.False(await IsCachedAsync(cache, "/movies/m.mkv", "VLC"));
        Assert.True(await IsCachedAsync(cache, "/movies/n.mkv", "VLC"));
    }

    [Fact]
    public async Task Forgetting_what_was_never_cached_changes_nothing()
    {
        var cache = await CacheWithAsync("/a/x.mkv");

        cache.Forget(StoragePath.Parse("/a/missing.mkv"));
        cache.Forget(StoragePath.Parse("/elsewhere"));

        Assert.Equal(1, cache.Count);
        Assert.True(await IsCachedAsync(cache, "/a/x.mkv"));
    }

    [Fact]
    public async Task Forgetting_the_root_drops_everything()
    {
        var cache = await CacheWithAsync("/a/x.mkv", "/b.mkv");

        cache.Forget(StoragePath.Root);

        Assert.Equal(0, cache.Count);
        Assert.Equal(0, cache.IndexedPaths);
    }

    [Fact]
    public async Task The_index_is_emptied_as_links_are_forgotten_or_replaced()
    {
        var cache = await CacheWithAsync("/a/b/c/x.mkv", "/a/b/y.mkv", "/d/z.mkv");
        await cache.GetAsync(StoragePath.Parse("/d/z.mkv"), null, fresh: true, FetchAsync, Ct); // replaced, still indexed once

        cache.Forget(StoragePath.Parse("/a/b/c/x.mkv"));
        cache.Forget(StoragePath.Parse("/a/b/y.mkv"));
        Assert.Equal(3, cache.IndexedPaths); // "/", "/d" and "/d/z.mkv" are all that is left

        cache.Forget(StoragePath.Parse("/d"));
        Assert.Equal(0, cache.Count);
        Assert.Equal(0, cache.IndexedPaths);
    }

    [Fact]
    public async Task A_path_forgotten_and_cached_again_is_forgotten_again()
    {
        var cache = await CacheWithAsync("/a/x.mkv");
        cache.Forget(StoragePath.Parse("/a"));
        await cache.GetAsync(StoragePath.Parse("/a/x.mkv"), null, false, FetchAsync, Ct);

        cache.Forget(StoragePath.Parse("/a"));

        Assert.Equal(0, cache.Count);
        Assert.Equal(0, cache.IndexedPaths);
    }

    [Fact]
    public async Task Forgetting_many_small_subtrees_of_a_large_mount_keeps_the_others()
    {
        // 2 000 folders of 5 links each; forgetting one folder's file at a time must leave exactly the rest.
        var cache = new LinkCache(_clock);
        for (var folder = 0; folder < 2000; folder++)
        {
            for (var file = 0; file < 5; file++)
            {
                await cache.GetAsync(StoragePath.Parse($"/f{folder}/{file}.bin"), null, false, FetchAsync, Ct);
            }
        }

        for (var folder = 0; folder < 2000; folder += 2)
        {
            cache.Forget(StoragePath.Parse($"/f{folder}/0.bin"));
            cache.Forget(StoragePath.Parse($"/f{folder + 1}"));
        }

        Assert.Equal(1000 * 4, cache.Count);
        Assert.True(await IsCachedAsync(cache, "/f10/4.bin"));
        Assert.False(await IsCachedAsync(cache, "/f10/0.bin"));
        Assert.False(await IsCachedAsync(cache, "/f11/4.bin"));
    }
}
