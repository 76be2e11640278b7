using OpenList.DriverHost.Drivers.Errors;

namespace OpenList.DriverHost.Drivers.PathIds;

/// <summary>What a folder holds under one name.</summary>
/// <param name="Visible">The entry the driver shows, or null when the name is free.</param>
/// <param name="All">Every entry of that name (only complete when asked for).</param>
internal sealed record NameLookup<T>(T? Visible, List<T> All)
    where T : class;

/// <summary>
/// The rule for clouds that let one folder hold several entries of the same name (Aliyundrive Open, 115): the driver
/// shows one per name everywhere (listing, stat, reads), the most recently updated within the first page where the
/// name appears, so a name never flips between entries as later pages arrive. Writes still see every entry.
/// </summary>
internal static class SameNames
{
    /// <summary>
    /// One entry per name among <paramref name="items"/> (the newest of the page), leaving out names already shown
    /// from earlier pages and names that are not valid paths.
    /// </summary>
    /// <param name="timeOf">When an entry was last updated; the later one is shown.</param>
    /// <param name="hidden">Told why an entry with an invalid name is left out (listings log it; lookups pass null).</param>
    /// <param name="collapsed">Told of each name that stood for more than one entry, with the count.</param>
    public static List<T> Collapse<T>(
        IEnumerable<T> items,
        Func<T, string> nameOf,
        Func<T, DateTimeOffset> timeOf,
        HashSet<string> shown,
        Action<string>? hidden = null,
        Action<string, int>? collapsed = null)
    {
        var result = new List<T>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            var name = nameOf(item);
            if (!StoragePath.IsValidName(name, out var reason))
            {
                hidden?.Invoke(reason);
                continue;
            }

            if (shown.Contains(name))
            {
                continue;
            }

            counts[name] = counts.GetValueOrDefault(name) + 1;
            if (index.TryGetValue(name, out var at))
            {
                if (timeOf(item) > timeOf(result[at]))
                {
                    result[at] = item;
                }
            }
            else
            {
                index[name] = result.Count;
                result.Add(item);
            }
        }

        foreach (var (name, count) in counts)
        {
            shown.Add(name);
            if (count > 1)
            {
                collapsed?.Invoke(name, count);
            }
        }

        return result;
    }

    /// <summary>
    /// Scans a folder's <paramref name="pages"/> for <paramref name="name"/>; stops at the visible entry unless every
    /// same-named entry is wanted (a delete or an overwrite must reach them all).
    /// </summary>
    public static async Task<NameLookup<T>> ScanAsync<T>(
        IAsyncEnumerable<List<T>> pages,
        string name,
        Func<T, string> nameOf,
        Func<T, DateTimeOffset> timeOf,
        bool wantAll,
        CancellationToken cancellationToken)
        where T : class
    {
        var shown = new HashSet<string>(StringComparer.Ordinal);
        T? visible = null;
        var all = new List<T>();
        await foreach (var page in pages.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            visible ??= Collapse(page, nameOf, timeOf, shown).FirstOrDefault(f => nameOf(f) == name);
            all.AddRange(page.Where(f => nameOf(f) == name));
            if (visible is not null && !wantAll)
            {
                break;
            }
        }

        return new NameLookup<T>(visible, all);
    }

    /// <summary>
    /// Removes every entry of a name, or an older one would take the removed one's place. An entry that is gone
    /// meanwhile (NotFound) is skipped; NotFound when none was there to remove.
    /// </summary>
    public static async Task RemoveAllAsync<T>(StoragePath path, IReadOnlyList<T> all, Func<T, Task> remove)
    {
        var removed = 0;
        foreach (var entry in all)
        {
            try
            {
                await remove(entry).ConfigureAwait(false);
                removed++;
            }
            catch (StorageException e) when (e.Kind == StorageErrorKind.NotFound)
            {
                // gone meanwhile
            }
        }

        if (removed == 0)
        {
            throw StorageException.NotFound(path);
        }
    }
}
