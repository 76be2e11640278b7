using System.Globalization;
using System.Text;
using OpenList.DriverHost.CloudFakes.Shared;

namespace OpenList.DriverHost.CloudFakes.Aliyun;

/// <summary>list, get, get_by_path, update (rename), move, copy, recyclebin/trash and delete.</summary>
internal static class AliyunFileEndpoints
{
    private const int DefaultLimit = 50;
    private const int MaxLimit = 200;
    private const string MarkerPrefix = "offset:";

    public static void Map(IEndpointRouteBuilder routes, AliyunFake fake)
    {
        const string Files = AliyunRoutes.ApiPrefix + "/openFile";
        AliyunRoutes.MapApi(routes, fake, Files + "/list", AliyunRateClass.List, List);
        AliyunRoutes.MapApi(routes, fake, Files + "/get", AliyunRateClass.Other, Get);
        AliyunRoutes.MapApi(routes, fake, Files + "/get_by_path", AliyunRateClass.Other, GetByPath);
        AliyunRoutes.MapApi(routes, fake, Files + "/update", AliyunRateClass.Other, Update);
        AliyunRoutes.MapApi(routes, fake, Files + "/move", AliyunRateClass.Other, Move);
        AliyunRoutes.MapApi(routes, fake, Files + "/copy", AliyunRateClass.Other, Copy);
        AliyunRoutes.MapApi(routes, fake, Files + "/recyclebin/trash", AliyunRateClass.Other, Trash);
        AliyunRoutes.MapApi(routes, fake, Files + "/delete", AliyunRateClass.Other, Delete);
    }

    /// <summary>
    /// Marker paging: the marker is opaque to clients, "" on the first call, and next_marker is "" on the last page.
    /// limit up to 200 is accepted (the driver sends 200; the documented max may be 100: UNCERTAIN), more is 400.
    /// Default order name ASC; ties keep creation order. Trashed entries are hidden.
    /// </summary>
    private static async Task<object> List(AliyunCall call)
    {
        var body = call.Body;
        var limit = body.OptionalInt64("limit") is { } requested and not 0 ? requested : DefaultLimit;
        if (limit is < 1 or > MaxLimit)
        {
            throw new FakeApiException(400, "InvalidParameter.Limit", "limit must be between 1 and 200.");
        }

        var orderBy = body.OptionalString("order_by") ?? "name";
        var descending = (body.OptionalString("order_direction") ?? "ASC").ToUpperInvariant() switch
        {
            "ASC" => false,
            "DESC" => true,
            _ => throw AliyunErrors.Invalid("order_direction", "must be ASC or DESC"),
        };
        var type = body.OptionalString("type") ?? "all";
        if (type is not ("all" or "file" or "folder"))
        {
            throw AliyunErrors.Invalid("type", "must be all, file or folder");
        }

        var offset = DecodeMarker(body.OptionalString("marker"));
        List<FileSnapshot> page;
        string next, driveId;
        lock (call.Fake.Gate)
        {
            var drive = call.Drive();
            var parent = call.Folder(drive, "parent_file_id");
            var children = drive.Tree.LiveChildren(parent.Id).Where(n => type == "all" || n.IsFolder == (type == "folder"));
            var ordered = Sort(children, orderBy, descending).ToList();
            page = ordered.Skip(offset).Take((int)limit).Select(n => n.Snapshot()).ToList();
            next = offset + page.Count < ordered.Count ? EncodeMarker(offset + page.Count) : "";
            driveId = drive.DriveId;
        }

        var items = new List<AliyunFileItem>(page.Count);
        foreach (var node in page)
        {
            items.Add(await AliyunJson.FileAsync(driveId, node));
        }

        return new AliyunListResponse(items, next);
    }

    private static async Task<object> Get(AliyunCall call)
    {
        FileSnapshot node;
        string driveId;
        lock (call.Fake.Gate)
        {
            var drive = call.Drive();
            node = call.Node(drive).Snapshot();
            driveId = drive.DriveId;
        }

        return await AliyunJson.FileAsync(driveId, node);
    }

    private static async Task<object> GetByPath(AliyunCall call)
    {
        FileSnapshot node;
        string driveId;
        lock (call.Fake.Gate)
        {
            var drive = call.Drive();
            node = (drive.Tree.ResolveLivePath(call.Body.RequiredString("file_path")) ?? throw AliyunErrors.NotFound()).Snapshot();
            driveId = drive.DriveId;
        }

        return await AliyunJson.FileAsync(driveId, node);
    }

    /// <summary>Rename. check_name_mode defaults to "refuse": a live sibling with the new name → 409 AlreadyExist.File.</summary>
    private static async Task<object> Update(AliyunCall call)
    {
        FileSnapshot node;
        string driveId;
        lock (call.Fake.Gate)
        {
            var drive = call.Drive();
            var target = NotRoot(call.Node(drive));
            if (call.Body.OptionalString("name") is { } name)
            {
                AliyunNames.Validate(name);
                var mode = AliyunNames.Mode(call, "refuse");
                var clash = drive.Tree.FindLiveChild(target.ParentId!, name) is { } other && other.Id != target.Id;
                if (clash && mode == "refuse")
                {
                    throw AliyunErrors.AlreadyExists(name);
                }

                drive.Tree.Rename(target, clash && mode == "auto_rename" ? drive.Tree.FreeName(target.ParentId!, name) : name);
            }

            node = target.Snapshot();
            driveId = drive.DriveId;
        }

        return await AliyunJson.FileAsync(driveId, node);
    }

