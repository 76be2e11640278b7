using System.Net;
using System.Text;
using System.Text.Json;

namespace OpenList.DriverHost.CloudFakes.Tests.DiskTop;

/// <summary>disktop-open-platform.md 文件 API: list, search, meta; sandbox vs full-disk scopes; user info and quota.</summary>
public sealed class ListAndMetaTests
{
    [Fact]
    public async Task List_answers_the_envelope_with_integer_ids_and_folders_and_files_apart()
    {
        await using var s = await DiskTopScenario.StartAsync();
        var folderId = s.Account.AddFolder(s.Sandbox + "/Docs");
        var fileId = s.Account.AddFile(s.Sandbox + "/chat-1.md", "hello"u8.ToArray());
        // Separate id sequences: the first file shares its id with the first folder (the app-data folder).
        Assert.Equal(DiskTopFake.FirstId, fileId);
        Assert.Equal(DiskTopFake.FirstId, s.Account.FolderId("/" + DiskTopFake.AppDataFolder));

        var data = DiskTopAssert.Ok(await s.ApiGetAsync("/v1/files?path=%2F"));
        Assert.Equal("/", data.GetProperty("path").GetString());
        Assert.Equal(2, data.GetProperty("total").GetInt64());
        var folder = Assert.Single(data.GetProperty("folders").EnumerateArray());
        Assert.Equal(JsonValueKind.Number, folder.GetProperty("id").ValueKind);
        Assert.True(folder.GetProperty("id").GetInt64() > int.MaxValue, "ids exceed 2^31");
        Assert.Equal(folderId, folder.GetProperty("id").GetInt64());
        Assert.Equal("Docs", folder.GetProperty("name").GetString());
        Assert.Equal(2, folder.EnumerateObject().Count());
        var file = Assert.Single(data.GetProperty("files").EnumerateArray());
        Assert.Equal(fileId, file.GetProperty("id").GetInt64());
        Assert.Equal("chat-1.md", file.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Number, file.GetProperty("size").ValueKind);
        Assert.Equal(5, file.GetProperty("size").GetInt64());
        Assert.Equal(DiskTopScenario.Md5("hello"u8.ToArray()), file.GetProperty("md5").GetString());
    }

    [Fact]
    public async Task Paging_slices_folders_then_files_and_total_counts_everything()
    {
        await using var s = await DiskTopScenario.StartAsync();
        for (var i = 0; i < 3; i++)
        {
            s.Account.AddFolder($"{s.Sandbox}/big/d{i}");
        }

        for (var i = 0; i < 4; i++)
        {
            s.Account.AddFile($"{s.Sandbox}/big/f{i}.txt", [(byte)i]);
        }

        var names = new List<string>();
        for (var page = 1; page <= 3; page++)
        {
            var data = DiskTopAssert.Ok(await s.ApiGetAsync($"/v1/files?path=/big&page={page}&limit=3"));
            Assert.Equal(7, data.GetProperty("total").GetInt64());
            Assert.Equal("/big", data.GetProperty("path").GetString());
            names.AddRange(data.GetProperty("folders").EnumerateArray().Concat(data.GetProperty("files").EnumerateArray()).Select(e => e.GetProperty("name").GetString()!));
        }

        Assert.Equal(["d0", "d1", "d2", "f0.txt", "f1.txt", "f2.txt", "f3.txt"], names);
        var past = DiskTopAssert.Ok(await s.ApiGetAsync("/v1/files?path=/big&page=4&limit=3"));
        Assert.Empty(past.GetProperty("files").EnumerateArray());
        Assert.Equal(7, past.GetProperty("total").GetInt64());
        var defaults = DiskTopAssert.Ok(await s.ApiGetAsync("/v1/files?path=big/"));
        Assert.Equal(7, defaults.GetProperty("folders").GetArrayLength() + defaults.GetProperty("files").GetArrayLength());
    }

