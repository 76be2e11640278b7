using System.Text.Json;

namespace OpenList.DriverHost.CloudFakes.Tests.Open123;

public sealed class Open123FileOperationTests
{
    [Fact]
    public async Task MkdirTakesAStringParentIdAndRefusesADuplicateName()
    {
        await using var s = await Open123Scenario.StartAsync();
        var made = await s.PostAsync("/upload/v1/file/mkdir", new { parentID = "0", name = "new" });
        made.AssertOk();
        var dirId = made.Data.GetProperty("dirID").GetInt64();
        Assert.Equal(dirId, s.Account.FileId("/new"));

        (await s.PostAsync("/upload/v1/file/mkdir", new { parentID = "0", name = "new" })).AssertCode(1);
        (await s.PostAsync("/upload/v1/file/mkdir", new { parentID = dirId, name = "child" })).AssertOk();
        Assert.True(s.Account.Exists("/new/child"));
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("a:b")]
    [InlineData("what?")]
    [InlineData("   ")]
    public async Task MkdirRefusesForbiddenNames(string name)
    {
        await using var s = await Open123Scenario.StartAsync();
        (await s.PostAsync("/upload/v1/file/mkdir", new { parentID = "0", name })).AssertCode(1);
    }

    [Fact]
    public async Task MkdirRefusesTooLongNamesAndUnknownParents()
    {
        await using var s = await Open123Scenario.StartAsync();
        (await s.PostAsync("/upload/v1/file/mkdir", new { parentID = "0", name = new string('x', 256) })).AssertCode(1);
        (await s.PostAsync("/upload/v1/file/mkdir", new { parentID = "0", name = new string('x', 255) })).AssertOk();
        (await s.PostAsync("/upload/v1/file/mkdir", new { parentID = "999999999", name = "x" })).AssertCode(5066);
    }

    [Fact]
    public async Task PostBodiesMustBeJson()
    {
        await using var s = await Open123Scenario.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/upload/v1/file/mkdir")
        {
            Content = new StringContent("""{"parentID":"0","name":"x"}""", System.Text.Encoding.UTF8, "text/plain"),
        };
        request.Headers.Add("Platform", "open_platform");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", s.Token);
        using var response = await s.Http.SendAsync(request);
        (await Envelope.ReadAsync(response)).AssertCode(1);
        Assert.False(s.Account.Exists("/x"));
    }

    [Fact]
    public async Task RenameIsAPutAndRefusesAClash()
    {
        await using var s = await Open123Scenario.StartAsync();
        var id = s.Account.AddFile("/a.txt", "a"u8.ToArray());
        s.Account.AddFile("/b.txt", "b"u8.ToArray());

        var post = await s.PostAsync("/api/v1/file/name", new { fileId = id, fileName = "c.txt" });
        Assert.Equal(System.Net.HttpStatusCode.MethodNotAllowed, post.Status);
        Assert.Equal(405, post.Code);
        Assert.True(s.Account.Exists("/a.txt"));

        var renamed = await s.CallAsync(HttpMethod.Put, "/api/v1/file/name", new { fileId = id, fileName = "c.txt" });
        renamed.AssertOk();
        Assert.Equal(JsonValueKind.Null, renamed.Data.ValueKind);
        Assert.Equal(id, s.Account.FileId("/c.txt"));

        (await s.CallAsync(HttpMethod.Put, "/api/v1/file/name", new { fileId = id, fileName = "b.txt" })).AssertCode(1);
        (await s.CallAsync(HttpMethod.Put, "/api/v1/file/name", new { fileId = 424242, fileName = "z.txt" })).AssertCode(5066);
    }

    [Fact]
    public async Task MoveMovesAllOrNothing()
    {
        await using var s = await Open123Scenario.StartAsync();
        var a = s.Account.AddFile("/a.txt", "a"u8.ToArray());
        var b = s.Account.AddFile("/b.txt", "b"u8.ToArray());
        var target = s.Account.AddFolder("/target");
        s.Account.AddFile("/target/b.txt", "old"u8.ToArray());

        (await s.PostAsync("/api/v1/file/move", new { fileIDs = new[] { a, b }, toParentFileID = target })).AssertCode(1);
        Assert.True(s.Account.Exists("/a.txt"));

        var moved = await s.PostAsync("/api/v1/file/move", new { fileIDs = new[] { a }, toParentFileID = target });
        moved.AssertOk();
        Assert.Equal(a, s.Account.FileId("/target/a.txt"));
        Assert.False(s.Account.Exists("/a.txt"));
    }

