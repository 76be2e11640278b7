using System.Globalization;
using System.Text.Json;
using OpenList.DriverHost.CloudFakes.Tests.TestSupport;

namespace OpenList.DriverHost.CloudFakes.Tests.Open115;

/// <summary>cloud-apis.md §1.5: <c>/open/ufile/files</c> types, offset paging with the true count, limits; folder info; user info.</summary>
public sealed class Open115ListTests
{
    private static Dictionary<string, string> Query(string cid, int limit, int offset, string? extra = null)
    {
        var query = new Dictionary<string, string>
        {
            ["cid"] = cid,
            ["limit"] = limit.ToString(CultureInfo.InvariantCulture),
            ["offset"] = offset.ToString(CultureInfo.InvariantCulture),
            ["asc"] = "1",
            ["o"] = "file_name",
            ["custom_order"] = "0",
            ["stdir"] = "0",
            ["star"] = "0",
            ["cur"] = "0",
            ["show_dir"] = "1",
        };
        if (extra is not null)
        {
            var pair = extra.Split('=');
            query[pair[0]] = pair[1];
        }

        return query;
    }

    [Fact]
    public async Task Listing_entries_have_the_sdk_types()
    {
        await using var s = await Open115Scenario.StartAsync();
        var fileId = s.Account.AddFile("/docs/a.txt", "hello"u8.ToArray());
        var folderId = s.Account.AddFolder("/docs/sub");
        var docs = s.Account.FileId("/docs")!;
        var answer = await s.GetAsync("/open/ufile/files", Query(docs, 200, 0));
        answer.AssertOk();
        var root = answer.Json;
        Assert.Equal(2, root.GetProperty("count").GetInt64());
        Assert.Equal(JsonValueKind.Number, root.GetProperty("cid").ValueKind);
        Assert.Equal(docs, root.GetProperty("cid").GetRawText());
        Assert.Equal(JsonValueKind.Number, root.GetProperty("limit").ValueKind);
        Assert.Equal(JsonValueKind.Number, root.GetProperty("offset").ValueKind);
        Assert.Equal(JsonValueKind.Number, root.GetProperty("is_asc").ValueKind);
        Assert.Equal(JsonValueKind.Number, root.GetProperty("aid").ValueKind);
        Assert.Equal("根目录", root.GetProperty("path")[0].GetProperty("name").GetString());

        var entries = answer.Data.EnumerateArray().ToList();
        Assert.Equal(2, entries.Count);
        var folder = entries[0];
        var file = entries[1];
        Assert.Equal(folderId, folder.GetProperty("fid").GetString());
        Assert.Equal("0", folder.GetProperty("fc").GetString());
        Assert.Equal(fileId, file.GetProperty("fid").GetString());
        Assert.Equal("1", file.GetProperty("fc").GetString());
        Assert.Equal("a.txt", file.GetProperty("fn").GetString());
        Assert.Equal(docs, file.GetProperty("pid").GetString());
        Assert.Equal(s.Account.PickCode("/docs/a.txt"), file.GetProperty("pc").GetString());
        Assert.Equal("AAF4C61DDCC5E8A2DABEDE0F3B482CD9AEA9434D", file.GetProperty("sha1").GetString());
        foreach (var name in new[] { "fid", "aid", "pid", "fc", "fn", "fco", "ism", "pc", "fdesc", "sha1", "fta", "ico", "fatr", "v_img", "thumb", "uo" })
        {
            Assert.True(file.GetProperty(name).ValueKind == JsonValueKind.String, name);
        }

        foreach (var name in new[] { "isp", "upt", "uet", "uppt", "cm", "ispl", "fs", "isv", "def", "def2", "play_long" })
        {
            Assert.True(file.GetProperty(name).ValueKind == JsonValueKind.Number, name);
        }

        Assert.Equal(5, file.GetProperty("fs").GetInt64());
        Assert.Equal(JsonValueKind.Array, file.GetProperty("fl").ValueKind);
        Assert.True(long.Parse(fileId, CultureInfo.InvariantCulture) > (1L << 53), "ids are beyond double precision");
    }

    [Fact]
    public async Task Offset_paging_covers_every_entry_once_and_count_is_the_total()
    {
        await using var s = await Open115Scenario.StartAsync();
        for (var i = 0; i < 25; i++)
        {
            s.Account.AddFile($"/many/f{i:D2}.bin", [(byte)i]);
        }

        s.Account.AddFolder("/many/zdir");
        var cid = s.Account.FileId("/many")!;
        var seen = new List<string>();
        for (var offset = 0; ; offset += 7)
        {
            var page = await s.GetAsync("/open/ufile/files", Query(cid, 7, offset));
            page.AssertOk();
            Assert.Equal(26, page.Json.GetProperty("count").GetInt64());
            seen.AddRange(page.Data.EnumerateArray().Select(e => e.GetProperty("fn").GetString()!));
            if (seen.Count >= 26)
            {
                break;
            }
        }

        Assert.Equal(26, seen.Distinct().Count());
        Assert.Equal("zdir", seen[0]); // folders first
        Assert.Equal("f00.bin", seen[1]);

        var beyond = await s.GetAsync("/open/ufile/files", Query(cid, 7, 100));
        beyond.AssertOk();
        Assert.Empty(beyond.Data.EnumerateArray());
        Assert.Equal(26, beyond.Json.GetProperty("count").GetInt64());
    }

    [Fact]
    public async Task Without_show_dir_folders_are_left_out_of_data_and_count()
    {
        await using var s = await Open115Scenario.StartAsync();
        s.Account.AddFile("/x/a.txt", [1]);
        s.Account.AddFolder("/x/d");
        var query = Query(s.Account.FileId("/x")!, 20, 0, "show_dir=0");
        var answer = await s.GetAsync("/open/ufile/files", query);
        Assert.Equal(1, answer.Json.GetProperty("count").GetInt64());
        Assert.Equal("a.txt", answer.Data[0].GetProperty("fn").GetString());
    }

