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
    /// <summary>
    /// The parent folder of <paramref name="path"/> and the entries named like it there. NotFound when the parent is
    /// missing or a file. A remembered parent id that went stale is looked up afresh once.
    /// </summary>
    private Task<(CloudNode Parent, NameLookup<AliyunFile> Lookup)> LookupAsync(StoragePath path, bool wantAll, CancellationToken cancellationToken) =>
        _ids.InParentAsync(path, (parent, ct) => ScanAsync(parent.Id, path.Name, wantAll, ct), cancellationToken);

    /// <summary>Scans the folder page by page; stops at the visible entry unless every same-named entry is wanted.</summary>
    private Task<NameLookup<AliyunFile>> ScanAsync(string parentId, string name, bool wantAll, CancellationToken cancellationToken) =>
        SameNames.ScanAsync(PagesAsync(parentId, cancellationToken), name, NameOf, TimeOf, wantAll, cancellationToken);

    /// <summary>The folder's usable entries, one page at a time.</summary>
    private async IAsyncEnumerable<List<AliyunFile>> PagesAsync(string parentId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var markers = new HashSet<string>(StringComparer.Ordinal);
        var marker = string.Empty;
        do
        {
            var page = await _api.ListAsync(DriveId, parentId, marker, cancellationToken).ConfigureAwait(false);
            yield return Usable(page.Items).ToList();
            marker = NextMarker(page, markers);
        }
        while (marker.Length > 0);
    }

    /// <summary>The path cache's child lookup.</summary>
    private async Task<CloudNode?> FindChildNodeAsync(CloudNode parent, string name, CancellationToken cancellationToken) =>
        (await ScanAsync(parent.Id, name, wantAll: false, cancellationToken).ConfigureAwait(false)).Visible is { } file
            ? new CloudNode(file.FileId!, file.IsFolder)
            : null;

    /// <summary>One entry per name of a listing page (<see cref="SameNames"/>), logging what it hides in <paramref name="path"/>.</summary>
    private List<AliyunFile> Collapse(IEnumerable<AliyunFile?>? items, HashSet<string> shown, StoragePath path) =>
        SameNames.Collapse(
            Usable(items),
            NameOf,
            TimeOf,
            shown,
            reason => AliyundriveOpenLog.EntryHidden(_logger, _context.MountPath, path, reason),
            (name, count) => AliyundriveOpenLog.DuplicatesCollapsed(_logger, _context.MountPath, path.Combine(name), count));

    private static string NameOf(AliyunFile file) => file.DisplayName;

    private static DateTimeOffset TimeOf(AliyunFile file) => file.Updated ?? file.Created ?? DateTimeOffset.MinValue;

    private static IEnumerable<AliyunFile> Usable(IEnumerable<AliyunFile?>? items) =>
        (items ?? []).OfType<AliyunFile>().Where(f => !string.IsNullOrEmpty(f.FileId));

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
