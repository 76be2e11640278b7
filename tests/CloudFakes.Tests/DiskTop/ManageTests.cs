using System.Globalization;
using System.Net;

namespace OpenList.DriverHost.CloudFakes.Tests.DiskTop;

/// <summary>disktop-open-platform.md 新建文件夹 and 重命名 / 移动 / 删除 (<c>/v1/files/manage</c>).</summary>
public sealed class ManageTests
{
    [Fact]
    public async Task Folder_create_returns_id_name_and_absolute_path_and_refuses_a_taken_name()
    {
        await using var s = await DiskTopScenario.StartAsync();
        var data = DiskTopAssert.Ok(await s.PostFormAsync("/v1/files/folder", ("parent_path", "/"), ("name", "Photos")));
        Assert.Equal("Photos", data.GetProperty("name").GetString());
        Assert.Equal("/我的应用数据/GPTGet/Photos", data.GetProperty("path").GetString());
        Assert.Equal(s.Account.FolderId(s.Sandbox + "/Photos"), data.GetProperty("folder_id").GetInt64());

        var nested = DiskTopAssert.Ok(await s.PostFormAsync("/v1/files/folder", ("parent_path", "/Photos"), ("name", "2024 #1 + 50%")));
        Assert.Equal("/我的应用数据/GPTGet/Photos/2024 #1 + 50%", nested.GetProperty("path").GetString());
        DiskTopAssert.Ok(await s.PostFormAsync("/v1/files/folder", ("name", "DefaultsToRoot")));
        Assert.True(s.Account.Exists(s.Sandbox + "/DefaultsToRoot"));

        DiskTopAssert.Error(await s.PostFormAsync("/v1/files/folder", ("name", "Photos")), HttpStatusCode.Conflict);
        DiskTopAssert.Error(await s.PostFormAsync("/v1/files/folder", ("parent_path", "/missing"), ("name", "x")), HttpStatusCode.NotFound);
        DiskTopAssert.Error(await s.PostFormAsync("/v1/files/folder", ("name", "a/b")), HttpStatusCode.BadRequest);
        DiskTopAssert.Error(await s.PostFormAsync("/v1/files/folder", ("parent_path", "/")), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Post_bodies_must_be_forms()
    {
        await using var s = await DiskTopScenario.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/files/folder")
        {
            Content = new StringContent("""{"name":"Photos"}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", s.Tokens.AccessToken);
        using var response = await s.Http.SendAsync(request);
        DiskTopAssert.Error(await TestSupport.ApiResponse.ReadAsync(response), HttpStatusCode.BadRequest);
        Assert.False(s.Account.Exists(s.Sandbox + "/Photos"));
    }

    [Fact]
    public async Task Delete_takes_file_ids_and_folder_ids_arrays()
    {
        await using var s = await DiskTopScenario.StartAsync();
        var a = s.Account.AddFile(s.Sandbox + "/a.md", [1]);
        var b = s.Account.AddFile(s.Sandbox + "/b.md", [2]);
        var dir = s.Account.AddFolder(s.Sandbox + "/dir");
        s.Account.AddFile(s.Sandbox + "/dir/inner.txt", [3]);
        var data = DiskTopAssert.Ok(await s.PostFormAsync("/v1/files/manage", ("action", "delete"), ("file_ids[]", Id(a)), ("file_ids[]", Id(b)), ("folder_ids[]", Id(dir))));
        Assert.Equal(3, data.GetProperty("affected").GetInt32());
        Assert.Empty(s.Account.ChildNames(s.Sandbox));
    }

    [Fact]
    public async Task Ids_only_count_in_the_bracket_form_and_unknown_ids_change_nothing()
    {
        await using var s = await DiskTopScenario.StartAsync();
        s.Account.AddFile(s.Sandbox + "/first.md", [1]);
        s.Account.AddFile(s.Sandbox + "/second.md", [1]);
        var a = s.Account.AddFile(s.Sandbox + "/a.md", [1]); // its id is no folder id (the first two collide with the app-data folders)
        DiskTopAssert.Error(await s.PostFormAsync("/v1/files/manage", ("action", "delete"), ("file_ids", Id(a))), HttpStatusCode.BadRequest);
        DiskTopAssert.Error(await s.PostFormAsync("/v1/files/manage", ("action", "delete"), ("file_ids[]", Id(a)), ("file_ids[]", "999")), HttpStatusCode.NotFound);
        DiskTopAssert.Error(await s.PostFormAsync("/v1/files/manage", ("action", "delete"), ("folder_ids[]", Id(a))), HttpStatusCode.NotFound); // a file id is no folder id
        DiskTopAssert.Error(await s.PostFormAsync("/v1/files/manage", ("action", "shred"), ("file_ids[]", Id(a))), HttpStatusCode.BadRequest);
        Assert.True(s.Account.Exists(s.Sandbox + "/a.md"));
    }

    [Fact]
    public async Task Rename_takes_one_id_and_refuses_a_taken_name()
    {
        await using var s = await DiskTopScenario.StartAsync();
        var a = s.Account.AddFile(s.Sandbox + "/a.md", [1]);
        var b = s.Account.AddFile(s.Sandbox + "/b.md", [2]);
        var dir = s.Account.AddFolder(s.Sandbox + "/dir");
        Assert.Equal(1, DiskTopAssert.Ok(await s.PostFormAsync("/v1/files/manage", ("action", "rename"), ("file_ids[]", Id(a)), ("new_name", "updated.md"))).GetProperty("affected").GetInt32());
        DiskTopAssert.Ok(await s.PostFormAsync("/v1/files/manage", ("action", "rename"), ("folder_ids[]", Id(dir)), ("new_name", "目录")));
        Assert.Equal(["目录", "b.md", "updated.md"], s.Account.ChildNames(s.Sandbox));

        DiskTopAssert.Error(await s.PostFormAsync("/v1/files/manage", ("action", "rename"), ("file_ids[]", Id(b)), ("new_name", "updated.md")), HttpStatusCode.Conflict);
        DiskTopAssert.Error(await s.PostFormAsync("/v1/files/manage", ("action", "rename"), ("file_ids[]", Id(a)), ("file_ids[]", Id(b)), ("new_name", "x.md")), HttpStatusCode.BadRequest);
        DiskTopAssert.Error(await s.PostFormAsync("/v1/files/manage", ("action", "rename"), ("file_ids[]", Id(b))), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Move_and_copy_go_to_dest_path_all_or_nothing()
    {
        await using var s = await DiskTopScenario.StartAsync();
        var a = s.Account.AddFile(s.Sandbox + "/a.md", "A"u8.ToArray());
        var dir = s.Account.AddFolder(s.Sandbox + "/dir");
        s.Account.AddFile(s.Sandbox + "/dir/inner.txt", "I"u8.ToArray());
        s.Account.AddFolder(s.Sandbox + "/dest");

        Assert.Equal(2, DiskTopAssert.Ok(await s.PostFormAsync("/v1/files/manage", ("action", "copy"), ("file_ids[]", Id(a)), ("folder_ids[]", Id(dir)), ("dest_path", "/dest"))).GetProperty("affected").GetInt32());
        Assert.Equal("I"u8.ToArray(), s.Account.ReadAll(s.Sandbox + "/dest/dir/inner.txt"));
        Assert.NotEqual(a, s.Account.FileId(s.Sandbox + "/dest/a.md"));
        Assert.True(s.Account.Exists(s.Sandbox + "/a.md"));

        // a.md exists in /dest now: the whole move is refused, dir stays where it is.
        DiskTopAssert.Error(await s.PostFormAsync("/v1/files/manage", ("action", "move"), ("folder_ids[]", Id(dir)), ("file_ids[]", Id(a)), ("dest_path", "/dest")), HttpStatusCode.Conflict);
        Assert.True(s.Account.Exists(s.Sandbox + "/dir"));

        var other = s.Account.AddFolder(s.Sandbox + "/other");
        DiskTopAssert.Ok(await s.PostFormAsync("/v1/files/manage", ("action", "move"), ("folder_ids[]", Id(dir)), ("file_ids[]", Id(a)), ("dest_path", "/other")));
        Assert.Equal(["dir", "a.md"], s.Account.ChildNames(s.Sandbox + "/other"));
        Assert.Equal(a, s.Account.FileId(s.Sandbox + "/other/a.md")); // a move keeps the id

        DiskTopAssert.Error(await s.PostFormAsync("/v1/files/manage", ("action", "move"), ("folder_ids[]", Id(other)), ("dest_path", "/other/dir")), HttpStatusCode.BadRequest);
        DiskTopAssert.Error(await s.PostFormAsync("/v1/files/manage", ("action", "move"), ("file_ids[]", Id(a))), HttpStatusCode.BadRequest);
        DiskTopAssert.Error(await s.PostFormAsync("/v1/files/manage", ("action", "move"), ("file_ids[]", Id(a)), ("dest_path", "/nowhere")), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Sandbox_apps_cannot_touch_files_outside_or_the_sandbox_itself()
    {
        await using var s = await DiskTopScenario.StartAsync();
        var outside = s.Account.AddFile("/private/x.txt", [1]);
        var sandbox = s.Account.FolderId(s.Sandbox)!.Value;
        DiskTopAssert.Error(await s.PostFormAsync("/v1/files/manage", ("action", "delete"), ("file_ids[]", Id(outside))), HttpStatusCode.Forbidden);
        DiskTopAssert.Error(await s.PostFormAsync("/v1/files/manage", ("action", "delete"), ("folder_ids[]", Id(sandbox))), HttpStatusCode.Forbidden);
        Assert.True(s.Account.Exists("/private/x.txt"));

        var writer = s.Fake.IssueTokens(s.Account, DiskTopScenario.ClientId, "files.write_all");
        DiskTopAssert.Ok(await s.PostFormAsync("/v1/files/manage", [("action", "move"), ("file_ids[]", Id(outside)), ("dest_path", "/")], writer.AccessToken));
        Assert.True(s.Account.Exists("/x.txt"));
    }

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
}