    [Fact]
    public async Task Limit_above_1150_or_below_1_and_bad_parameters_are_refused()
    {
        await using var s = await Open115Scenario.StartAsync();
        (await s.GetAsync("/open/ufile/files", Query("0", 1150, 0))).AssertOk();
        (await s.GetAsync("/open/ufile/files", Query("0", 1151, 0))).AssertError(990002);
        (await s.GetAsync("/open/ufile/files", Query("0", 0, 0))).AssertError(990002);
        (await s.GetAsync("/open/ufile/files", Query("0", 10, -1))).AssertError(990002);
        (await s.GetAsync("/open/ufile/files", Query("0", 10, 0, "asc=yes"))).AssertError(990002);
        (await s.GetAsync("/open/ufile/files", Query("0", 10, 0, "o=name"))).AssertError(990002);
        (await s.GetAsync("/open/ufile/files", Query("0", 10, 0, "limit=ten"))).AssertError(990002);
    }

    [Fact]
    public async Task Missing_or_deleted_folder_is_430004()
    {
        await using var s = await Open115Scenario.StartAsync();
        var fileId = s.Account.AddFile("/f.txt", [1]);
        (await s.GetAsync("/open/ufile/files", Query("123456789", 10, 0))).AssertError(430004);
        (await s.GetAsync("/open/ufile/files", Query(fileId, 10, 0))).AssertError(430004);
    }

    [Fact]
    public async Task Folder_info_by_id_and_path_has_string_times_and_paths_from_the_root()
    {
        await using var s = await Open115Scenario.StartAsync();
        var fileId = s.Account.AddFile("/a/b/c.txt", "hello"u8.ToArray());
        s.Account.AddFile("/a/b/d.txt", "hi"u8.ToArray());
        var a = s.Account.FileId("/a")!;
        var b = s.Account.FileId("/a/b")!;

        var byPath = await s.PostAsync("/open/folder/get_info", new Dictionary<string, string> { ["path"] = "/a/b/c.txt" });
        byPath.AssertOk();
        var info = byPath.Data;
        Assert.Equal(fileId, info.GetProperty("file_id").GetString());
        Assert.Equal("1", info.GetProperty("file_category").GetString());
        Assert.Equal(JsonValueKind.String, info.GetProperty("ptime").ValueKind);
        Assert.Equal(JsonValueKind.String, info.GetProperty("utime").ValueKind);
        Assert.True(long.Parse(info.GetProperty("utime").GetString()!, CultureInfo.InvariantCulture) > 0);
        Assert.Equal(5, info.GetProperty("size_byte").GetInt64());
        Assert.Equal(JsonValueKind.String, info.GetProperty("size").ValueKind);
        Assert.Equal("AAF4C61DDCC5E8A2DABEDE0F3B482CD9AEA9434D", info.GetProperty("sha1").GetString());
        var paths = info.GetProperty("paths").EnumerateArray().Select(p => (p.GetProperty("file_id").GetString(), p.GetProperty("file_name").GetString())).ToList();
        Assert.Equal([("0", "根目录"), (a, "a"), (b, "b")], paths);

        var folder = await s.GetAsync("/open/folder/get_info", new Dictionary<string, string> { ["file_id"] = b });
        folder.AssertOk();
        Assert.Equal("0", folder.Data.GetProperty("file_category").GetString());
        Assert.Equal(2, folder.Data.GetProperty("count").GetInt64());
        Assert.Equal(7, folder.Data.GetProperty("size_byte").GetInt64());
        Assert.Equal(2, folder.Data.GetProperty("paths").GetArrayLength());

        (await s.PostAsync("/open/folder/get_info", new Dictionary<string, string> { ["path"] = "/a/nope" })).AssertError(430004);
        (await s.GetAsync("/open/folder/get_info", new Dictionary<string, string> { ["file_id"] = "42" })).AssertError(430004);
        (await s.GetAsync("/open/folder/get_info")).AssertError(990002);

        s.Fake.FolderInfoAsArray = true;
        var asArray = await s.PostAsync("/open/folder/get_info", new Dictionary<string, string> { ["path"] = "/a/b/c.txt" });
        asArray.AssertOk();
        Assert.Equal(fileId, asArray.Data[0].GetProperty("file_id").GetString());
        var none = await s.PostAsync("/open/folder/get_info", new Dictionary<string, string> { ["path"] = "/a/nope" });
        none.AssertOk();
        Assert.Equal(0, none.Data.GetArrayLength());
    }

    [Fact]
    public async Task User_info_reports_numeric_ids_and_quota()
    {
        await using var s = await Open115Scenario.StartAsync();
        s.Account.AddFile("/q.bin", new byte[1000]);
        var answer = await s.GetAsync("/open/user/info");
        answer.AssertOk();
        Assert.Equal(JsonValueKind.Number, answer.Data.GetProperty("user_id").ValueKind);
        Assert.Equal(s.Account.UserId, answer.Data.GetProperty("user_id").GetInt64());
        var space = answer.Data.GetProperty("rt_space_info");
        Assert.Equal(s.Account.TotalSize, space.GetProperty("all_total").GetProperty("size").GetInt64());
        Assert.Equal(1000, space.GetProperty("all_use").GetProperty("size").GetInt64());
        Assert.Equal(s.Account.TotalSize - 1000, space.GetProperty("all_remain").GetProperty("size").GetInt64());
        Assert.Equal(JsonValueKind.Number, answer.Data.GetProperty("vip_info").GetProperty("expire").ValueKind);
    }
}
