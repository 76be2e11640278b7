using OpenList.DriverHost.Drivers;

namespace OpenList.DriverHost.Caching;

/// <summary>
/// One directory's children as the driver listed them, with a name index for stat lookups. Immutable: a write makes
/// a patched copy, so a PROPFIND enumerating a listing never sees half of a concurrent change.
/// </summary>
public sealed class CachedListing
{
    private readonly StorageEntry[] _children;
    private readonly Dictionary<string, int> _byName;

    internal CachedListing(StorageEntry[] children, DateTimeOffset expires, StringComparer names)
    {
        _children = children;
        Expires = expires;
        _byName = new Dictionary<string, int>(children.Length, names);
        for (var i = 0; i < children.Length; i++)
        {
            _byName.TryAdd(children[i].Name, i); // a provider may list a name twice; the first one is the one a path reaches
        }
    }

    /// <summary>The children in the driver's order.</summary>
    public IReadOnlyList<StorageEntry> Children => _children;

    /// <summary>When the listing stops being served (by the host's clock); patches keep the original time.</summary>
    public DateTimeOffset Expires { get; }

    /// <summary>The weight against the cache's size limit: one per child plus one for the listing itself.</summary>
    internal long Weight => _children.Length + 1;

    /// <summary>The child called <paramref name="name"/>, compared as the storage compares names; null when absent.</summary>
    public StorageEntry? Find(string name) => _byName.TryGetValue(name, out var i) ? _children[i] : null;

    /// <summary>A copy with <paramref name="entry"/> added, or replacing the child of the same name in place.</summary>
    internal CachedListing With(StorageEntry entry)
    {
        StorageEntry[] children;
        if (_byName.TryGetValue(entry.Name, out var i))
        {
            children = (StorageEntry[])_children.Clone();
            children[i] = entry;
        }
        else
        {
            children = [.. _children, entry];
        }

        return new CachedListing(children, Expires, (StringComparer)_byName.Comparer);
    }

    /// <summary>A copy without any child called <paramref name="name"/>; this listing when there is none.</summary>
    internal CachedListing Without(string name)
    {
        if (!_byName.ContainsKey(name))
        {
            return this;
        }

        var names = _byName.Comparer;
        return new CachedListing(_children.Where(c => !names.Equals(c.Name, name)).ToArray(), Expires, (StringComparer)names);
    }
}