    [Theory]
    [InlineData("limit=201")]
    [InlineData("limit=0")]
    [InlineData("limit=abc")]
    [InlineData("page=0")]
    [InlineData("path=/a/../b")]
    public async Task Bad_list_parameters_are_400(string query)
    {
        await using var s = await DiskTopScenario.StartAsync();
        DiskTopAssert.Ok(await s.ApiGetAsync("/v1/files?limit=200"));
        DiskTopAssert.Error(await s.ApiGetAsync("/v1/files?" + query), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Missing_path_is_404_and_a_file_path_is_400()
    {
        await using var s = await DiskTopScenario.StartAsync();
        s.Account.AddFile(s.Sandbox + "/a.txt", [1]);
        DiskTopAssert.Error(await s.ApiGetAsync("/v1/files?path=/nope"), HttpStatusCode.NotFound);
        DiskTopAssert.Error(await s.ApiGetAsync("/v1/files?path=/a.txt"), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Sandbox_scope_sees_only_the_app_folder_and_full_disk_scope_sees_the_root()
    {
        await using var s = await DiskTopScenario.StartAsync();
        var outside = s.Account.AddFile("/private/secret.txt", "x"u8.ToArray());
        s.Account.AddFile(s.Sandbox + "/mine.txt", "y"u8.ToArray());

        var sandboxRoot = DiskTopAssert.Ok(await s.ApiGetAsync("/v1/files"));
        Assert.Equal("mine.txt", Assert.Single(sandboxRoot.GetProperty("files").EnumerateArray()).GetProperty("name").GetString());
        DiskTopAssert.Error(await s.ApiGetAsync($"/v1/files/{outside}"), HttpStatusCode.Forbidden);
        DiskTopAssert.Error(await s.ApiGetAsync($"/v1/files/{outside}/download"), HttpStatusCode.Forbidden);

        var full = s.Fake.IssueTokens(s.Account, DiskTopScenario.ClientId, "files.read_all");
        var root = DiskTopAssert.Ok(await s.GetAsync("/v1/files?path=/", full.AccessToken));
        Assert.Equal(["private", DiskTopFake.AppDataFolder], root.GetProperty("folders").EnumerateArray().Select(f => f.GetProperty("name").GetString()!).Order(StringComparer.Ordinal));
        DiskTopAssert.Ok(await s.GetAsync($"/v1/files/{outside}", full.AccessToken));
        DiskTopAssert.Error(await s.GetAsync("/v1/user/info", full.AccessToken), HttpStatusCode.Forbidden); // no user.read

        // read_all does not grant writing outside the sandbox
        DiskTopAssert.Error(await s.PostFormAsync("/v1/files/folder", [("parent_path", "/private"), ("name", "x")], full.AccessToken), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Meta_returns_the_documented_fields_with_the_absolute_path()
    {
        await using var s = await DiskTopScenario.StartAsync(manualClock: true);
        var folder = s.Account.AddFolder(s.Sandbox + "/Notes");
        var id = s.Account.AddFile(s.Sandbox + "/Notes/chat-573.md", Encoding.UTF8.GetBytes("# hi"));
        var data = DiskTopAssert.Ok(await s.ApiGetAsync($"/v1/files/{id}"));
        Assert.Equal(id, data.GetProperty("id").GetInt64());
        Assert.Equal("chat-573.md", data.GetProperty("name").GetString());
        Assert.Equal(4, data.GetProperty("size").GetInt64());
        Assert.Equal(DiskTopScenario.Md5(Encoding.UTF8.GetBytes("# hi")), data.GetProperty("md5").GetString());
        Assert.Equal("md", data.GetProperty("ext").GetString());
        Assert.Equal("text/markdown", data.GetProperty("mime").GetString());
        Assert.Equal("/我的应用数据/GPTGet/Notes/chat-573.md", data.GetProperty("path").GetString());
        Assert.Equal(folder, data.GetProperty("parent_folder").GetInt64());
        Assert.Equal(s.Clock!.GetUtcNow().ToUnixTimeSeconds(), data.GetProperty("create_time").GetInt64());
    }

    [Fact]
    public async Task Meta_knows_file_ids_only()
    {
        await using var s = await DiskTopScenario.StartAsync();
        var folder = s.Account.AddFolder(s.Sandbox + "/OnlyAFolder");
        DiskTopAssert.Error(await s.ApiGetAsync($"/v1/files/{folder}"), HttpStatusCode.NotFound);
        DiskTopAssert.Error(await s.ApiGetAsync("/v1/files/123abc"), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Search_matches_names_and_extension_and_reports_the_total()
    {
        await using var s = await DiskTopScenario.StartAsync();
        s.Account.AddFile(s.Sandbox + "/chat-1.md", [1]);
        s.Account.AddFile(s.Sandbox + "/deep/Chat-2.md", [2]);
        s.Account.AddFile(s.Sandbox + "/chat-3.txt", [3]);
        s.Account.AddFile("/outside/chat-4.md", [4]);

        var all = DiskTopAssert.Ok(await s.ApiGetAsync("/v1/files/search?q=chat"));
        Assert.Equal(3, all.GetProperty("total").GetInt64());
        var md = DiskTopAssert.Ok(await s.ApiGetAsync("/v1/files/search?q=chat&ext=md&limit=1"));
        Assert.Equal(2, md.GetProperty("total").GetInt64());
        Assert.Single(md.GetProperty("files").EnumerateArray());
        DiskTopAssert.Error(await s.ApiGetAsync("/v1/files/search"), HttpStatusCode.BadRequest);
        DiskTopAssert.Error(await s.ApiGetAsync("/v1/files/search?q=chat&limit=201"), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task User_info_and_quota_have_the_documented_types()
    {
        await using var s = await DiskTopScenario.StartAsync();
        s.Account.QuotaBytes = 1000;
        s.Account.AddFile(s.Sandbox + "/a.bin", new byte[250]);
        var info = DiskTopAssert.Ok(await s.ApiGetAsync("/v1/user/info"));
        Assert.Equal(JsonValueKind.Number, info.GetProperty("uid").ValueKind);
        Assert.Equal("alice", info.GetProperty("username").GetString());
        Assert.Equal(JsonValueKind.False, info.GetProperty("is_vip").ValueKind);
        Assert.Equal(JsonValueKind.Number, info.GetProperty("vip_group").ValueKind);
        Assert.Equal(0, info.GetProperty("vip_expire_ts").GetInt64());
        Assert.Equal(1000, info.GetProperty("storage_quota_bytes").GetInt64());
        Assert.Equal(JsonValueKind.Number, info.GetProperty("created_at_ts").ValueKind);
        Assert.Equal(DiskTopScenario.ClientId, info.GetProperty("oauth").GetProperty("client_id").GetString());

        var quotaResponse = await s.ApiGetAsync("/v1/user/quota");
        var quota = DiskTopAssert.Ok(quotaResponse);
        Assert.Equal(1000, quota.GetProperty("total_bytes").GetInt64());
        Assert.Equal(250, quota.GetProperty("used_bytes").GetInt64());
        Assert.Equal(750, quota.GetProperty("free_bytes").GetInt64());
        Assert.Equal(25.0, quota.GetProperty("used_pct").GetDouble());
        Assert.Contains("\"used_pct\":25.0", quotaResponse.Body, StringComparison.Ordinal); // a float on the wire

        DiskTopAssert.Error(await s.PostFormAsync("/v1/user/share-enable"), HttpStatusCode.Forbidden); // no share.create
        var sharer = s.Fake.IssueTokens(s.Account, DiskTopScenario.ClientId, "share.create");
        var enabled = DiskTopAssert.Ok(await s.PostFormAsync("/v1/user/share-enable", [], sharer.AccessToken));
        Assert.True(enabled.GetProperty("enabled").GetBoolean());
    }

    [Fact]
    public async Task Robustness_knobs_change_the_envelope()
    {
        await using var s = await DiskTopScenario.StartAsync();
        s.Fake.OmitSuccessErrmsg = true;
        var ok = await s.ApiGetAsync("/v1/user/quota");
        Assert.False(ok.Json.TryGetProperty("errmsg", out _));
        Assert.Equal(0, ok.Json.GetProperty("errno").GetInt32());

        s.Fake.ErrorsAsHttp200 = true;
        var missing = await s.ApiGetAsync("/v1/files?path=/nope");
        Assert.Equal(HttpStatusCode.OK, missing.Status);
        Assert.Equal(404, missing.Json.GetProperty("errno").GetInt32());
    }
}
