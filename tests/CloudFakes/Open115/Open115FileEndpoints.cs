using System.Globalization;
using System.Text;
using OpenList.DriverHost.CloudFakes.Shared;

namespace OpenList.DriverHost.CloudFakes.Open115;

/// <summary>
/// Listing (<c>/open/ufile/files</c>, offset paging), info (<c>/open/folder/get_info</c> by id or path), mkdir,
/// rename/star, move, copy and delete (to the recycle bin). Ids are strings everywhere except the listing's
/// top-level <c>cid</c> (a number), as in the Go SDK's types.
/// </summary>
internal static class Open115FileEndpoints
{
    public const int MaxLimit = 1150;
    public const int DefaultLimit = 20;
    public const string RootName = "根目录";
    private static readonly string[] Orders = ["file_name", "file_size", "user_utime", "user_ptime", "file_type"];

    public static void Map(IEndpointRouteBuilder routes, Open115Fake fake)
    {
        Open115Routes.MapApi(routes, fake, HttpMethods.Get, "/open/ufile/files", ListAsync);
        Open115Routes.MapApi(routes, fake, HttpMethods.Get, "/open/folder/get_info", InfoByIdAsync);
        Open115Routes.MapApi(routes, fake, HttpMethods.Post, "/open/folder/get_info", InfoByPathAsync);
        Open115Routes.MapApi(routes, fake, HttpMethods.Post, "/open/folder/add", Mkdir);
        Open115Routes.MapApi(routes, fake, HttpMethods.Post, "/open/ufile/update", Update);
        Open115Routes.MapApi(routes, fake, HttpMethods.Post, "/open/ufile/move", Move);
        Open115Routes.MapApi(routes, fake, HttpMethods.Post, "/open/ufile/copy", Copy);
        Open115Routes.MapApi(routes, fake, HttpMethods.Post, "/open/ufile/delete", Delete);
    }

