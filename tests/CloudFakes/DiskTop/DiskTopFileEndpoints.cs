using System.Globalization;
using OpenList.DriverHost.CloudFakes.Shared;

namespace OpenList.DriverHost.CloudFakes.DiskTop;

/// <summary>List (<c>GET /v1/files</c>), search, file meta (<c>GET /v1/files/{id}</c>) and folder create.</summary>
internal static class DiskTopFileEndpoints
{
    public const int MaxLimit = 200;
    public const int DefaultLimit = 50;

    public static void Map(IEndpointRouteBuilder routes, DiskTopFake fake)
    {
        DiskTopRoutes.MapApi(routes, fake, HttpMethods.Get, "/v1/files", ListAsync);
        DiskTopRoutes.MapApi(routes, fake, HttpMethods.Get, "/v1/files/search", SearchAsync);
        DiskTopRoutes.MapApi(routes, fake, HttpMethods.Get, "/v1/files/{id}", MetaAsync);
        DiskTopRoutes.MapApi(routes, fake, HttpMethods.Post, "/v1/files/folder", CreateFolder);
    }

    /// <summary>The <c>{id}</c> route value as a file id (400 when it is not an integer).</summary>
    public static long RouteId(DiskTopCall call) =>
        long.TryParse((string?)call.Http.Request.RouteValues["id"], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : throw DiskTopErrors.BadRequest("id must be an integer file id");

    public static async Task<DiskTopFileItem> ItemAsync(DiskTopNode file) =>
        new(file.Id, file.Name, file.Size, await file.Content!.Md5);

    /// <summary>
    /// One page of the folder at <c>path</c>: folders first, then files, each by name (ordinal); the page is a slice
    /// of that combined sequence, and <c>total</c> counts folders + files. page ≥ 1, 1 ≤ limit ≤ 200 (400 otherwise);
    /// a page past the end is empty.
    /// </summary>
    private static async Task<object> ListAsync(DiskTopCall call)
    {
        var page = call.QueryInt("page", 1);
        var limit = call.QueryInt("limit", DefaultLimit);
        if (page < 1)
        {
            throw DiskTopErrors.BadRequest("page must be >= 1");
        }

        if (limit is < 1 or > MaxLimit)
        {
            throw DiskTopErrors.BadRequest($"limit must be between 1 and {MaxLimit}");
        }

        var path = call.Query["path"].ToString();
        string echo;
        List<DiskTopNode> slice;
        int total;
        lock (call.Fake.Gate)
        {
            var folder = call.FolderAt(path, "path");
            echo = DiskTopPaths.Normalize(path, "path");
            var children = DiskTopAccount.SortedChildren(folder).ToList();
            total = children.Count;
            slice = page - 1 >= (total + limit - 1) / limit ? [] : children.Skip((int)((page - 1) * limit)).Take((int)limit).ToList();
        }

        var files = new List<DiskTopFileItem>();
        foreach (var file in slice.Where(n => !n.IsFolder))
        {
            files.Add(await ItemAsync(file));
        }

        return new DiskTopList(echo, slice.Where(n => n.IsFolder).Select(n => new DiskTopFolderItem(n.Id, n.Name)).ToList(), files, total);
    }

    /// <summary>
    /// Files under the app's reach whose name contains <c>q</c> (case-insensitive), optionally with extension
    /// <c>ext</c> (case-insensitive, no dot), by id; <c>total</c> counts every match, <c>files</c> holds at most
    /// <c>limit</c> (default 50, 1..200 like the list). Folders are not searched.
    /// </summary>
    private static async Task<object> SearchAsync(DiskTopCall call)
    {
        var q = call.Query["q"].ToString();
        if (q.Length == 0)
        {
            throw DiskTopErrors.BadRequest("q is required");
        }

        var ext = call.Query["ext"].ToString();
        var limit = call.QueryInt("limit", DefaultLimit);
        if (limit is < 1 or > MaxLimit)
        {
            throw DiskTopErrors.BadRequest($"limit must be between 1 and {MaxLimit}");
        }

        List<DiskTopNode> matches;
        lock (call.Fake.Gate)
        {
            var root = call.PathRoot();
            matches = root.SelfAndDescendants()
                .Where(n => !n.IsFolder
                    && n.Name.Contains(q, StringComparison.OrdinalIgnoreCase)
                    && (ext.Length == 0 || string.Equals(FakePath.Extension(n.Name), ext, StringComparison.OrdinalIgnoreCase)))
                .OrderBy(n => n.Id)
                .ToList();
        }

        var files = new List<DiskTopFileItem>();
        foreach (var file in matches.Take((int)limit))
        {
            files.Add(await ItemAsync(file));
        }

        return new DiskTopSearch(files, matches.Count);
    }

    /// <summary>File ids only (a folder id answers 404: the docs describe no folder meta). <c>path</c> is absolute from the disk root.</summary>
    private static async Task<object> MetaAsync(DiskTopCall call)
    {
        var id = RouteId(call);
        DiskTopNode file;
        string path;
        long parent;
        lock (call.Fake.Gate)
        {
            file = call.File(id);
            path = file.Path;
            parent = file.Parent!.Id;
        }

        return new DiskTopFileMeta(
            file.Id,
            file.Name,
            file.Size,
            await file.Content!.Md5,
            FakePath.Extension(file.Name),
            file.Mime,
            path,
            parent,
            DiskTopJson.Unix(file.CreatedAt));
    }

    /// <summary>parent_path (default "/") must be an existing folder; a taken name (file or folder) is 409.</summary>
    private static Task<object> CreateFolder(DiskTopCall call)
    {
        var name = call.RequiredField("name");
        DiskTopPaths.CheckName(name, "name");
        lock (call.Fake.Gate)
        {
            var parent = call.FolderAt(call.Field("parent_path"), "parent_path");
            call.RequireWrite(parent);
            if (parent.Child(name) is not null)
            {
                throw DiskTopErrors.Conflict($"'{name}' already exists in '{parent.Path}'");
            }

            var folder = call.Account.CreateFolder(parent, name);
            object created = new DiskTopFolderCreated(folder.Id, folder.Name, folder.Path);
            return Task.FromResult(created);
        }
    }
}
