using System.Xml.Linq;
using OpenList.DriverHost.WebDav.Store;

namespace OpenList.DriverHost.WebDav.Locks;

/// <summary>
/// In-memory write locks (process-wide; lost on restart, which class 2 allows: clients re-lock). Expired locks
/// vanish on the next look-up; time comes from the injected <see cref="TimeProvider"/>.
/// </summary>
public sealed class LockManager
{
    private readonly Dictionary<string, DavLock> _byToken = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;

    public LockManager(TimeProvider time) => _time = time;

    /// <summary>Live locks that cover <paramref name="path"/> (on it, or depth-infinity on an ancestor).</summary>
    public IReadOnlyList<DavLock> Covering(DavPath path)
    {
        lock (_gate)
        {
            Prune();
            return _byToken.Values.Where(l => l.Covers(path)).ToList();
        }
    }

    /// <summary>Live locks rooted at <paramref name="path"/> or anywhere below it.</summary>
    public IReadOnlyList<DavLock> RootedAtOrBelow(DavPath path)
    {
        lock (_gate)
        {
            Prune();
            return _byToken.Values.Where(l => l.Root.IsSameOrUnder(path)).ToList();
        }
    }

    public DavLock? Find(string token)
    {
        lock (_gate)
        {
            Prune();
            return _byToken.GetValueOrDefault(token);
        }
    }

    /// <summary>Takes a lock, or returns the lock roots it conflicts with.</summary>
    public (DavLock? Lock, IReadOnlyList<DavLock> Conflicts) TryLock(DavPath path, bool infinite, bool exclusive, XElement? owner, string principal, TimeSpan timeout)
    {
        lock (_gate)
        {
            Prune();
            var conflicts = _byToken.Values
                .Where(l => l.Covers(path) || (infinite && l.Root.IsSameOrUnder(path)))
                .Where(l => exclusive || l.Exclusive)
                .ToList();
            if (conflicts.Count > 0)
            {
                return (null, conflicts);
            }

            var token = "opaquelocktoken:" + Guid.NewGuid().ToString("D");
            var created = new DavLock(token, path, infinite, exclusive, owner, principal, timeout, _time.GetUtcNow() + timeout);
            _byToken.Add(token, created);
            return (created, []);
        }
    }

    /// <summary>Extends a lock that covers <paramref name="path"/>; null when the token names no such lock.</summary>
    public DavLock? Refresh(string token, DavPath path, TimeSpan timeout)
    {
        lock (_gate)
        {
            Prune();
            if (!_byToken.TryGetValue(token, out var existing) || !existing.Covers(path))
            {
                return null;
            }

            var refreshed = existing with { Timeout = timeout, ExpiresAt = _time.GetUtcNow() + timeout };
            _byToken[token] = refreshed;
            return refreshed;
        }
    }

    /// <summary>Records that the lock <paramref name="token"/> created its resource (see <see cref="DavLock.CreatedResource"/>).</summary>
    public DavLock? MarkCreatedResource(string token)
    {
        lock (_gate)
        {
            if (!_byToken.TryGetValue(token, out var existing))
            {
                return null;
            }

            var marked = existing with { CreatedResource = true };
            _byToken[token] = marked;
            return marked;
        }
    }

    public bool Remove(string token)
    {
        lock (_gate)
        {
            return _byToken.Remove(token);
        }
    }

    /// <summary>Drops every lock rooted at or below <paramref name="path"/> (the resource was deleted or moved away).</summary>
    public void RemoveAtOrBelow(DavPath path)
    {
        lock (_gate)
        {
            foreach (var token in _byToken.Values.Where(l => l.Root.IsSameOrUnder(path)).Select(l => l.Token).ToList())
            {
                _byToken.Remove(token);
            }
        }
    }

    private void Prune()
    {
        var now = _time.GetUtcNow();
        if (_byToken.Count == 0)
        {
            return;
        }

        List<string>? expired = null;
        foreach (var l in _byToken.Values)
        {
            if (l.ExpiresAt <= now)
            {
                (expired ??= []).Add(l.Token);
            }
        }

        expired?.ForEach(t => _byToken.Remove(t));
    }
}