    [Fact]
    public async Task MoveRefusesAFolderIntoItselfAndBatchesOverHundred()
    {
        await using var s = await Open123Scenario.StartAsync();
        var folder = s.Account.AddFolder("/f");
        var sub = s.Account.AddFolder("/f/sub");
        (await s.PostAsync("/api/v1/file/move", new { fileIDs = new[] { folder }, toParentFileID = sub })).AssertCode(1);
        (await s.PostAsync("/api/v1/file/move", new { fileIDs = Enumerable.Repeat(sub, 101).ToArray(), toParentFileID = 0 })).AssertCode(1);
        (await s.PostAsync("/api/v1/file/move", new { fileIDs = Array.Empty<long>(), toParentFileID = 0 })).AssertCode(1);
    }

    [Fact]
    public async Task TrashKeepsTheEntryListedAsTrashed()
    {
        await using var s = await Open123Scenario.StartAsync();
        var id = s.Account.AddFile("/t.txt", "t"u8.ToArray());
        var trashed = await s.PostAsync("/api/v1/file/trash", new { fileIDs = new[] { id } });
        trashed.AssertOk();
        Assert.Equal(JsonValueKind.Null, trashed.Data.ValueKind);

        var entry = Assert.Single((await s.ListAsync(0)).Data.GetProperty("fileList").EnumerateArray());
        Assert.Equal(1, entry.GetProperty("trashed").GetInt32());
        Assert.Equal(["t.txt"], s.Account.TrashedNames);
        (await s.GetAsync($"/api/v1/file/download_info?fileId={id}")).AssertCode(5066);
        (await s.PostAsync("/api/v1/file/trash", new { fileIDs = new[] { 777L } })).AssertCode(5066);
    }

    [Fact]
    public async Task DetailUsesCapitalIdNames()
    {
        await using var s = await Open123Scenario.StartAsync();
        var id = s.Account.AddFile("/d/x.mp4", new byte[10]);
        var detail = await s.GetAsync($"/api/v1/file/detail?fileID={id}");
        detail.AssertOk();
        Assert.Equal(id, detail.Data.GetProperty("fileID").GetInt64());
        Assert.Equal(s.Account.FileId("/d"), detail.Data.GetProperty("parentFileID").GetInt64());
        Assert.Equal(10, detail.Data.GetProperty("size").GetInt64());
        Assert.Equal(0, detail.Data.GetProperty("trashed").GetInt32());
        (await s.GetAsync("/api/v1/file/detail?fileID=1")).AssertCode(5066);
    }

    [Fact]
    public async Task UserInfoReportsQuotaWithNumericTypes()
    {
        await using var s = await Open123Scenario.StartAsync();
        s.Account.AddFile("/q.bin", new byte[1000]);
        s.Account.SpaceTemp = 5;
        var info = await s.GetAsync("/api/v1/user/info");
        info.AssertOk();
        var data = info.Data;
        Assert.Equal(s.Account.Uid, data.GetProperty("uid").GetInt64());
        Assert.Equal(1000, data.GetProperty("spaceUsed").GetInt64());
        Assert.Equal(s.Account.SpacePermanent, data.GetProperty("spacePermanent").GetInt64());
        Assert.Equal(5, data.GetProperty("spaceTemp").GetInt64());
        Assert.Equal(JsonValueKind.False, data.GetProperty("vip").ValueKind);
        Assert.Equal(JsonValueKind.Null, data.GetProperty("vipInfo").ValueKind);
    }

    [Fact]
    public async Task SearchIgnoresTheParentFolder()
    {
        await using var s = await Open123Scenario.StartAsync();
        s.Account.AddFile("/deep/er/Report.pdf", "r"u8.ToArray());
        s.Account.AddFile("/other.txt", "o"u8.ToArray());
        var fuzzy = await s.GetAsync("/api/v2/file/list?parentFileId=0&limit=100&searchData=report&searchMode=0");
        Assert.Equal("Report.pdf", Assert.Single(fuzzy.Data.GetProperty("fileList").EnumerateArray()).GetProperty("filename").GetString());
        var exact = await s.GetAsync("/api/v2/file/list?parentFileId=0&limit=100&searchData=report&searchMode=1");
        Assert.Empty(exact.Data.GetProperty("fileList").EnumerateArray());
    }
}
