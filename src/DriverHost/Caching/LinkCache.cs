using System.Collections.Concurrent;
using OpenList.DriverHost.Drivers;
using OpenList.DriverHost.Drivers.Capabilities;
using OpenList.DriverHost.Drivers.Diagnostics;

namespace OpenList.DriverHost.Caching;

/// <summary>
/// One mount's download links (openlist-compat.md §4.2): each is served while it has at least
/// <see cref="LinkLifetime.MinimumUsable"/> left before <see cref="LinkLifetime.UsableUntil"/>, concurrent requests for
/// one file share one upstream call, and links bound to a User-Agent are kept per User-Agent.
/// Writes through the host forget the links of what they touched.
/// </summary>
public sealed class LinkCache
{
    /// <summary>Entries kept per mount before expired ones are swept (a link is a few hundred bytes).</summary>
    public const int MaxEntries = 20_000;

    private readonly ConcurrentDictionary<string, CachedLink> _links = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<CachedLink>>> _loading = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    public LinkCache(TimeProvider time) => _time = time;

    /// <summary>The cached link of <paramref name="path"/> for <paramref name="userAgent"/>, or a new one from <paramref name="fetch"/>.</summary>
    /// <param name="userAgent">Part of the key only when the driver binds links to it; null otherwise.</param>
    /// <param name="fresh">Ignore the cached link (the caller found it refused) and replace it.</param>
    public async Task<CachedLink> GetAsync(StoragePath path, string? userAgent, bool fresh, Func<CancellationToken, Task<StorageLink>> fetch, CancellationToken cancellationToken)
    {
        var key = Key(path, userAgent);
        if (fresh)
        {
            _links.TryRemove(key, out _);
        }
        else if (_links.TryGetValue(key, out var cached) && cached.UsableFor(_time.GetUtcNow()) >= LinkLifetime.MinimumUsable)
        {
            DriverHostMetrics.Hit(DriverHostMetrics.LinkCache, hit: true);
            return cached;
        }

        DriverHostMetrics.Hit(DriverHostMetrics.LinkCache, hit: false);
        var load = _loading.GetOrAdd(key, k => new Lazy<Task<CachedLink>>(() => LoadAsync(k, fetch)));
        return await load.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Drops the links of <paramref name="path"/> and of everything below it.</summary>
    public void Forget(StoragePath path)
    {
        var prefix = path.IsRoot ? "/" : path.Value + "/";
        foreach (var key in _links.Keys)
        {
            var keyPath = key.Split('\n', 2)[0];
            if (keyPath == path.Value || keyPath.StartsWith(prefix, StringComparison.Ordinal))
            {
                _links.TryRemove(key, out _);
            }
        }
    }

    /// <summary>Number of links held (for tests and metrics).</summary>
    public int Count => _links.Count;

    private async Task<CachedLink> LoadAsync(string key, Func<CancellationToken, Task<StorageLink>> fetch)
    {
        try
        {
            // The shared load runs to completion even when the request that started it leaves: others wait on it.
            var link = await fetch(CancellationToken.None).ConfigureAwait(false);
            var now = _time.GetUtcNow();
            var cached = new CachedLink(link, LinkLifetime.UsableUntil(link, now));
            if (_links.Count >= MaxEntries)
            {
                Sweep(now);
            }

            _links[key] = cached;
            return cached;
        }
        finally
        {
            _loading.TryRemove(key, out _);
        }
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (key, link) in _links)
        {
            if (link.UsableFor(now) < LinkLifetime.MinimumUsable)
            {
                _links.TryRemove(key, out _);
            }
        }

        if (_links.Count >= MaxEntries)
        {
            _links.Clear();
        }
    }

    private static string Key(StoragePath path, string? userAgent) => userAgent is null ? path.Value : path.Value + "\n" + userAgent;
}

/// <summary>A link and until when the host hands it out.</summary>
public sealed record CachedLink(StorageLink Link, DateTimeOffset UsableUntil)
{
    public TimeSpan UsableFor(DateTimeOffset now) => UsableUntil - now;
}
