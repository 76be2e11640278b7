using static OpenList.DriverHost.Drivers.Tests.AliyundriveOpen.AliyundriveOpenTestExtensions;

namespace OpenList.DriverHost.Drivers.Tests.AliyundriveOpen;

/// <summary>
/// mkdir, rename, move, copy and remove_way (cloud-apis.md §2.4, §2.5), checked on the fake's side: the bodies
/// the driver sends and what the account holds afterwards. Quota from getSpaceInfo.
/// </summary>
public sealed class AliyundriveOpenFileOperationTests : IClassFixture<AliyundriveOpenTestCloud>
{
    private const string Api = "/adrive/v1.0";
    private readonly AliyundriveOpenTestCloud _cloud;

    public AliyundriveOpenFileOperationTests(AliyundriveOpenTestCloud cloud) => _cloud = cloud;

    private static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task CreateDirectory_CreatesAFolderRefusingNameClashes()
    {
        // §2.5 Mkdir: {drive_id, parent_file_id, name, type:"folder", check_name_mode:"refuse"}.
        var account = _cloud.Fake.Aliyun.CreateAccount();
        var parentId = account.AddFolder("resource", "/parent");
        await using var d = await _cloud.CreateDriverAsync(account);

        var entry = await d.Driver.CreateDirectoryAsync(StoragePath.Parse("/parent/新建 folder"), Ct);

        Assert.True(entry.IsDirectory);
        Assert.Equal(account.FileId("resource", "/parent/新建 folder"), entry.Id);
        var body = Assert.Single(d.Http.To(Api + "/openFile/create")).Json;
        Assert.Equal("folder", body.GetProperty("type").GetString());
        Assert.Equal("refuse", body.GetProperty("check_name_mode").GetString());
        Assert.Equal(parentId, body.GetProperty("parent_file_id").GetString());
        Assert.Equal("新建 folder", body.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Rename_UpdatesTheNameInPlace_KeepingTheFileId()
    {
        // §2.5 Rename: openFile/update {drive_id, file_id, name}; no move when the folder stays.
        var account = _cloud.Fake.Aliyun.CreateAccount();
        var id = account.AddFile("resource", "/dir/old.txt", Bytes(10));
        await using var d = await _cloud.CreateDriverAsync(account);

        var entry = await d.Driver.MoveAsync(StoragePath.Parse("/dir/old.txt"), StoragePath.Parse("/dir/new.txt"), Ct);

        Assert.Equal(id, entry.Id);
        Assert.Equal(id, account.FileId("resource", "/dir/new.txt"));
        Assert.False(account.Exists("resource", "/dir/old.txt"));
        var body = Assert.Single(d.Http.To(Api + "/openFile/update")).Json;
        Assert.Equal(id, body.GetProperty("file_id").GetString());
        Assert.Equal("new.txt", body.GetProperty("name").GetString());
        Assert.Empty(d.Http.To(Api + "/openFile/move"));
    }

    [Fact]
    public async Task Move_ToAnotherFolder_UsesMoveOnly()
    {
        // §2.5 Move: {drive_id, file_id, to_parent_file_id, check_name_mode:"ignore"}; no rename when the name stays.
        var account = _cloud.Fake.Aliyun.CreateAccount();
        var id = account.AddFile("resource", "/a/file.txt", Bytes(10));
        var targetId = account.AddFolder("resource", "/b");
        await using var d = await _cloud.CreateDriverAsync(account);

        var entry = await d.Driver.MoveAsync(StoragePath.Parse("/a/file.txt"), StoragePath.Parse("/b/file.txt"), Ct);

        Assert.Equal(StoragePath.Parse("/b/file.txt"), entry.Path);
        Assert.Equal(id, account.FileId("resource", "/b/file.txt"));
        Assert.False(account.Exists("resource", "/a/file.txt"));
        var body = Assert.Single(d.Http.To(Api + "/openFile/move")).Json;
        Assert.Equal(targetId, body.GetProperty("to_parent_file_id").GetString());
        Assert.Equal("ignore", body.GetProperty("check_name_mode").GetString());
        Assert.Empty(d.Http.To(Api + "/openFile/update"));
        Assert.Equal(Bytes(10), await d.Driver.ReadAllAsync("/b/file.txt"));
    }

    [Fact]
    public async Task Move_ToAnotherFolderAndName_MovesThenRenames()
    {
        var account = _cloud.Fake.Aliyun.CreateAccount();
        account.AddFile("resource", "/a/file.txt", Bytes(10));
        account.AddFolder("resource", "/b");
        await using var d = await _cloud.CreateDriverAsync(account);

        await d.Driver.MoveAsync(StoragePath.Parse("/a/file.txt"), StoragePath.Parse("/b/renamed.txt"), Ct);

        Assert.Equal(Bytes(10), account.ReadAll("resource", "/b/renamed.txt"));
        Assert.False(account.Exists("resource", "/b/file.txt"));
        Assert.False(account.Exists("resource", "/a/file.txt"));
        Assert.Single(d.Http.To(Api + "/openFile/move"));
        Assert.Single(d.Http.To(Api + "/openFile/update"));
    }

    [Fact]
    public async Task Copy_CopiesToTheTargetFolder_WithoutAutoRename_ThenRenames()
    {
        // §2.5 Copy: {drive_id, file_id, to_parent_file_id, auto_rename:false}; the copy gets a new file_id.
        var account = _cloud.Fake.Aliyun.CreateAccount();
        var sourceId = account.AddFile("resource", "/a/file.txt", Bytes(10));
        var targetId = account.AddFolder("resource", "/b");
        await using var d = await _cloud.CreateDriverAsync(account);

        var entry = await d.Driver.CopyAsync(StoragePath.Parse("/a/file.txt"), StoragePath.Parse("/b/copy.txt"), Ct);

        Assert.NotEqual(sourceId, entry.Id);
        Assert.Equal(entry.Id, account.FileId("resource", "/b/copy.txt"));
        Assert.Equal(Bytes(10), account.ReadAll("resource", "/b/copy.txt"));
        Assert.Equal(sourceId, account.FileId("resource", "/a/file.txt"));
        Assert.False(account.Exists("resource", "/b/file.txt"));
        var body = Assert.Single(d.Http.To(Api + "/openFile/copy")).Json;
        Assert.Equal(targetId, body.GetProperty("to_parent_file_id").GetString());
        Assert.False(body.GetProperty("auto_rename").GetBoolean());
    }

    [Theory]
    [InlineData("trash", "/openFile/recyclebin/trash")]
    [InlineData(null, "/openFile/recyclebin/trash")] // the default
    [InlineData("delete", "/openFile/delete")]
    public async Task Delete_FollowsRemoveWay(string? removeWay, string endpoint)
    {
        // §2.4 remove_way: trash (recycle bin) or delete (permanent); anything but delete trashes.
        var account = _cloud.Fake.Aliyun.CreateAccount();
        account.AddFile("resource", "/gone.txt", Bytes(10));
        account.AddFile("resource", "/dir/inside.txt", Bytes(10));
        var addition = removeWay is null ? null : new Dictionary<string, object?> { ["remove_way"] = removeWay };
        await using var d = await _cloud.CreateDriverAsync(account, addition);

        await d.Driver.DeleteAsync(StoragePath.Parse("/gone.txt"), Ct);
        await d.Driver.DeleteAsync(StoragePath.Parse("/dir"), Ct);

        Assert.False(account.Exists("resource", "/gone.txt"));
        Assert.False(account.Exists("resource", "/dir"));
        Assert.Equal(2, d.Http.To(Api + endpoint).Count);
        Assert.Equal(endpoint.Contains("trash", StringComparison.Ordinal) ? ["gone.txt", "dir"] : [], account.RecycleBin);
    }

    [Theory]
    [InlineData("trash")]
    [InlineData("delete")]
    public async Task Overwrite_RemovesThePreviousVersionPerRemoveWay(string removeWay)
    {
        // OpenList's NoOverwriteUpload (§2.4): the new file is uploaded beside the old one, which then goes per remove_way.
        var account = _cloud.Fake.Aliyun.CreateAccount();
        var oldId = account.AddFile("resource", "/file.txt", Bytes(10, seed: 1));
        await using var d = await _cloud.CreateDriverAsync(account, new Dictionary<string, object?> { ["remove_way"] = removeWay });

        var entry = await d.Driver.PutBytesAsync("/file.txt", Bytes(20, seed: 2));

        Assert.NotEqual(oldId, entry.Id);
        Assert.Equal(entry.Id, account.FileId("resource", "/file.txt"));
        Assert.Equal(Bytes(20, seed: 2), account.ReadAll("resource", "/file.txt"));
        Assert.Equal(removeWay == "trash" ? ["file.txt"] : [], account.RecycleBin);
        Assert.Equal(["file.txt"], await d.Driver.NamesAsync("/"));
    }

    [Fact]
    public async Task Quota_ComesFromGetSpaceInfo()
    {
        // §2.5 Quota: personal_space_info.total_size / used_size.
        var account = _cloud.Fake.Aliyun.CreateAccount();
        account.TotalSize = 1_000_000;
        account.AddFile("resource", "/a.bin", Bytes(1000));
        account.AddFile("backup", "/b.bin", Bytes(234));
        await using var d = await _cloud.CreateDriverAsync(account);

        var quota = await d.Driver.GetQuotaAsync(Ct);

        Assert.Equal(1234, quota.UsedBytes);
        Assert.Equal(1_000_000 - 1234, quota.AvailableBytes);
        Assert.Single(d.Http.To(Api + "/user/getSpaceInfo"));
    }
}
