using System.Net;
using System.Text;
using OpenList.DriverHost.CloudFakes.Tests.TestSupport;

namespace OpenList.DriverHost.CloudFakes.Tests.Aliyun;

/// <summary>create (folder), update, move, copy, trash and delete.</summary>
public sealed class FileOperationTests
{
    [Fact]
    public async Task Mkdir_refuse_conflicts_with_409_and_auto_rename_picks_a_free_name()
    {
        await using var s = await Scenario.StartAsync();
        var created = await s.ApiAsync("openFile/create", new { drive_id = s.Drive, parent_file_id = "root", name = "Music", type = "folder", check_name_mode = "refuse" });
        created.AssertOk();
        Assert.Equal("Music", created.Str("file_name"));
        Assert.Equal("folder", created.Str("type"));
        Assert.Equal(s.Account.FileId("resource", "/Music"), created.Str("file_id"));

        (await s.ApiAsync("openFile/create", new { drive_id = s.Drive, parent_file_id = "root", name = "Music", type = "folder", check_name_mode = "refuse" }))
            .AssertError(HttpStatusCode.Conflict, "AlreadyExist.File");
        var renamed = await s.ApiAsync("openFile/create", new { drive_id = s.Drive, parent_file_id = "root", name = "Music", type = "folder", check_name_mode = "auto_rename" });
        Assert.Equal("Music(1)", renamed.Str("file_name"));
    }

    [Fact]
    public async Task Rename_to_a_taken_name_is_409_otherwise_renames()
    {
        await using var s = await Scenario.StartAsync();
        var a = s.Account.AddFile("resource", "/a.txt", Encoding.UTF8.GetBytes("a"));
        s.Account.AddFile("resource", "/b.txt", Encoding.UTF8.GetBytes("b"));
        (await s.ApiAsync("openFile/update", new { drive_id = s.Drive, file_id = a, name = "b.txt" })).AssertError(HttpStatusCode.Conflict, "AlreadyExist.File");
        var renamed = await s.ApiAsync("openFile/update", new { drive_id = s.Drive, file_id = a, name = "c.txt" });
        renamed.AssertOk();
        Assert.Equal("c.txt", renamed.Str("name"));
        Assert.Equal(a, s.Account.FileId("resource", "/c.txt"));
    }

    [Fact]
    public async Task Move_keeps_the_id_and_ignore_allows_a_duplicate_name()
    {
        await using var s = await Scenario.StartAsync();
        var file = s.Account.AddFile("resource", "/src/x.txt", Encoding.UTF8.GetBytes("new"));
        s.Account.AddFile("resource", "/dst/x.txt", Encoding.UTF8.GetBytes("old"));
        var dst = s.Account.FileId("resource", "/dst");

        var refused = await s.ApiAsync("openFile/move", new { drive_id = s.Drive, file_id = file, to_parent_file_id = dst });
        refused.AssertOk();
        Assert.True(refused.Json.GetProperty("exist").GetBoolean());
        Assert.True(s.Account.Exists("resource", "/src/x.txt"));

        var moved = await s.ApiAsync("openFile/move", new { drive_id = s.Drive, file_id = file, to_parent_file_id = dst, check_name_mode = "ignore" });
        moved.AssertOk();
        Assert.False(moved.Json.GetProperty("exist").GetBoolean());
        Assert.Equal(file, moved.Str("file_id"));
        Assert.False(s.Account.Exists("resource", "/src/x.txt"));
        var listing = await s.ApiAsync("openFile/list", new { drive_id = s.Drive, parent_file_id = dst, limit = 200 });
        Assert.Equal(2, listing.Json.GetProperty("items").EnumerateArray().Count(i => i.GetProperty("name").GetString() == "x.txt"));
    }

    [Fact]
    public async Task Moving_a_folder_into_itself_is_400()
    {
        await using var s = await Scenario.StartAsync();
        var folder = s.Account.AddFolder("resource", "/a");
        var child = s.Account.AddFolder("resource", "/a/b");
        (await s.ApiAsync("openFile/move", new { drive_id = s.Drive, file_id = folder, to_parent_file_id = child })).AssertError(HttpStatusCode.BadRequest, "InvalidParameter.ToParentFileId");
    }

    [Fact]
    public async Task Copy_returns_a_new_id_deep_copies_and_allows_duplicates_without_auto_rename()
    {
        await using var s = await Scenario.StartAsync();
        var folder = s.Account.AddFolder("resource", "/album");
        s.Account.AddFile("resource", "/album/p.jpg", Encoding.UTF8.GetBytes("jpeg"));
        var copy = await s.ApiAsync("openFile/copy", new { drive_id = s.Drive, file_id = folder, to_parent_file_id = "root", auto_rename = false });
        copy.AssertOk();
        Assert.NotEqual(folder, copy.Str("file_id"));
        var listing = await s.ApiAsync("openFile/list", new { drive_id = s.Drive, parent_file_id = "root", limit = 200 });
        Assert.Equal(2, listing.Json.GetProperty("items").EnumerateArray().Count(i => i.GetProperty("name").GetString() == "album"));
        var inner = await s.ApiAsync("openFile/list", new { drive_id = s.Drive, parent_file_id = copy.Str("file_id"), limit = 200 });
        Assert.Equal("p.jpg", inner.Json.GetProperty("items")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task Trash_moves_to_the_recycle_bin_and_delete_removes_for_good()
    {
        await using var s = await Scenario.StartAsync();
        var trashed = s.Account.AddFile("resource", "/t.txt", Encoding.UTF8.GetBytes("t"));
        var deleted = s.Account.AddFile("resource", "/d.txt", Encoding.UTF8.GetBytes("d"));
        (await s.ApiAsync("openFile/recyclebin/trash", new { drive_id = s.Drive, file_id = trashed })).AssertOk();
        (await s.ApiAsync("openFile/delete", new { drive_id = s.Drive, file_id = deleted })).AssertOk();

        Assert.Equal(["t.txt"], s.Account.RecycleBin);
        Assert.False(s.Account.Exists("resource", "/t.txt"));
        Assert.False(s.Account.Exists("resource", "/d.txt"));
        (await s.ApiAsync("openFile/get", new { drive_id = s.Drive, file_id = trashed })).AssertError(HttpStatusCode.NotFound, "NotFound.File");
        (await s.ApiAsync("openFile/delete", new { drive_id = s.Drive, file_id = deleted })).AssertError(HttpStatusCode.NotFound, "NotFound.File");
    }
}
