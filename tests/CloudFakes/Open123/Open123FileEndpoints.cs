namespace OpenList.DriverHost.CloudFakes.Open123;

/// <summary>user/info, v2 file/list, file/detail, mkdir, rename (PUT file/name), move and trash.</summary>
internal static class Open123FileEndpoints
{
    public const int MaxListLimit = 100;
    public const int MaxBatch = 100;

    public static void Map(IEndpointRouteBuilder routes, Open123Fake fake)
    {
        Open123Routes.MapApi(routes, fake, HttpMethods.Get, "/api/v1/user/info", UserInfo);
        Open123Routes.MapApi(routes, fake, HttpMethods.Get, "/api/v2/file/list", ListAsync);
        Open123Routes.MapApi(routes, fake, HttpMethods.Get, "/api/v1/file/detail", DetailAsync);
        Open123Routes.MapApi(routes, fake, HttpMethods.Post, "/upload/v1/file/mkdir", Mkdir);
        Open123Routes.MapApi(routes, fake, HttpMethods.Put, "/api/v1/file/name", Rename);
        Open123Routes.MapApi(routes, fake, HttpMethods.Post, "/api/v1/file/move", Move);
        Open123Routes.MapApi(routes, fake, HttpMethods.Post, "/api/v1/file/trash", Trash);
    }

    private static Task<object?> UserInfo(Open123Call call)
    {
        var account = call.Account;
        long used;
        lock (call.Fake.Gate)
        {
            used = account.UsedBytes();
        }

        var start = Open123Json.Time(account.CreatedAt);
        var end = Open123Json.Time(account.CreatedAt.AddYears(1));
        object info = new Open123UserInfo(
            account.Uid,
            account.Name,
            "",
            "1380000" + (account.Uid % 10_000).ToString("0000", System.Globalization.CultureInfo.InvariantCulture),
            "",
            used,
            account.SpacePermanent,
            account.SpaceTemp,
            "",
            account.Vip,
            0,
            false,
            0,
            account.Vip ? [new Open123VipInfo(1, "VIP", start, end)] : null,
            new Open123DeveloperInfo(start, end));
        return Task.FromResult<object?>(info);
    }

    /// <summary>
    /// parentFileId and limit are required; limit must be 1..100 (code 1 otherwise). Entries are in fileId order;
    /// a page holds the entries with fileId &gt; lastFileId, and <c>lastFileId</c> answers the last id of the page, or
    /// -1 when nothing follows. Trashed entries are included (<c>trashed:1</c>), as documented. searchData (global,
    /// ignoring parentFileId) with searchMode 0 (substring, case-insensitive) or 1 (exact name). DESIGN: an unknown
    /// parentFileId lists nothing (the API filters by parent id); a negative lastFileId is code 1.
    /// </summary>
    private static async Task<object?> ListAsync(Open123Call call)
    {
        var parentId = call.QueryId("parentFileId");
        var limit = call.QueryId("limit");
        if (limit is < 1 or > MaxListLimit)
        {
            throw Open123Errors.Invalid("limit 最大不超过100");
        }

        var lastFileId = call.OptionalQueryNumber("lastFileId") ?? 0;
        if (lastFileId < 0)
        {
            throw Open123Errors.Invalid("lastFileId 不能为负数");
        }

        var searchData = call.Query("searchData");
        var searchMode = call.Query("searchMode");
        if (searchMode is not ("" or "0" or "1"))
        {
            throw Open123Errors.Invalid("searchMode 只能为 0 或 1");
        }

        List<Open123Node> page;
        bool more;
        lock (call.Fake.Gate)
        {
            var candidates = searchData.Length > 0
                ? call.Account.AllNodes.Where(n => searchMode == "1" ? n.Name == searchData : n.Name.Contains(searchData, StringComparison.OrdinalIgnoreCase))
                : call.Account.Children(parentId);
            var ordered = candidates.Where(n => n.Id > lastFileId).OrderBy(n => n.Id).ToList();
            page = ordered.Take((int)limit).ToList();
            more = ordered.Count > page.Count;
        }

        var entries = new List<Open123ListEntry>(page.Count);
        foreach (var node in page)
        {
            entries.Add(await EntryAsync(call.Account, node));
        }

        return new Open123ListData(more ? page[^1].Id : -1, entries);
    }

    private static async Task<object?> DetailAsync(Open123Call call)
    {
        var id = call.QueryId("fileID");
        Open123Node node;
        lock (call.Fake.Gate)
        {
            node = call.Account.Get(id) ?? throw Open123Errors.NotFound();
        }

        return new Open123DetailData(
            node.Id,
            node.Name,
            node.IsFolder ? 1 : 0,
            node.Size,
            node.Content is { } content ? await content.Md5Async() : "",
            node.Status,
            node.ParentId,
            Open123Json.Time(node.CreatedAt),
            node.Trashed ? 1 : 0);
    }

