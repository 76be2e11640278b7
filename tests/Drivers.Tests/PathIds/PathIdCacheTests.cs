using OpenList.DriverHost.Drivers.Errors;
using OpenList.DriverHost.Drivers.PathIds;

namespace OpenList.DriverHost.Drivers.Tests.PathIds;

public sealed class PathIdCacheTests
{
    private readonly Dictionary<(string Parent, string Name), CloudNode> _tree = new()
    {
        [("root", "a")] = new("id-a", true),
        [("id-a", "b")] = new("id-b", true),
        [("id-b", "f.txt")] = new("id-f", false),
    };

    private readonly List<(string, string)> _lookups = [];

    private PathIdCache Create() => new("root", (parent, name, _) =>
    {
        _lookups.Add((parent.Id, name));
        return Task.FromResult(_tree.GetValueOrDefault((parent.Id, name)));
    });

    [Fact]
    public async Task Resolves_segment_by_segment_once_then_from_memory()
    {
        var cache = Create();
        Assert.Equal("id-f", (await cache.ResolveAsync(StoragePath.Parse("/a/b/f.txt"), CancellationToken.None)).Id);
        Assert.Equal(3, _lookups.Count);
        Assert.Equal("id-b", (await cache.ResolveAsync(StoragePath.Parse("/a/b"), CancellationToken.None)).Id);
        Assert.Equal(3, _lookups.Count);
        Assert.Same(cache.Root, await cache.ResolveAsync(StoragePath.Root, CancellationToken.None));
    }

    [Fact]
    public async Task A_file_in_the_middle_of_a_path_means_not_found()
    {
        var cache = Create();
        Assert.Null(await cache.TryResolveAsync(StoragePath.Parse("/a/b/f.txt/x"), CancellationToken.None));
        var ex = await Assert.ThrowsAsync<StorageException>(() => cache.ResolveAsync(StoragePath.Parse("/nope"), CancellationToken.None));
        Assert.Equal(StorageErrorKind.NotFound, ex.Kind);
        var isFile = await Assert.ThrowsAsync<StorageException>(() => cache.ResolveDirectoryAsync(StoragePath.Parse("/a/b/f.txt"), CancellationToken.None));
        Assert.Equal(StorageErrorKind.IsFile, isFile.Kind);
    }

    [Fact]
    public async Task Forget_drops_the_subtree_but_not_siblings_with_a_common_prefix()
    {
        var cache = Create();
        cache.Remember(StoragePath.Parse("/a/b2"), new CloudNode("id-b2", true));
        await cache.ResolveAsync(StoragePath.Parse("/a/b/f.txt"), CancellationToken.None);
        cache.Forget(StoragePath.Parse("/a/b"));
        _lookups.Clear();
        Assert.Equal("id-b2", (await cache.ResolveAsync(StoragePath.Parse("/a/b2"), CancellationToken.None)).Id);
        Assert.Empty(_lookups);
        await cache.ResolveAsync(StoragePath.Parse("/a/b/f.txt"), CancellationToken.None);
        Assert.Equal([("id-a", "b"), ("id-b", "f.txt")], _lookups);
    }

    [Fact]
    public async Task Concurrent_lookups_of_one_path_share_one_upstream_lookup_and_a_cancelled_caller_does_not_fail_the_rest()
    {
        var gate = new TaskCompletionSource();
        var calls = 0;
        var cache = new PathIdCache("root", async (parent, name, _) =>
        {
            Interlocked.Increment(ref calls);
            await gate.Task;
            return _tree.GetValueOrDefault((parent.Id, name));
        });
        using var leaving = new CancellationTokenSource();
        var first = cache.ResolveAsync(StoragePath.Parse("/a"), leaving.Token);
        var others = Enumerable.Range(0, 20).Select(_ => cache.ResolveAsync(StoragePath.Parse("/a"), CancellationToken.None)).ToList();
        await leaving.CancelAsync();
        gate.SetResult();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        Assert.All(await Task.WhenAll(others), n => Assert.Equal("id-a", n.Id));
        Assert.Equal(1, calls);
    }
}
