using System.Net.Http.Headers;
using System.Text.Json;
using OpenList.DriverHost.CloudFakes.Tests.TestSupport;

namespace OpenList.DriverHost.CloudFakes.Tests.Open115;

/// <summary>cloud-apis.md §1.5: mkdir, rename, move, copy (no_dupli), delete, and their error codes.</summary>
public sealed class Open115FileOperationTests
{
    private static Dictionary<string, string> Form(params (string Key, string Value)[] pairs) => pairs.ToDictionary(p => p.Key, p => p.Value);

    [Fact]
    public async Task Mkdir_answers_string_ids_and_refuses_an_existing_folder_name_with_20004()
    {
        await using var s = await Open115Scenario.StartAsync();
        var answer = await s.PostAsync("/open/folder/add", Form(("pid", "0"), ("file_name", "新建文件夹")));
        answer.AssertOk();
        Assert.Equal(JsonValueKind.String, answer.Data.GetProperty("file_id").ValueKind);
        Assert.Equal("新建文件夹", answer.Data.GetProperty("file_name").GetString());
        Assert.Equal(s.Account.FileId("/新建文件夹"), answer.Data.GetProperty("file_id").GetString());

        (await s.PostAsync("/open/folder/add", Form(("pid", "0"), ("file_name", "新建文件夹")))).AssertError(20004);
        (await s.PostAsync("/open/folder/add", Form(("pid", "987654321"), ("file_name", "x")))).AssertError(430004);
        (await s.PostAsync("/open/folder/add", Form(("pid", "0")))).AssertError(990002);
        (await s.PostAsync("/open/folder/add", Form(("pid", "0"), ("file_name", new string('a', 256))))).AssertError(990002);
    }