    /// <summary>
    /// <c>cid</c> (default "0"), <c>limit</c> 1..1150 (default 20; anything else is refused), <c>offset</c> ≥ 0,
    /// <c>asc</c> 0/1 (default 0), <c>o</c> one of file_name, file_size, user_utime, user_ptime, file_type (default
    /// user_ptime), <c>show_dir</c> 0/1 (default 0 = files only, as documented), <c>star</c>, <c>type</c>,
    /// <c>suffix</c>. DESIGN: folders come first, then files; ties keep creation order, so pages never overlap.
    /// <c>count</c> is the true number of matching entries.
    /// </summary>
    private static async Task<object?> ListAsync(Open115Call call)
    {
        var cid = call.Optional("cid") ?? Open115Account.RootId;
        var limit = call.OptionalInt64("limit") ?? DefaultLimit;
        if (limit is < 1 or > MaxLimit)
        {
            throw Open115Errors.Invalid("limit", $"must be between 1 and {MaxLimit}");
        }

        var offset = call.OptionalInt64("offset") ?? 0;
        if (offset < 0)
        {
            throw Open115Errors.Invalid("offset", "must not be negative");
        }

        var asc = call.Flag("asc", false);
        var order = call.Optional("o") ?? "user_ptime";
        if (!Orders.Contains(order))
        {
            throw Open115Errors.Invalid("o", "must be one of " + string.Join(", ", Orders));
        }

        var showDir = call.Flag("show_dir", false);
        var starOnly = call.Flag("star", false);
        var stdir = call.Flag("stdir", false);
        var cur = call.Flag("cur", false);
        var customOrder = call.OptionalInt64("custom_order") ?? 0;
        if (customOrder is < 0 or > 2)
        {
            throw Open115Errors.Invalid("custom_order", "must be 0, 1 or 2");
        }

        var type = call.OptionalInt64("type") ?? 0;
        if (type is < 0 or > 7)
        {
            throw Open115Errors.Invalid("type", "must be between 0 and 7");
        }

        var suffix = call.Optional("suffix")?.TrimStart('.').ToLowerInvariant();

        List<Listed> children;
        List<Dictionary<string, object?>> path;
        lock (call.Fake.Gate)
        {
            var folder = call.Folder(cid);
            var tree = call.Account.Tree;
            children = tree.LiveChildren(folder.Id)
                .Select(n => new Listed(n.Snapshot(), call.Account.PickCodeOf(n), call.Account.Starred.Contains(n.Id), n.Order))
                .ToList();
            path = Ancestry(tree, folder).Select(n => new Dictionary<string, object?>
            {
                ["name"] = n.ParentId is null ? RootName : n.Name,
                ["aid"] = 1,
                ["cid"] = long.Parse(n.Id, CultureInfo.InvariantCulture),
                ["pid"] = n.ParentId is null ? 0 : long.Parse(n.ParentId, CultureInfo.InvariantCulture),
                ["isp"] = 0,
                ["p_cid"] = n.ParentId ?? "",
                ["fv"] = "0",
            }).ToList();
        }

        var matching = children
            .Where(c => showDir || !c.Node.IsFolder)
            .Where(c => !starOnly || c.Starred)
            .Where(c => type == 0 || (!c.Node.IsFolder && Open115Categories.TypeOf(FakePath.Extension(c.Node.Name)) == type))
            .Where(c => suffix is null || (!c.Node.IsFolder && FakePath.Extension(c.Node.Name) == suffix))
            .ToList();
        matching.Sort((a, b) => Compare(a, b, order, asc));
        var page = matching.Skip((int)Math.Min(offset, int.MaxValue)).Take((int)limit).ToList();
        var entries = new List<Open115ListEntry>(page.Count);
        foreach (var item in page)
        {
            entries.Add(await EntryAsync(item));
        }

        return new Open115FullBody(new Dictionary<string, object?>
        {
            ["state"] = true,
            ["code"] = 0L,
            ["message"] = "",
            ["data"] = entries,
            ["count"] = (long)matching.Count,
            ["sys_count"] = 0L,
            ["offset"] = offset,
            ["limit"] = limit,
            ["aid"] = 1,
            ["cid"] = long.Parse(cid, CultureInfo.InvariantCulture),
            ["is_asc"] = asc ? 1 : 0,
            ["min_size"] = 0L,
            ["max_size"] = 0L,
            ["sys_dir"] = "0",
            ["hide_data"] = "0",
            ["record_open_time"] = "1",
            ["star"] = starOnly ? 1 : 0,
            ["type"] = (int)type,
            ["suffix"] = suffix ?? "",
            ["path"] = path,
            ["cur"] = cur ? 1L : 0L,
            ["stdir"] = stdir ? 1 : 0,
            ["fields"] = "",
            ["order"] = order,
        });
    }

    private static Task<object?> InfoByIdAsync(Open115Call call)
    {
        var id = call.Required("file_id");
        return InfoAsync(call, tree => tree.GetLive(id));
    }

    /// <summary>POST <c>path</c>: an absolute path from the account's root ("/" is the root).</summary>
    private static Task<object?> InfoByPathAsync(Open115Call call)
    {
        var path = call.Required("path");
        return InfoAsync(call, tree =>
        {
            var node = tree.Root;
            foreach (var segment in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                node = node.IsFolder ? tree.FindLiveChild(node.Id, segment) : null;
                if (node is null)
                {
                    return null;
                }
            }

            return node;
        });
    }