    /// <summary>
    /// Keeps the file_id. check_name_mode defaults to "refuse"; DESIGN: a refused move answers 200
    /// <c>exist:true</c> and moves nothing (the response's <c>exist</c> flag suggests that; not confirmed).
    /// "ignore" allows a duplicate name, "auto_rename" picks a free one.
    /// </summary>
    private static Task<object> Move(AliyunCall call)
    {
        lock (call.Fake.Gate)
        {
            var drive = call.Drive();
            if (call.Body.OptionalString("to_drive_id") is { } toDrive && toDrive != drive.DriveId)
            {
                throw AliyunErrors.Invalid("to_drive_id", "must be the source drive (moves across drives are not supported)");
            }

            var node = NotRoot(call.Node(drive));
            var target = call.Folder(drive, "to_parent_file_id");
            if (drive.Tree.IsSelfOrAncestor(node, target))
            {
                throw AliyunErrors.Invalid("to_parent_file_id", "cannot be the folder itself or inside it");
            }

            var name = AliyunNames.Validate(call.Body.OptionalString("new_name") ?? node.Name, "new_name");
            var mode = AliyunNames.Mode(call, "refuse");
            var clash = drive.Tree.FindLiveChild(target.Id, name) is { } other && other.Id != node.Id;
            if (clash && mode == "refuse")
            {
                return Task.FromResult<object>(new AliyunMoveResponse(true, drive.DriveId, node.Id));
            }

            if (clash && mode == "auto_rename")
            {
                name = drive.Tree.FreeName(target.Id, name);
            }

            drive.Tree.Move(node, target.Id);
            if (name != node.Name)
            {
                drive.Tree.Rename(node, name);
            }

            return Task.FromResult<object>(new AliyunMoveResponse(false, drive.DriveId, node.Id));
        }
    }

    /// <summary>Deep copy with new ids. auto_rename false (the default) allows a duplicate name.</summary>
    private static Task<object> Copy(AliyunCall call)
    {
        lock (call.Fake.Gate)
        {
            var drive = call.Drive();
            var destination = call.Body.OptionalString("to_drive_id") is null ? drive : call.Drive("to_drive_id");
            var node = NotRoot(call.Node(drive));
            var target = call.Folder(destination, "to_parent_file_id");
            if (destination == drive && drive.Tree.IsSelfOrAncestor(node, target))
            {
                throw AliyunErrors.Invalid("to_parent_file_id", "cannot be the folder itself or inside it");
            }

            var name = call.Body.OptionalBool("auto_rename") == true ? destination.Tree.FreeName(target.Id, node.Name) : node.Name;
            var copy = drive.Tree.CopyInto(node, destination.Tree, target.Id, name);
            return Task.FromResult<object>(new AliyunFileRef(destination.DriveId, copy.Id));
        }
    }

    private static Task<object> Trash(AliyunCall call)
    {
        lock (call.Fake.Gate)
        {
            var drive = call.Drive();
            var node = NotRoot(call.Node(drive));
            drive.Tree.Trash(node);
            return Task.FromResult<object>(new AliyunFileRef(drive.DriveId, node.Id));
        }
    }

    /// <summary>Permanent delete; also works on entries already in the recycle bin.</summary>
    private static Task<object> Delete(AliyunCall call)
    {
        lock (call.Fake.Gate)
        {
            var drive = call.Drive();
            var node = NotRoot(drive.Tree.Get(call.Body.RequiredString("file_id")) ?? throw AliyunErrors.NotFound());
            drive.Tree.Delete(node);
            return Task.FromResult<object>(new AliyunFileRef(drive.DriveId, node.Id));
        }
    }

    private static FileNode NotRoot(FileNode node) =>
        node.ParentId is null ? throw AliyunErrors.Invalid("file_id", "cannot be the root") : node;

    private static IEnumerable<FileNode> Sort(IEnumerable<FileNode> nodes, string orderBy, bool descending)
    {
        IOrderedEnumerable<FileNode> ordered = orderBy switch
        {
            "name" => descending ? nodes.OrderByDescending(n => n.Name, StringComparer.Ordinal) : nodes.OrderBy(n => n.Name, StringComparer.Ordinal),
            "size" => descending ? nodes.OrderByDescending(n => n.Size) : nodes.OrderBy(n => n.Size),
            "updated_at" => descending ? nodes.OrderByDescending(n => n.UpdatedAt) : nodes.OrderBy(n => n.UpdatedAt),
            "created_at" => descending ? nodes.OrderByDescending(n => n.CreatedAt) : nodes.OrderBy(n => n.CreatedAt),
            _ => throw AliyunErrors.Invalid("order_by", "must be name, size, updated_at or created_at"),
        };
        return ordered.ThenBy(n => n.Order);
    }

    private static string EncodeMarker(int offset) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes(MarkerPrefix + offset.ToString(CultureInfo.InvariantCulture)));

    private static int DecodeMarker(string? marker)
    {
        if (marker is null)
        {
            return 0;
        }

        try
        {
            var text = Encoding.ASCII.GetString(Convert.FromBase64String(marker));
            if (text.StartsWith(MarkerPrefix, StringComparison.Ordinal)
                && int.TryParse(text.AsSpan(MarkerPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
            {
                return offset;
            }
        }
        catch (FormatException)
        {
            // Falls through to the 400 below.
        }

        throw AliyunErrors.Invalid("marker", "is not a marker this server issued");
    }
}
