using System.Runtime.CompilerServices;
using OpenList.DriverHost.Drivers.Errors;
using OpenList.DriverHost.Drivers.Open115.Models;
using OpenList.DriverHost.Drivers.PathIds;

namespace OpenList.DriverHost.Drivers.Open115;

/// <summary>
/// Finding entries by name. A name is found by listing its folder (offset paging, §1.5). Should a folder hold several
/// entries of one name, the driver shows one per name everywhere (listing, stat, reads): within the first page where
/// the name appears, the most recently modified.
/// </summary>
public sealed partial class Open115Driver
{
    /// <summary>The entry at <paramref name="path"/>; NotFound when nothing is there.</summary>
    private async Task<Open115File> FileAtAsync(StoragePath path, CancellationToken cancellationToken)
    {
        if (path.IsRoot)
        {
            throw new StorageException(StorageErrorKind.IsDirectory, $"is a directory: {path}");
        }

        var (_, lookup) = await LookupAsync(path, wantAll: false, cancellationToken).ConfigureAwait(false);
        return lookup.Visible ?? throw StorageException.NotFound(path);
    }

    /// <summary>
    /// The parent folder of <paramref name="path"/> and the entries named like it there. NotFound when the parent is
    /// missing or a file. A remembered parent id that went stale is looked up afresh once.
    /// </summary>
    private Task<(CloudNode Parent, NameLookup<Open115File> Lookup)> LookupAsync(StoragePath path, bool wantAll, CancellationToken cancellationToken) =>
        _ids.InParentAsync(path, (parent, ct) => ScanAsync(parent.Id, path.Name, wantAll, ct), cancellationToken);

    /// <summary>Scans the folder page by page; stops at the visible entry unless every same-named entry is wanted.</summary>
    private Task<NameLookup<Open115File>> ScanAsync(string folderId, string name, bool wantAll, CancellationToken cancellationToken) =>
        SameNames.ScanAsync(PagesAsync(folderId, null, cancellationToken), name, NameOf, TimeOf, wantAll, cancellationToken);

    /// <summary>
    /// The folder's entries, one page at a time (§1.5): the offset grows by what each page held until <c>count</c>
    /// entries were seen. A page that holds nothing ends the listing, so a count that shrinks meanwhile cannot loop.
    /// </summary>
    private async IAsyncEnumerable<List<Open115File>> PagesAsync(string folderId, StoragePath? path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long offset = 0;
        while (true)
        {
            var page = await _api.ListPageAsync(folderId, offset, cancellationToken).ConfigureAwait(false);
            if (page.FolderId is { Length: > 0 } listed && listed != folderId)
            {
                // 115 answers an unknown cid with another folder's listing: the folder is gone.
                throw new StorageException(StorageErrorKind.NotFound, $"115 folder {folderId} no longer exists");
            }

            var held = page.Data?.Count ?? 0;
            yield return (page.Data ?? []).OfType<Open115File>().Where(f => !string.IsNullOrEmpty(f.FileId) && !string.IsNullOrEmpty(f.Name)).ToList();
            offset += held;
            if (held == 0 || (page.Count is { } total ? offset >= total : held < _options.PageSize))
            {
                if (held == 0 && page.Count is { } announced && offset < announced && path is { } folder)
                {
                    Open115Log.ListingShort(_logger, _context.MountPath, folder, announced, offset);
                }

                yield break;
            }
        }
    }

    /// <summary>The path cache's child lookup.</summary>
    private async Task<CloudNode?> FindChildNodeAsync(CloudNode parent, string name, CancellationToken cancellationToken) =>
        (await ScanAsync(parent.Id, name, wantAll: false, cancellationToken).ConfigureAwait(false)).Visible is { } file
            ? new CloudNode(file.FileId!, file.IsFolder)
            : null;

    /// <summary>One entry per name of a listing page (<see cref="SameNames"/>), logging what it hides in <paramref name="path"/>.</summary>
    private List<Open115File> Collapse(IEnumerable<Open115File> items, HashSet<string> shown, StoragePath path) =>
        SameNames.Collapse(
            items,
            NameOf,
            TimeOf,
            shown,
            reason => Open115Log.EntryHidden(_logger, _context.MountPath, path, reason),
            (name, count) => Open115Log.DuplicatesCollapsed(_logger, _context.MountPath, path.Combine(name), count));

    private static string NameOf(Open115File file) => file.Name!;

    private static DateTimeOffset TimeOf(Open115File file) => file.Updated ?? file.Created ?? DateTimeOffset.MinValue;

    /// <summary>The entry for <paramref name="file"/> at <paramref name="path"/>, remembered in the path cache.</summary>
    private StorageEntry Remember(StoragePath path, Open115File file)
    {
        _ids.Remember(path, new CloudNode(file.FileId!, file.IsFolder));
        return ToEntry(path, file);
    }

    /// <summary>§1.5's mapping: id = fid, size = fs, folder when fc is "0", modified = upt, created = uppt, SHA1 = sha1.</summary>
    private static StorageEntry ToEntry(StoragePath path, Open115File file)
    {
        var folder = file.IsFolder;
        var entry = new StorageEntry(
            path,
            folder,
            folder ? 0 : Math.Max(0, file.Size ?? 0),
            file.Updated ?? file.Created ?? DateTimeOffset.UnixEpoch,
            file.Created,
            file.FileId);
        if (!folder && file.Sha1 is { Length: 40 } sha1 && sha1.All(Uri.IsHexDigit))
        {
            entry = entry with { Hashes = new Dictionary<string, string>(StringComparer.Ordinal) { [HashNames.Sha1] = sha1.ToLowerInvariant() } };
        }

        return entry;
    }
}
