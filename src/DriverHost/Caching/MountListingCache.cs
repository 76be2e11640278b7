using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OpenList.DriverHost.Drivers;
using OpenList.DriverHost.Drivers.Diagnostics;

namespace OpenList.DriverHost.Caching;

/// <summary>
/// One mount's directory listings (<c>specs/openlist-compat.md</c> §4.1): served for the storage's
/// <c>cache_expiration</c>, loaded once however many requests wait (§4.4), and patched by the host's own writes so a
/// PROPFIND after a PUT, MKCOL, DELETE, MOVE or COPY never shows the old state. Only listings already cached are
/// patched: a listing is never made up from the few entries a write knows about.
/// </summary>
/// <remarks>
/// A load that overlaps a write to its directory may have read the storage before the write; its result still
/// answers the requests that waited for it, but it is not cached.
/// </remarks>
public sealed class MountListingCache
{
    private readonly ListingCache? _cache;
    private readonly IStorageDriver _driver;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly bool _caseInsensitive;
    private readonly StringComparer _names;
    private readonly SingleFlight<string, CachedListing> _loads = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Loads running now, by directory key; guarded by <see cref="_gate"/>.</summary>
    private readonly Dictionary<string, LoadTicket> _loading = new(StringComparer.Ordinal);

    internal MountListingCache(ListingCache? cache, string mountPath, IStorageDriver driver, TimeSpan expiration)
    {
        var capabilities = driver.Capabilities;
        _cache = expiration > TimeSpan.Zero && capabilities.CacheListings ? cache : null;
        _driver = driver;
        _time = cache?.Time ?? TimeProvider.System;
        _logger = cache?.Logger ?? NullLogger.Instance;
        _caseInsensitive = capabilities.CaseInsensitive;
        _names = _caseInsensitive ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
        MountPath = mountPath;
        Expiration = expiration;
    }

    /// <summary>A view that caches nothing: every listing goes to the driver.</summary>
    public static MountListingCache Uncached(string mountPath, IStorageDriver driver) => new(null, mountPath, driver, TimeSpan.Zero);

    public string MountPath { get; }

    public TimeSpan Expiration { get; }

    /// <summary>False when the storage's <c>cache_expiration</c> is 0 or its driver declares <c>CacheListings</c> false.</summary>
    public bool Enabled => _cache is not null;

    /// <summary>The cached, unexpired listing of <paramref name="directory"/>, or null; never calls the driver.</summary>
    public CachedListing? Peek(StoragePath directory) => _cache?.Get(Key(directory));

    /// <summary>
    /// The listing of <paramref name="directory"/>: the cached one, or one loaded now (joining a load already
    /// running). <paramref name="reload"/> skips the cached one, and the loaded listing replaces it.
    /// Driver errors (<see cref="Drivers.Errors.StorageException"/>) are passed on to every waiter and not cached.
    /// </summary>
    public Task<CachedListing> GetAsync(StoragePath directory, bool reload, CancellationToken cancellationToken)
    {
        if (!reload && Peek(directory) is { } cached)
        {
            DriverHostMetrics.Hit(DriverHostMetrics.ListingCache, hit: true);
            return Task.FromResult(cached);
        }

        if (Enabled)
        {
            DriverHostMetrics.Hit(DriverHostMetrics.ListingCache, hit: false);
        }

        var key = DirectoryKey(directory);
        return _loads.RunAsync(key, token => LoadAsync(directory, key, reload, token), cancellationToken);
    }

    /// <summary>Records a created or changed entry in its parent's listing, when that listing is cached.</summary>
    public void Upsert(StorageEntry entry)
    {
        if (_cache is null || entry.Path.IsRoot)
        {
            return;
        }

        var parent = DirectoryKey(entry.Path.Parent);
        lock (_gate)
        {
            MarkLoadsStale(parent, subtree: false);
            Patch(parent, listing => listing.With(entry));
        }
    }

