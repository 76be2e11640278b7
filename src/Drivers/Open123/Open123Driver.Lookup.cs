using System.Runtime.CompilerServices;
using OpenList.DriverHost.Drivers.Errors;
using OpenList.DriverHost.Drivers.Open123.Models;
using OpenList.DriverHost.Drivers.PathIds;

namespace OpenList.DriverHost.Drivers.Open123;

/// <summary>
/// Finding entries by name. The API has no lookup by path (OpenList resolves paths by listing, §3.4), so a name is
/// found by listing its folder: <c>lastFileId</c> paging, 100 per page, until -1; entries in the recycle bin are
/// dropped (the listing returns them whatever <c>trashed</c> asks). Should a folder hold a name twice, the first
/// listed is the one shown.
/// </summary>
public sealed partial class Open123Driver
{
    /// <summary>
    /// The parent folder of <paramref name="path"/> and the entry of that name there (null when free). NotFound when
    /// the parent is missing or a file. A remembered parent id that went stale is looked up afresh once.
    /// </summary>
    private Task<(CloudNode Parent, Open123File? Found)> LookupAsync(StoragePath path, CancellationToken cancellationToken) =>
        _ids.InParentAsync(path, (parent, ct) => FindAsync(parent.Id, path.Name, ct), cancellationToken);

    /// <summary>Scans the folder page by page until <paramref name="name"/> turns up.</summary>
    private async Task<Open123File?> FindAsync(string parentId, string name, CancellationToken cancellationToken)
    {
        await foreach (var page in PagesAsync(parentId, cancellationToken).ConfigureAwait(false))
        {
            if (Usable(page.FileList, folder: null).FirstOrDefault(f => f.FileName == name) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    private async IAsyncEnumerable<Open123FileList> PagesAsync(string parentId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var id = ParseId(parentId);
        var seen = new HashSet<long>();
        var lastFileId = 0L;
        do
        {
            var page = await _api.ListAsync(id, lastFileId, cancellationToken).ConfigureAwait(false);
            yield return page;
            lastFileId = NextPage(page, seen);
        }
        while (lastFileId != Open123ApiClient.LastPage);
    }

    /// <summary>The path cache's child lookup.</summary>
    private async Task<CloudNode?> FindChildNodeAsync(CloudNode parent, string name, CancellationToken cancellationToken) =>
        await FindAsync(parent.Id, name, cancellationToken).ConfigureAwait(false) is { } file
            ? new CloudNode(Open123ApiClient.Id(file.FileId), file.IsFolder)
            : null;

    /// <summary>
    /// The entries of a page that are shown: not in the recycle bin, with an id, and with a name that is a valid
    /// path segment (others are logged when <paramref name="folder"/> says where).
    /// </summary>
    private IEnumerable<Open123File> Usable(IEnumerable<Open123File?>? items, StoragePath? folder)
    {
        foreach (var file in items ?? [])
        {
            if (file is null || file.Trashed != 0 || file.FileId <= 0 || string.IsNullOrEmpty(file.FileName))
            {
                continue;
            }

            if (!StoragePath.IsValidName(file.FileName, out var reason))
            {
                if (folder is { } where)
                {
                    Open123Log.EntryHidden(_logger, _context.MountPath, where, reason);
                }

                continue;
            }

            yield return file;
        }
    }

    /// <summary>The next page's <c>lastFileId</c>; -1 after the last page. An id seen before would loop forever.</summary>
    private static long NextPage(Open123FileList page, HashSet<long> seen)
    {
        var next = page.LastFileId;
        if (next == Open123ApiClient.LastPage || page.FileList is not { Count: > 0 })
        {
            return Open123ApiClient.LastPage; // an empty page ends the listing whatever lastFileId says
        }

        if (next < 0 || !seen.Add(next))
        {
            throw new StorageException(StorageErrorKind.Unavailable, "123 repeated a listing position (lastFileId); the listing was stopped");
        }

        return next;
    }

    /// <summary>The entry for <paramref name="file"/> at <paramref name="path"/>, remembered in the path cache.</summary>
    private StorageEntry Remember(StoragePath path, Open123File file)
    {
        var entry = ToEntry(path, file);
        _ids.Remember(path, new CloudNode(entry.Id!, file.IsFolder));
        return entry;
    }

    internal static StorageEntry ToEntry(StoragePath path, Open123File file)
    {
        var folder = file.IsFolder;
        var entry = new StorageEntry(
            path,
            folder,
            folder ? 0 : Math.Max(0, file.Size),
            file.Updated ?? file.Created ?? DateTimeOffset.UnixEpoch,
            file.Created,
            Open123ApiClient.Id(file.FileId));
        return !folder && Md5Of(file) is { } md5 ? WithMd5(entry, md5) : entry;
    }

    internal static StorageEntry WithMd5(StorageEntry entry, string md5) =>
        entry with { Hashes = new Dictionary<string, string>(StringComparer.Ordinal) { [HashNames.Md5] = md5 } };

    /// <summary>The entry's MD5 (its <c>etag</c>) in lower-case hex, when it is one.</summary>
    internal static string? Md5Of(Open123File file) =>
        file.Etag is { Length: 32 } etag && etag.All(Uri.IsHexDigit) ? etag.ToLowerInvariant() : null;
}