    private static async Task<object?> InfoAsync(Open115Call call, Func<FileTree, FileNode?> find)
    {
        FileSnapshot node;
        string pickCode;
        long count = 0, folders = 0, bytes;
        List<Open115PathItem> paths;
        lock (call.Fake.Gate)
        {
            var tree = call.Account.Tree;
            var found = find(tree);
            if (found is null)
            {
                return call.Fake.FolderInfoAsArray ? Array.Empty<object>() : throw Open115Errors.ObjectNotFound();
            }

            node = found.Snapshot();
            pickCode = found.ParentId is null ? "" : call.Account.PickCodeOf(found);
            bytes = found.Size;
            if (found.IsFolder)
            {
                foreach (var descendant in Descendants(tree, found))
                {
                    if (descendant.IsFolder)
                    {
                        folders++;
                    }
                    else
                    {
                        count++;
                        bytes += descendant.Size;
                    }
                }
            }

            paths = Ancestry(tree, found).SkipLast(1)
                .Select(n => new Open115PathItem(n.Id, n.ParentId is null ? RootName : n.Name))
                .ToList();
        }

        var info = new Open115FolderInfo
        {
            Count = count,
            Size = Open115Json.FormatSize(bytes),
            SizeByte = bytes,
            FolderCount = folders,
            Ptime = Open115Json.Unix(node.CreatedAt),
            Utime = Open115Json.Unix(node.UpdatedAt),
            FileName = node.ParentId.Length == 0 ? RootName : node.Name,
            PickCode = pickCode,
            Sha1 = node.Content is { } content ? await content.Sha1HexAsync() : "",
            FileId = node.Id,
            FileCategory = node.IsFolder ? "0" : "1",
            Paths = paths,
        };
        return call.Fake.FolderInfoAsArray ? new object[] { info } : info;
    }

    /// <summary><c>pid</c>, <c>file_name</c> → <c>{file_name, file_id}</c>; a folder of that name already there is 20004.</summary>
    private static Task<object?> Mkdir(Open115Call call)
    {
        var pid = call.Required("pid");
        var name = ValidName(call.Required("file_name"), "file_name");
        lock (call.Fake.Gate)
        {
            var parent = call.Folder(pid);
            if (call.Account.Tree.LiveChildren(parent.Id).Any(n => n.IsFolder && n.Name == name))
            {
                throw Open115Errors.Exists(name);
            }

            var folder = call.Account.Tree.CreateFolder(parent.Id, name);
            object? data = new Dictionary<string, object?> { ["file_name"] = folder.Name, ["file_id"] = folder.Id };
            return Task.FromResult<object?>(data);
        }
    }

    /// <summary><c>file_id</c> with <c>file_name</c> and/or <c>star</c> (0/1) → <c>{file_name, star}</c> (strings).</summary>
    private static Task<object?> Update(Open115Call call)
    {
        var id = call.Required("file_id");
        var name = call.Optional("file_name") is { } requested ? ValidName(requested, "file_name") : null;
        bool? star = call.Optional("star") is null ? null : call.Flag("star", false);
        if (name is null && star is null)
        {
            throw Open115Errors.Missing("file_name");
        }

        lock (call.Fake.Gate)
        {
            var node = call.Node(id);
            if (node.ParentId is null)
            {
                throw Open115Errors.Forbidden("The root folder cannot be changed.");
            }

            if (name is not null && name != node.Name)
            {
                if (node.IsFolder && call.Account.Tree.LiveChildren(node.ParentId).Any(n => n.IsFolder && n.Name == name && n.Id != node.Id))
                {
                    throw Open115Errors.Exists(name);
                }

                call.Account.Tree.Rename(node, name);
            }

            if (star is { } starred)
            {
                if (starred)
                {
                    call.Account.Starred.Add(node.Id);
                }
                else
                {
                    call.Account.Starred.Remove(node.Id);
                }
            }

            object? data = new Dictionary<string, object?>
            {
                ["file_name"] = node.Name,
                ["star"] = call.Account.Starred.Contains(node.Id) ? "1" : "0",
            };
            return Task.FromResult<object?>(data);
        }
    }