    /// <summary>Records that <paramref name="path"/> is gone: out of its parent's listing, and no listing of it or below it is kept.</summary>
    public void Remove(StoragePath path)
    {
        if (_cache is null)
        {
            return;
        }

        lock (_gate)
        {
            if (!path.IsRoot)
            {
                var parent = DirectoryKey(path.Parent);
                MarkLoadsStale(parent, subtree: false);
                Patch(parent, listing => listing.Without(path.Name));
            }

            DropTreeLocked(DirectoryKey(path));
        }
    }

    /// <summary>Forgets the listings of <paramref name="path"/> and of every directory below it.</summary>
    public void DropTree(StoragePath path)
    {
        if (_cache is null)
        {
            return;
        }

        lock (_gate)
        {
            DropTreeLocked(DirectoryKey(path));
        }
    }

    /// <summary>Forgets the listing of <paramref name="directory"/> (after a failed write, whose effect is unknown).</summary>
    public void Invalidate(StoragePath directory)
    {
        if (_cache is null)
        {
            return;
        }

        var key = DirectoryKey(directory);
        lock (_gate)
        {
            MarkLoadsStale(key, subtree: false);
            _cache.Remove(new ListingKey(this, key));
        }
    }

    private async Task<CachedListing> LoadAsync(StoragePath directory, string key, bool reload, CancellationToken cancellationToken)
    {
        if (!reload && Peek(directory) is { } cached)
        {
            return cached; // stored by a load that ended between this caller's miss and the start of this load
        }

        var ticket = new LoadTicket();
        lock (_gate)
        {
            _loading[key] = ticket;
        }

        try
        {
            // The expiry counts from the start: the listing is as old as the first page read.
            var expires = _time.GetUtcNow() + Expiration;
            var started = _time.GetTimestamp();
            var children = new List<StorageEntry>();
            await foreach (var entry in _driver.ListAsync(directory, cancellationToken).ConfigureAwait(false))
            {
                children.Add(entry);
            }

            var listing = new CachedListing([.. children], expires, _names);
            Store(key, ticket, listing);
            ListingCacheLog.Listed(_logger, MountPath, directory.Value, children.Count, _time.GetElapsedTime(started).TotalMilliseconds);
            return listing;
        }
        finally
        {
            lock (_gate)
            {
                if (_loading.TryGetValue(key, out var current) && current == ticket)
                {
                    _loading.Remove(key);
                }
            }
        }
    }

    private void Store(string key, LoadTicket ticket, CachedListing listing)
    {
        if (_cache is null)
        {
            return;
        }

        lock (_gate)
        {
            if (ticket.Stale)
            {
                ListingCacheLog.NotStored(_logger, MountPath, key);
                return;
            }

            if (listing.Children.Count == 0)
            {
                // As OpenList: an empty folder is always asked again (another client may be filling it), and listings
                // below it are certainly out of date.
                DropTreeLocked(key);
                return;
            }

            _cache.Set(new ListingKey(this, key), listing);
        }
    }

    private void Patch(string key, Func<CachedListing, CachedListing> change)
    {
        var listingKey = new ListingKey(this, key);
        if (_cache!.Get(listingKey) is { } listing)
        {
            _cache.Set(listingKey, change(listing));
        }
    }

    private void DropTreeLocked(string key)
    {
        MarkLoadsStale(key, subtree: true);
        _cache!.RemoveWhere(k => k.Mount == this && IsSameOrUnder(k.Directory, key));
    }

    private void MarkLoadsStale(string key, bool subtree)
    {
        foreach (var (loading, ticket) in _loading)
        {
            if (loading == key || (subtree && IsSameOrUnder(loading, key)))
            {
                ticket.Stale = true;
            }
        }
    }

    private ListingKey Key(StoragePath directory) => new(this, DirectoryKey(directory));

    // Case-insensitive storages see /A and /a as one folder, so they share one listing.
    private string DirectoryKey(StoragePath directory) => _caseInsensitive ? directory.Value.ToUpperInvariant() : directory.Value;

    private static bool IsSameOrUnder(string directory, string ancestor) =>
        ancestor == "/" || directory == ancestor || directory.StartsWith(ancestor + "/", StringComparison.Ordinal);

    /// <summary>One running load; a write to its directory marks it stale so its result is not cached.</summary>
    private sealed class LoadTicket
    {
        public bool Stale { get; set; }
    }
}
