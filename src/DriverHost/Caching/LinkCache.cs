using System.Collections.Concurrent;
using OpenList.DriverHost.Drivers;
using OpenList.DriverHost.Drivers.Capabilities;
using OpenList.DriverHost.Drivers.Diagnostics;

namespace OpenList.DriverHost.Caching;

/// <summary>
/// One mount's download links (openlist-compat.md §4.2): each is served while it has at least
/// <see cref="LinkLifetime.MinimumUsable"/> left before <see cref="LinkLifetime.UsableUntil"/>, concurrent requests for
/// one file share one upstream call, and links bound to a User-Agent are kept per User-Agent.
/// Writes through the host forget the links of what they touched; an index of cached paths by parent folder makes
/// that cost what the touched subtree holds, not what the whole mount holds (every write forgets).
/// </summary>
public sealed class LinkCache
{
    /// <summary>Entries kept per mount before expired ones are swept (a link is a few hundred bytes).</summary>
    public const int MaxEntries = 20_000;

    private readonly ConcurrentDictionary<string, CachedLink> _links = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<CachedLink>>> _loading = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    // The index, changed only under _gate (reads of _links stay lock-free). Invariant: a path is in its parent's
    // _children set exactly when it has keys in _keys or children of its own, so a subtree is reached from its top.
    private readonly Lock _gate = new();
    private readonly Dictionary<string, HashSet<string>> _keys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _children = new(StringComparer.Ordinal);

    public LinkCache(TimeProvider time) => _time = time;

    /// <summary>The cached link of <paramref name="path"/> for <paramref name="userAgent"/>, or a new one from <paramref name="fetch"/>.</summary>
    /// <param name="userAgent">Part of the key only when the driver binds links to it; null otherwise.</param>
    /// <param name="fresh">Ignore the cached link (the caller found it refused) and replace it.</param>
    public async Task<CachedLink> GetAsync(StoragePath path, string? userAgent, bool fresh, Func<CancellationToken, Task<StorageLink>> fetch, CancellationToken cancellationToken)
    {
        var key = Key(path, userAgent);
        if (fresh)
        {
            lock (_gate)
            {
                Remove(key);
            }
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
        lock (_gate)
        {
            if (path.IsRoot)
            {
                _links.Clear();
                _keys.Clear();
                _children.Clear();
                return;
            }

            var pending = new Stack<string>();
            pending.Push(path.Value);
            while (pending.TryPop(out var at))
            {
                if (_keys.Remove(at, out var keys))
                {
                    foreach (var key in keys)
                    {
                        _links.TryRemove(key, out _);
                    }
                }

                if (_children.Remove(at, out var children))
                {
                    foreach (var child in children)
                    {
                        pending.Push(child);
                    }
                }
            }

            Detach(path.Value);
        }
    }

    /// <summary>Number of links held (for tests and metrics).</summary>
    public int Count => _links.Count;

    /// <summary>Paths the index knows (links or folders above links); tests check that forgetting leaves none behind.</summary>
    internal int IndexedPaths
    {
        get
        {
            lock (_gate)
            {
                return _keys.Keys.Union(_children.Keys).Union(_children.Values.SelectMany(c => c)).Count();
            }
        }
    }

    private async Task<CachedLink> LoadAsync(string key, Func<CancellationToken, Task<StorageLink>> fetch)
    {
        try
        {
            // The shared load runs to completion even when the request that started it leaves: others wait on it.
            var link = await fetch(CancellationToken.None).ConfigureAwait(false);
            var now = _time.GetUtcNow();
            var cached = new CachedLink(link, LinkLifetime.UsableUntil(link, now));
            lock (_gate)
            {
                if (_links.Count >= MaxEntries)
                {
                    Sweep(now);
                }

                Add(key, cached);
            }

            return cached;
        }
        finally
        {
            _loading.TryRemove(key, out _);
        }
    }

    /// <summary>Caches <paramref name="link"/> under <paramref name="key"/> and indexes its path up to the root. Under _gate.</summary>
    private void Add(string key, CachedLink link)
    {
        _links[key] = link;
        var path = PathOf(key);
        if (!_keys.TryGetValue(path, out var keys))
        {
            _keys[path] = keys = new HashSet<string>(StringComparer.Ordinal);
        }

        keys.Add(key);
        for (var child = path; child != "/"; child = ParentOf(child))
        {
            var parent = ParentOf(child);
            if (!_children.TryGetValue(parent, out var children))
            {
                _children[parent] = children = new HashSet<string>(StringComparer.Ordinal);
            }

            if (!children.Add(child))
            {
                break; // the rest of the way up is indexed already
            }
        }
    }

    /// <summary>Drops one cached link and whatever index entries it alone kept. Under _gate.</summary>
    private void Remove(string key)
    {
        if (!_links.TryRemove(key, out _))
        {
            return;
        }

        var path = PathOf(key);
        if (_keys.TryGetValue(path, out var keys) && keys.Remove(key) && keys.Count == 0)
        {
            _keys.Remove(path);
            Detach(path);
        }
    }

    /// <summary>
    /// Unlinks <paramref name="path"/> from its parent once nothing is cached at or below it, and so on up while
    /// folders are left empty. Under _gate.
    /// </summary>
    private void Detach(string path)
    {
        while (path != "/" && !_keys.ContainsKey(path) && !_children.ContainsKey(path))
        {
            var parent = ParentOf(path);
            if (!_children.TryGetValue(parent, out var siblings) || !siblings.Remove(path) || siblings.Count > 0)
            {
                return;
            }

            _children.Remove(parent);
            path = parent;
        }
    }

    /// <summary>Drops the links too close to expiry, or all of them when that frees too little. Under _gate.</summary>
    private void Sweep(DateTimeOffset now)
    {
        foreach (var (key, link) in _links)
        {
            if (link.UsableFor(now) < LinkLifetime.MinimumUsable)
            {
                Remove(key);
            }
        }

        if (_links.Count >= MaxEntries)
        {
            _links.Clear();
            _keys.Clear();
            _children.Clear();
        }
    }

    private static string PathOf(string key)
    {
        var end = key.IndexOf('\n', StringComparison.Ordinal);
        return end < 0 ? key : key[..end];
    }

    private static string ParentOf(string path)
    {
        var i = path.LastIndexOf('/');
        return i <= 0 ? "/" : path[..i];
    }

    private static string Key(StoragePath path, string? userAgent) => userAgent is null ? path.Value : path.Value + "\n" + userAgent;
}

/// <summary>A link and until when the host hands it out.</summary>
public sealed record CachedLink(StorageLink Link, DateTimeOffset UsableUntil)
{
    public TimeSpan UsableFor(DateTimeOffset now) => UsableUntil - now;
}