    /// <summary><c>{"parentID", "name"}</c> → <c>{dirID}</c>. A live entry of that name in the folder is code 1 (documented: names cannot repeat).</summary>
    private static Task<object?> Mkdir(Open123Call call)
    {
        var parentId = call.Body.RequiredId("parentID");
        var name = Open123Names.Check(call.Body.RequiredString("name"));
        lock (call.Fake.Gate)
        {
            var account = call.Account;
            if (!account.IsLiveFolder(parentId))
            {
                throw Open123Errors.NotFound();
            }

            if (account.FindLiveChild(parentId, name) is not null)
            {
                throw Open123Errors.Invalid("该目录下已经有同名文件夹,无法进行创建");
            }

            return Task.FromResult<object?>(new Open123MkdirData(account.CreateFolder(parentId, name).Id));
        }
    }

    /// <summary><c>PUT {"fileId", "fileName"}</c> → null. Another live entry of that name in the folder is code 1.</summary>
    private static Task<object?> Rename(Open123Call call)
    {
        var id = call.Body.RequiredId("fileId");
        var name = Open123Names.Check(call.Body.RequiredString("fileName"));
        lock (call.Fake.Gate)
        {
            var node = call.Account.GetLive(id) ?? throw Open123Errors.NotFound();
            if (call.Account.FindLiveChild(node.ParentId, name) is { } other && other.Id != node.Id)
            {
                throw Open123Errors.Invalid("当前目录有重名文件");
            }

            node.Name = name;
            node.UpdatedAt = call.Now;
        }

        return Task.FromResult<object?>(null);
    }

    /// <summary>
    /// <c>{"fileIDs":[…≤100], "toParentFileID"}</c> → null. All or nothing: an unknown id is 5066; a folder moved into
    /// itself or a descendant, or a name already used by a live entry of the destination, is code 1 (DESIGN).
    /// </summary>
    private static Task<object?> Move(Open123Call call)
    {
        var ids = Batch(call.Body);
        var destination = call.Body.RequiredId("toParentFileID");
        lock (call.Fake.Gate)
        {
            var account = call.Account;
            if (!account.IsLiveFolder(destination))
            {
                throw Open123Errors.NotFound();
            }

            var nodes = ids.Select(id => account.GetLive(id) ?? throw Open123Errors.NotFound()).ToList();
            var destinationNode = account.Get(destination);
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var node in nodes.Where(n => n.ParentId != destination))
            {
                if (node.IsFolder && destinationNode is not null && account.IsSelfOrAncestor(node.Id, destinationNode))
                {
                    throw Open123Errors.Invalid("不能将文件夹移动到自身或其子目录下");
                }

                if (account.FindLiveChild(destination, node.Name) is not null || !names.Add(node.Name))
                {
                    throw Open123Errors.Invalid($"目标目录已存在同名文件: {node.Name}");
                }
            }

            foreach (var node in nodes)
            {
                node.ParentId = destination;
                node.UpdatedAt = call.Now;
            }
        }

        return Task.FromResult<object?>(null);
    }

    /// <summary><c>{"fileIDs":[…≤100]}</c> → null. Unknown ids are 5066; already trashed entries stay trashed.</summary>
    private static Task<object?> Trash(Open123Call call)
    {
        var ids = Batch(call.Body);
        lock (call.Fake.Gate)
        {
            var nodes = ids.Select(id => call.Account.Get(id) ?? throw Open123Errors.NotFound()).ToList();
            foreach (var node in nodes)
            {
                node.Trashed = true;
            }
        }

        return Task.FromResult<object?>(null);
    }

    private static IReadOnlyList<long> Batch(Open123Body body)
    {
        var ids = body.RequiredIdArray("fileIDs");
        return ids.Count is >= 1 and <= MaxBatch ? ids : throw Open123Errors.Invalid("fileIDs 数量须在 1 到 100 之间");
    }

    internal static async Task<Open123ListEntry> EntryAsync(Open123Account account, Open123Node node) =>
        new(
            node.Id,
            node.Name,
            node.ParentId,
            node.IsFolder ? 1 : 0,
            node.Content is { } content ? await content.Md5Async() : "",
            node.Size,
            node.IsFolder ? 0 : Open123Categories.Of(node.Name),
            node.Status,
            0,
            $"{account.Uid}-0",
            "m0",
            node.Trashed ? 1 : 0,
            Open123Json.Time(node.CreatedAt),
            Open123Json.Time(node.UpdatedAt));
}

/// <summary>Documented name rules: fewer than 256 characters, none of <c>"\/:*?|&gt;&lt;</c>, not only spaces.</summary>
internal static class Open123Names
{
    private static readonly System.Buffers.SearchValues<char> Forbidden = System.Buffers.SearchValues.Create("\"\\/:*?|><");

    public static string Check(string name)
    {
        if (name.Length > 255)
        {
            throw Open123Errors.Invalid("文件名要小于256个字符");
        }

        if (name.AsSpan().IndexOfAny(Forbidden) >= 0)
        {
            throw Open123Errors.Invalid("文件名不能包含以下任何字符：\"\\/:*?|><");
        }

        if (string.IsNullOrWhiteSpace(name))
        {
            throw Open123Errors.Invalid("文件名不能全部是空格");
        }

        return name;
    }
}