    [Fact]
    public async Task Parameters_come_from_the_form_body_only()
    {
        await using var s = await Open115Scenario.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/open/folder/add")
        {
            Content = new StringContent("""{"pid":"0","file_name":"json"}""", new MediaTypeHeaderValue("application/json")),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", s.Tokens.AccessToken);
        using var response = await s.Http.SendAsync(request);
        (await Open115Response.ReadAsync(response)).AssertError(990002);

        (await s.PostAsync("/open/folder/add?pid=0&file_name=query", Form())).AssertError(990002);
        Assert.Empty(s.Account.List("/"));
    }

    [Fact]
    public async Task Rename_and_star()
    {
        await using var s = await Open115Scenario.StartAsync();
        var id = s.Account.AddFile("/a.txt", [1]);
        s.Account.AddFolder("/d1");
        var d2 = s.Account.AddFolder("/d2");
        var answer = await s.PostAsync("/open/ufile/update", Form(("file_id", id), ("file_name", "b.txt")));
        answer.AssertOk();
        Assert.Equal("b.txt", answer.Data.GetProperty("file_name").GetString());
        Assert.Equal("0", answer.Data.GetProperty("star").GetString());
        Assert.Equal(id, s.Account.FileId("/b.txt"));

        var starred = await s.PostAsync("/open/ufile/update", Form(("file_id", id), ("star", "1")));
        Assert.Equal("1", starred.Data.GetProperty("star").GetString());
        var list = await s.GetAsync("/open/ufile/files", Form(("cid", "0"), ("show_dir", "1"), ("star", "1")));
        Assert.Equal(1, list.Json.GetProperty("count").GetInt64());
        Assert.Equal("1", list.Data[0].GetProperty("ism").GetString());

        (await s.PostAsync("/open/ufile/update", Form(("file_id", d2), ("file_name", "d1")))).AssertError(20004);
        (await s.PostAsync("/open/ufile/update", Form(("file_id", "123"), ("file_name", "x")))).AssertError(430004);
        (await s.PostAsync("/open/ufile/update", Form(("file_id", id)))).AssertError(990002);
    }

    [Fact]
    public async Task Move_checks_everything_before_moving_anything()
    {
        await using var s = await Open115Scenario.StartAsync();
        var a = s.Account.AddFile("/src/a.txt", [1]);
        var b = s.Account.AddFile("/src/b.txt", [2]);
        var dst = s.Account.AddFolder("/dst");
        var src = s.Account.FileId("/src")!;

        (await s.PostAsync("/open/ufile/move", Form(("file_ids", $"{a},424242"), ("to_cid", dst)))).AssertError(430004);
        Assert.True(s.Account.Exists("/src/a.txt"));
        (await s.PostAsync("/open/ufile/move", Form(("file_ids", src), ("to_cid", src)))).AssertError(990009);
        (await s.PostAsync("/open/ufile/move", Form(("file_ids", a), ("to_cid", "424242")))).AssertError(430004);

        var moved = await s.PostAsync("/open/ufile/move", Form(("file_ids", $"{a},{b}"), ("to_cid", dst)));
        moved.AssertOk();
        Assert.Equal(a, s.Account.FileId("/dst/a.txt"));
        Assert.Equal(b, s.Account.FileId("/dst/b.txt"));
        Assert.Empty(s.Account.List("/src"));
    }

    [Fact]
    public async Task Copy_with_no_dupli_refuses_an_existing_name_and_copies_get_new_ids()
    {
        await using var s = await Open115Scenario.StartAsync();
        var a = s.Account.AddFile("/a.txt", "x"u8.ToArray());
        s.Account.AddFile("/tree/sub/deep.txt", "y"u8.ToArray());
        var dst = s.Account.AddFolder("/dst");
        var tree = s.Account.FileId("/tree")!;

        var copied = await s.PostAsync("/open/ufile/copy", Form(("pid", dst), ("file_id", $"{a},{tree}"), ("no_dupli", "1")));
        copied.AssertOk();
        Assert.NotEqual(a, s.Account.FileId("/dst/a.txt"));
        Assert.NotEqual(s.Account.PickCode("/a.txt"), s.Account.PickCode("/dst/a.txt"));
        Assert.Equal("y"u8.ToArray(), s.Account.ReadAll("/dst/tree/sub/deep.txt"));

        (await s.PostAsync("/open/ufile/copy", Form(("pid", dst), ("file_id", a), ("no_dupli", "1")))).AssertError(20004);
        (await s.PostAsync("/open/ufile/copy", Form(("pid", dst), ("file_id", a), ("no_dupli", "0")))).AssertOk();
        Assert.Equal(2, s.Account.List("/dst").Count(n => n == "a.txt"));
        (await s.PostAsync("/open/ufile/copy", Form(("pid", tree), ("file_id", tree)))).AssertError(990009);
        (await s.PostAsync("/open/ufile/copy", Form(("pid", dst), ("file_id", "31337")))).AssertError(430004);
    }

    [Fact]
    public async Task Delete_answers_an_empty_string_array_and_moves_to_the_recycle_bin()
    {
        await using var s = await Open115Scenario.StartAsync();
        var a = s.Account.AddFile("/d/a.txt", [1]);
        var d = s.Account.FileId("/d")!;
        (await s.PostAsync("/open/ufile/delete", Form(("file_ids", a), ("parent_id", "0")))).AssertError(430004);
        var deleted = await s.PostAsync("/open/ufile/delete", Form(("file_ids", a), ("parent_id", d)));
        deleted.AssertOk();
        Assert.Equal(JsonValueKind.Array, deleted.Data.ValueKind);
        Assert.Equal(0, deleted.Data.GetArrayLength());
        Assert.False(s.Account.Exists("/d/a.txt"));
        Assert.Equal(["a.txt"], s.Account.RecycleBin);

        (await s.PostAsync("/open/ufile/delete", Form(("file_ids", a)))).AssertError(430004);
        (await s.PostAsync("/open/ufile/delete", Form(("file_ids", d)))).AssertOk(); // parent_id is optional
        (await s.GetAsync("/open/ufile/files", Form(("cid", d)))).AssertError(430004);
        (await s.PostAsync("/open/ufile/delete", Form(("file_ids", "0")))).AssertError(990009);
    }
}