    /// <summary>
    /// <c>file_ids</c> (comma-separated), <c>to_cid</c>. All ids are checked before anything moves: a missing one
    /// is 430004, the root or a folder into itself is refused, a folder whose name a folder in the target already
    /// has is 20004 (DESIGN). Answers <c>data:[]</c>.
    /// </summary>
    private static Task<object?> Move(Open115Call call)
    {
        var ids = Ids(call.Required("file_ids"));
        var toCid = call.Required("to_cid");
        lock (call.Fake.Gate)
        {
            var tree = call.Account.Tree;
            var target = call.Folder(toCid);
            var nodes = ids.Select(call.Node).ToList();
            foreach (var node in nodes)
            {
                CheckMovable(tree, node, target);
                if (node.IsFolder && node.ParentId != target.Id && tree.LiveChildren(target.Id).Any(n => n.IsFolder && n.Name == node.Name))
                {
                    throw Open115Errors.Exists(node.Name);
                }
            }

            foreach (var node in nodes.Where(n => n.ParentId != target.Id))
            {
                tree.Move(node, target.Id);
            }
        }

        return Task.FromResult<object?>(Array.Empty<object>());
    }

    /// <summary>
    /// <c>file_id</c> (comma-separated), <c>pid</c> (target folder), <c>no_dupli</c> 0/1 (default 0). With
    /// no_dupli=1 a name already present in the target is refused with 20004 (DESIGN); with 0 the copy keeps
    /// its name next to the existing entry. Copies get new ids and pick codes. Answers <c>data:[]</c>.
    /// </summary>
    private static Task<object?> Copy(Open115Call call)
    {
        var ids = Ids(call.Required("file_id"));
        var pid = call.Required("pid");
        var noDuplicates = call.Flag("no_dupli", false);
        lock (call.Fake.Gate)
        {
            var tree = call.Account.Tree;
            var target = call.Folder(pid);
            var nodes = ids.Select(call.Node).ToList();
            foreach (var node in nodes)
            {
                CheckMovable(tree, node, target);
                if (noDuplicates && tree.FindLiveChild(target.Id, node.Name) is not null)
                {
                    throw Open115Errors.Exists(node.Name);
                }
            }

            foreach (var node in nodes)
            {
                tree.CopyInto(node, tree, target.Id, node.Name);
            }
        }

        return Task.FromResult<object?>(Array.Empty<object>());
    }

    /// <summary>
    /// <c>file_ids</c> (comma-separated), optional <c>parent_id</c> (when sent, every item must be in it, else
    /// 430004 — DESIGN). Items go to the recycle bin. Answers <c>data:[]</c> (the SDK decodes <c>[]string</c>).
    /// </summary>
    private static Task<object?> Delete(Open115Call call)
    {
        var ids = Ids(call.Required("file_ids"));
        var parentId = call.Optional("parent_id");
        lock (call.Fake.Gate)
        {
            var nodes = ids.Select(call.Node).ToList();
            foreach (var node in nodes)
            {
                if (node.ParentId is null)
                {
                    throw Open115Errors.Forbidden("The root folder cannot be deleted.");
                }

                if (parentId is not null && node.ParentId != parentId)
                {
                    throw Open115Errors.ObjectNotFound();
                }
            }

            foreach (var node in nodes)
            {
                call.Account.Tree.Trash(node);
                call.Account.Starred.Remove(node.Id);
            }
        }

        return Task.FromResult<object?>(Array.Empty<string>());
    }

    /// <summary>Names: not empty, no '/', not "." or "..", at most 255 UTF-8 bytes (DESIGN; the SDK notes the 255-byte limit for folders).</summary>
    public static string ValidName(string name, string field)
    {
        if (name.Trim().Length == 0 || name.Contains('/', StringComparison.Ordinal) || name is "." or ".." || Encoding.UTF8.GetByteCount(name) > 255)
        {
            throw Open115Errors.Invalid(field, "is not a valid name");
        }

        return name;
    }

    private static List<string> Ids(string text)
    {
        var ids = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList();
        return ids.Count > 0 ? ids : throw Open115Errors.Missing("file_ids");
    }

    private static void CheckMovable(FileTree tree, FileNode node, FileNode target)
    {
        if (node.ParentId is null)
        {
            throw Open115Errors.Forbidden("The root folder cannot be moved or copied.");
        }

        if (node.IsFolder && tree.IsSelfOrAncestor(node, target))
        {
            throw Open115Errors.Forbidden("A folder cannot go into itself.");
        }
    }

