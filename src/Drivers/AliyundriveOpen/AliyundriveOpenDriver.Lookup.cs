using System.Runtime.CompilerServices;
using OpenList.DriverHost.Drivers.AliyundriveOpen.Models;
using OpenList.DriverHost.Drivers.Errors;
using OpenList.DriverHost.Drivers.PathIds;

namespace OpenList.DriverHost.Drivers.AliyundriveOpen;

/// <summary>
/// Finding entries by name. The API has no lookup by path (§2.5), so a name is found by listing its folder. Aliyun
/// allows several entries of one name in a folder; the driver shows one per name everywhere (listing, stat, reads):
/// within the first page where the name appears, the most recently updated.
/// </summary>
public sealed partial class AliyundriveOpenDriver
{
    /// <summary>What a folder holds under one name.</summary>
    /// <param name="Visible">The entry the driver shows, or null when the name is free.</param>
    /// <param name="All">Every entry of that name (only complete when asked for).</param>
    private sealed record NameLookup(AliyunFile? Visible, List<AliyunFile> All);

    /// <summary>
    /// The parent folder of <paramref name="path"/> and the entries named like it there. NotFound when the parent is
    /// missing or a file. A remembered parent id that went stale is looked up afresh once.
    /// </summary>
    private async Task<(CloudNode Parent, NameLookup Lookup)> LookupAsync(StoragePath path, bool wantAll, CancellationToken cancellationToken)
    {
        var parent = await ResolveParentAsync(path, cancellationToken).ConfigureAwait(false);
        try
        {
            return (parent, await ScanAsync(parent.Id, path.Name, wantAll, cancellationToken).ConfigureAwait(false));
        }
        catch (StorageException e) when (e.Kind == StorageErrorKind.NotFound && !path.Parent.IsRoot)
        {
            _ids.Forget(path.Parent);
            parent = await ResolveParentAsync(path, cancellationToken).ConfigureAwait(false);
            return (parent, await ScanAsync(parent.Id, path.Name, wantAll, cancellationToken).ConfigureAwait(false));
        }
    }

    private async Task<CloudNode> ResolveParentAsync(StoragePath path, CancellationToken cancellationToken) =>
        await _ids.TryResolveAsync(path.Parent, cancellationToken).ConfigureAwait(false) is { IsDirectory: true } parent
            ? parent
            : throw new StorageException(StorageErrorKind.NotFound, $"parent folder not found: {path}");

    /// <summary>Scans the folder page by page; stops at the visible entry unless every same-named entry is wanted.</summary>
    private async Task<NameLookup> ScanAsync(string parentId, string name, bool wantAll, CancellationToken cancellationToken)
    {
        var shown = new HashSet<string>(StringComparer.Ordinal);
        AliyunFile? visible = null;
        var all = new List<AliyunFile>();
        await foreach (var page in PagesAsync(parentId, cancellationToken).ConfigureAwait(false))
        {
            if (visible is null)
            {
                visible = Collapse(page.Items, shown, path: null).FirstOrDefault(f => f.DisplayName == name);
            }

            all.AddRange(Usable(page.Items).Where(f => f.DisplayName == name));
            if (visible is not null && !wantAll)
            {
                break;
            }
        }

        return new NameLookup(visible, all);
    }

    private async IAsyncEnumerable<AliyunListResponse> PagesAsync(string parentId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var markers = new HashSet<string>(StringComparer.Ordinal);
        var marker = string.Empty;
        do
        {
            var page = await _api.ListAsync(DriveId, parentId, marker, cancellationToken).ConfigureAwait(false);
            yield return page;
            marker = NextMarker(page, markers);
        }
        while (marker.Length > 0);
    }

    /// <summary>The path cache's child lookup.</summary>
    private async Task<CloudNode?> FindChildNodeAsync(CloudNode parent, string name, CancellationToken cancellationToken) =>
        (await ScanAsync(parent.Id, name, wantAll: false, cancellationToken).ConfigureAwait(false)).Visible is { } file
            ? new CloudNode(file.FileId!, file.IsFolder)
            : null;

    /// <summary>
    /// One entry per name among <paramref name="items"/> (the newest of a page), leaving out names already shown
    /// from earlier pages and names that are not valid paths.
    /// </summary>
    private List<AliyunFile> Collapse(IEnumerable<AliyunFile?>? items, HashSet<string> shown, StoragePath? path)
    {
        var result = new List<AliyunFile>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var file in Usable(items))
        {
            var name = file.DisplayName;
            if (!StoragePath.IsValidName(name, out var reason))
            {
                if (path is { } folder)
                {
                    AliyundriveOpenLog.EntryHidden(_logger, _context.MountPath, folder, reason);
                }

                continue;
            }

            if (shown.Contains(name))
            {
                continue;
            }

            counts[name] = counts.GetValueOrDefault(name) + 1;
            if (index.TryGetValue(name, out var at))
            {
                if (IsNewer(file, result[at]))
                {
                    result[at] = file;
                }
            }
            else
            {
                index[name] = result.Count;
                result.Add(file);
            }
        }

        foreach (var (name, count) in counts)
        {
            shown.Add(name);
            if (count > 1 && path is { } folder)
            {
                AliyundriveOpenLog.DuplicatesCollapsed(_logger, _context.MountPath, folder.Combine(name), count);
            }
        }

        return result;
    }

    private static IEnumerable<AliyunFile> Usable(IEnumerable<AliyunFile?>? items) =>
        (items ?? []).OfType<AliyunFile>().Where(f => !string.IsNullOrEmpty(f.FileId));

    private static bool IsNewer(AliyunFile candidate, AliyunFile current) =>
        (candidate.Updated ?? candidate.Created ?? DateTimeOffset.MinValue) > (current.Updated ?? current.Created ?? DateTimeOffset.MinValue);

    /// <summary>The next page's marker; "" after the last page. A marker seen before would loop forever.</summary>
    private static string NextMarker(AliyunListResponse page, HashSet<string> seen)
    {
        var next = page.NextMarker ?? string.Empty;
        if (next.Length > 0 && !seen.Add(next))
        {
            throw new StorageException(StorageErrorKind.Unavailable, "Aliyun repeated a listing marker; the listing was stopped");
        }

        return next;
    }

    /// <summary>The entry for <paramref name="file"/> at <paramref name="path"/>, remembered in the path cache.</summary>
    private StorageEntry Remember(StoragePath path, AliyunFile file)
    {
        var entry = ToEntry(path, file);
        _ids.Remember(path, new CloudNode(file.FileId!, file.IsFolder));
        return entry;
    }

    private static StorageEntry ToEntry(StoragePath path, AliyunFile file)
    {
        var folder = file.IsFolder;
        var entry = new StorageEntry(
            path,
            folder,
            folder ? 0 : Math.Max(0, file.Size ?? 0),
            file.Updated ?? file.Created ?? DateTimeOffset.UnixEpoch,
            file.Created,
            file.FileId);
        if (!folder && IsSha1(file))
        {
            entry = entry with { Hashes = new Dictionary<string, string>(StringComparer.Ordinal) { [HashNames.Sha1] = file.ContentHash!.ToLowerInvariant() } };
        }

        return entry;
    }

    private static bool IsSha1(AliyunFile file) =>
        file.ContentHash is { Length: 40 } hash
        && hash.All(Uri.IsHexDigit)
        && (string.IsNullOrEmpty(file.ContentHashName) || file.ContentHashName.Equals("sha1", StringComparison.OrdinalIgnoreCase));
}
