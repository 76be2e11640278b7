using System.Globalization;
using System.Runtime.CompilerServices;
using OpenList.DriverHost.Drivers.DiskTop.Models;
using OpenList.DriverHost.Drivers.Errors;

namespace OpenList.DriverHost.Drivers.DiskTop;

/// <summary>
/// Finding entries. The listing is the only way from a path to an id (§4.5: metadata is by id), so a name is found by
/// listing its parent folder by path. Should a folder hold a folder and a file of one name, the first listed wins.
/// </summary>
public sealed partial class DiskTopDriver
{
    /// <summary>The entry at <paramref name="path"/>; NotFound when nothing is there.</summary>
    private async Task<DiskTopItem> ItemAtAsync(StoragePath path, CancellationToken cancellationToken) =>
        await FindAsync(path, cancellationToken).ConfigureAwait(false) ?? throw StorageException.NotFound(path);

    /// <summary>The file at <paramref name="path"/>; NotFound when missing, IsDirectory for a folder.</summary>
    private async Task<DiskTopItem> FileAtAsync(StoragePath path, CancellationToken cancellationToken)
    {
        var item = path.IsRoot ? null : await ItemAtAsync(path, cancellationToken).ConfigureAwait(false);
        return item is { IsFolder: false } ? item : throw new StorageException(StorageErrorKind.IsDirectory, $"is a directory: {path}");
    }

    /// <summary>
    /// The entry at <paramref name="path"/>, or null when nothing is there, including when the parent is missing or is
    /// a file (the API answers 404 or 400 for listing those).
    /// </summary>
    private async Task<DiskTopItem?> FindAsync(StoragePath path, CancellationToken cancellationToken) =>
        (await LookupAsync(path, cancellationToken).ConfigureAwait(false)).Item;

    /// <summary>Whether the parent of <paramref name="path"/> is a folder, and the entry named like it there.</summary>
    private async Task<(bool ParentExists, DiskTopItem? Item)> LookupAsync(StoragePath path, CancellationToken cancellationToken)
    {
        if (path.IsRoot)
        {
            return (true, null);
        }

        try
        {
            await foreach (var page in PagesAsync(path.Parent, cancellationToken).ConfigureAwait(false))
            {
                if (page.Find(i => i.Name == path.Name) is { } found)
                {
                    return (true, found);
                }
            }
        }
        catch (StorageException e) when (!path.Parent.IsRoot && DiskTopApiClient.CodeOf(e) is 400 or 404)
        {
            return (false, null);
        }

        return (true, null);
    }

    /// <summary>Whether nothing named <paramref name="name"/> is in the folder at <paramref name="folder"/>.</summary>
    private async Task<bool> IsFreeAsync(StoragePath folder, string name, CancellationToken cancellationToken) =>
        await FindAsync(folder.Combine(name), cancellationToken).ConfigureAwait(false) is null;

    /// <summary>
    /// A folder's entries, one page at a time (§4.5, page/limit): folders first, then files, as each page lists them.
    /// The listing ends at an empty page, once <c>total</c> entries were seen, or (when <c>total</c> is absent) at a
    /// short page. A short page that leaves entries missing from <c>total</c> is followed by one more request, so a
    /// server that caps <c>limit</c> lower than asked still lists everything.
    /// </summary>
    private async IAsyncEnumerable<List<DiskTopItem>> PagesAsync(StoragePath folder, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var apiPath = _options.ApiPath(folder);
        var limit = _options.PageSize;
        var names = new HashSet<string>(StringComparer.Ordinal);
        long seen = 0;
        for (var page = 1; ; page++)
        {
            var data = await _api.ListPageAsync(apiPath, page, limit, cancellationToken).ConfigureAwait(false);
            var items = new List<DiskTopItem>();
            var held = 0;
            var fresh = false;
            foreach (var (list, isFolder) in new[] { (data.Folders, true), (data.Files, false) })
            {
                foreach (var item in list ?? [])
                {
                    held++;
                    if (item is { Id: not null, Name.Length: > 0 })
                    {
                        item.IsFolder = isFolder;
                        items.Add(item);
                        fresh |= names.Add((isFolder ? "d:" : "f:") + item.Id.Value.ToString(CultureInfo.InvariantCulture));
                    }
                }
            }

            if (held > 0 && !fresh)
            {
                // The same entries again: the server ignores page; what it had was listed already.
                yield break;
            }

            yield return items;
            seen += held;
            if (held == 0 || (data.Total is { } total ? seen >= total : held < limit))
            {
                if (held == 0 && data.Total is { } announced && seen < announced)
                {
                    DiskTopLog.ListingShort(_logger, _context.MountPath, folder, announced, seen);
                }

                yield break;
            }
        }
    }

    /// <summary>One entry per valid name among <paramref name="items"/>, leaving out names shown from earlier pages.</summary>
    private List<DiskTopItem> Distinct(IEnumerable<DiskTopItem> items, HashSet<string> shown, StoragePath folder)
    {
        var result = new List<DiskTopItem>();
        foreach (var item in items)
        {
            if (!StoragePath.IsValidName(item.Name!, out var reason))
            {
                DiskTopLog.EntryHidden(_logger, _context.MountPath, folder, reason);
                continue;
            }

            if (shown.Add(item.Name!))
            {
                result.Add(item);
            }
        }

        return result;
    }

    /// <summary>
    /// The entry for <paramref name="item"/>: size and MD5 for files, 0 for folders. The listing has no times, so an
    /// entry carries <c>create_time</c> when the listing happens to send it and the Unix epoch otherwise; the id is
    /// prefixed with its kind, since file and folder ids may be equal.
    /// </summary>
    private static StorageEntry ToEntry(StoragePath path, DiskTopItem item)
    {
        var time = item.CreateTime is > 0 ? DateTimeOffset.FromUnixTimeSeconds(item.CreateTime.Value) : DateTimeOffset.UnixEpoch;
        var id = (item.IsFolder ? "folder:" : "file:") + item.Id!.Value.ToString(CultureInfo.InvariantCulture);
        var entry = new StorageEntry(path, item.IsFolder, item.IsFolder ? 0 : Math.Max(0, item.Size ?? 0), time, item.CreateTime is > 0 ? time : null, id);
        if (!item.IsFolder && item.Md5 is { Length: 32 } md5 && md5.All(Uri.IsHexDigit))
        {
            entry = entry with { Hashes = new Dictionary<string, string>(StringComparer.Ordinal) { [HashNames.Md5] = md5.ToLowerInvariant() } };
        }

        return entry;
    }
}