    /// <summary>The root, …, <paramref name="node"/>.</summary>
    private static List<FileNode> Ancestry(FileTree tree, FileNode node)
    {
        var chain = new List<FileNode>();
        for (FileNode? current = node; current is not null; current = current.ParentId is null ? null : tree.Get(current.ParentId))
        {
            chain.Add(current);
        }

        chain.Reverse();
        return chain;
    }

    private static IEnumerable<FileNode> Descendants(FileTree tree, FileNode folder)
    {
        foreach (var child in tree.LiveChildren(folder.Id).ToList())
        {
            yield return child;
            if (child.IsFolder)
            {
                foreach (var descendant in Descendants(tree, child))
                {
                    yield return descendant;
                }
            }
        }
    }

    private static int Compare(Listed a, Listed b, string order, bool asc)
    {
        if (a.Node.IsFolder != b.Node.IsFolder)
        {
            return a.Node.IsFolder ? -1 : 1;
        }

        var primary = order switch
        {
            "file_name" => string.CompareOrdinal(a.Node.Name, b.Node.Name),
            "file_size" => a.Node.Size.CompareTo(b.Node.Size),
            "user_utime" => a.Node.UpdatedAt.CompareTo(b.Node.UpdatedAt),
            "file_type" => string.CompareOrdinal(FakePath.Extension(a.Node.Name), FakePath.Extension(b.Node.Name)) is var byType && byType != 0
                ? byType
                : string.CompareOrdinal(a.Node.Name, b.Node.Name),
            _ => a.Node.CreatedAt.CompareTo(b.Node.CreatedAt),
        };
        if (primary != 0)
        {
            return asc ? primary : -primary;
        }

        return a.Order.CompareTo(b.Order);
    }

    private static async Task<Open115ListEntry> EntryAsync(Listed item)
    {
        var node = item.Node;
        var extension = FakePath.Extension(node.Name);
        return new Open115ListEntry
        {
            Fid = node.Id,
            Pid = node.ParentId,
            Fc = node.IsFolder ? "0" : "1",
            Fn = node.Name,
            Ism = item.Starred ? "1" : "0",
            Pc = item.PickCode,
            Upt = node.UpdatedAt.ToUnixTimeSeconds(),
            Uet = node.UpdatedAt.ToUnixTimeSeconds(),
            Uppt = node.CreatedAt.ToUnixTimeSeconds(),
            Sha1 = node.Content is { } content ? await content.Sha1HexAsync() : "",
            Fs = node.IsFolder ? 0 : node.Size,
            Ico = node.IsFolder ? "" : extension,
            Isv = !node.IsFolder && Open115Categories.TypeOf(extension) == Open115Categories.Video ? 1 : 0,
        };
    }

    private sealed record Listed(FileSnapshot Node, string PickCode, bool Starred, long Order);
}

/// <summary>The listing's <c>type</c> filter: 1 documents, 2 images, 3 music, 4 videos, 5 archives, 6 applications.</summary>
internal static class Open115Categories
{
    public const int Video = 4;

    private static readonly Dictionary<string, int> ByExtension = Build();

    public static int TypeOf(string extension) => ByExtension.GetValueOrDefault(extension, 7);

    private static Dictionary<string, int> Build()
    {
        var map = new Dictionary<string, int>(StringComparer.Ordinal);
        void Add(int type, params string[] extensions)
        {
            foreach (var extension in extensions)
            {
                map[extension] = type;
            }
        }

        Add(1, "txt", "md", "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "csv", "epub");
        Add(2, "jpg", "jpeg", "png", "gif", "bmp", "webp", "heic", "tif", "tiff", "svg");
        Add(3, "mp3", "flac", "wav", "m4a", "aac", "ogg", "ape");
        Add(Video, "mp4", "mkv", "mov", "avi", "wmv", "flv", "webm", "m4v", "ts", "rmvb");
        Add(5, "zip", "rar", "7z", "gz", "tar", "bz2", "xz");
        Add(6, "apk", "exe", "msi", "dmg", "ipa");
        return map;
    }
}
