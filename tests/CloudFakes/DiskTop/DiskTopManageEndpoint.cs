namespace OpenList.DriverHost.CloudFakes.DiskTop;

/// <summary>
/// <c>POST /v1/files/manage</c>: action = rename | move | copy | delete over <c>file_ids[]</c> and <c>folder_ids[]</c>
/// (only the bracket form counts). All-or-nothing: every id is checked (404 unknown, 403 out of reach, 409 name
/// taken, 400 folder into itself) before anything changes. DESIGN where the docs are silent: rename takes exactly
/// one id; a name taken at the destination is 409 (no overwrite, no auto-rename); delete is permanent (no recycle
/// bin); the sandbox folder and the disk root cannot be touched (403). <c>affected</c> = the distinct ids acted on.
/// </summary>
internal static class DiskTopManageEndpoint
{
    public static void Map(IEndpointRouteBuilder routes, DiskTopFake fake) =>
        DiskTopRoutes.MapApi(routes, fake, HttpMethods.Post, "/v1/files/manage", Manage);

    private static Task<object> Manage(DiskTopCall call)
    {
        var action = call.RequiredField("action");
        if (action is not ("rename" or "move" or "copy" or "delete"))
        {
            throw DiskTopErrors.BadRequest("action must be rename, move, copy or delete");
        }

        var fileIds = call.IdArray("file_ids");
        var folderIds = call.IdArray("folder_ids");
        if (fileIds.Count + folderIds.Count == 0)
        {
            throw DiskTopErrors.BadRequest("file_ids[] or folder_ids[] is required");
        }

        lock (call.Fake.Gate)
        {
            var account = call.Account;
            var items = new List<DiskTopNode>();
            foreach (var id in fileIds)
            {
                items.Add(call.File(id));
            }

            foreach (var id in folderIds)
            {
                var folder = account.Folders.GetValueOrDefault(id) ?? throw DiskTopErrors.NotFound($"folder {id} not found");
                if (!call.CanRead(folder))
                {
                    throw DiskTopErrors.Forbidden($"folder {id} is outside the app's sandbox");
                }

                items.Add(folder);
            }

            var sandbox = call.Grant.Has(DiskTopScopes.AppData) ? call.Fake.Sandbox(account, call.Grant.ClientId) : null;
            foreach (var item in items)
            {
                if (item.IsRoot || ReferenceEquals(item, sandbox) || (item.IsFolder && item.Parent!.IsRoot && item.Name == DiskTopFake.AppDataFolder))
                {
                    throw DiskTopErrors.Forbidden($"'{item.Path}' cannot be changed");
                }

                if (action != "copy")
                {
                    call.RequireWrite(item);
                }
            }

            var affected = action switch
            {
                "rename" => Rename(call, items),
                "delete" => Delete(account, items),
                _ => MoveOrCopy(call, items, copy: action == "copy"),
            };
            object answer = new DiskTopAffected(affected);
            return Task.FromResult(answer);
        }
    }

    private static int Rename(DiskTopCall call, List<DiskTopNode> items)
    {
        var newName = call.RequiredField("new_name");
        DiskTopPaths.CheckName(newName, "new_name");
        if (items.Count != 1)
        {
            throw DiskTopErrors.BadRequest("rename takes exactly one id");
        }

        var item = items[0];
        if (item.Parent!.Child(newName) is { } other && !ReferenceEquals(other, item))
        {
            throw DiskTopErrors.Conflict($"'{newName}' already exists in '{item.Parent.Path}'");
        }

        item.Name = newName;
        return 1;
    }

    private static int Delete(DiskTopAccount account, List<DiskTopNode> items)
    {
        foreach (var item in items)
        {
            // A listed descendant of an already deleted folder is gone with it.
            if (ReferenceEquals((item.IsFolder ? account.Folders : account.Files).GetValueOrDefault(item.Id), item))
            {
                account.Remove(item);
            }
        }

        return items.Count;
    }

    private static int MoveOrCopy(DiskTopCall call, List<DiskTopNode> items, bool copy)
    {
        var destination = call.FolderAt(call.Field("dest_path") ?? throw DiskTopErrors.BadRequest("dest_path is required"), "dest_path");
        call.RequireWrite(destination);
        var incoming = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            if (item.IsFolder && destination.IsUnder(item))
            {
                throw DiskTopErrors.BadRequest($"cannot {(copy ? "copy" : "move")} '{item.Path}' into itself");
            }

            var staysPut = !copy && ReferenceEquals(item.Parent, destination);
            if ((!staysPut && destination.Child(item.Name) is not null) || !incoming.Add(item.Name))
            {
                throw DiskTopErrors.Conflict($"'{item.Name}' already exists in '{destination.Path}'");
            }
        }

        foreach (var item in items)
        {
            if (copy)
            {
                call.Account.CopyInto(item, destination);
            }
            else if (!ReferenceEquals(item.Parent, destination))
            {
                DiskTopAccount.Move(item, destination);
            }
        }

        return items.Count;
    }
}
