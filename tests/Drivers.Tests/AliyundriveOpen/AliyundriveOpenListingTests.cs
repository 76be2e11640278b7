using OpenList.DriverHost.Drivers.Errors;
using static OpenList.DriverHost.Drivers.Tests.AliyundriveOpen.AliyundriveOpenTestExtensions;

namespace OpenList.DriverHost.Drivers.Tests.AliyundriveOpen;

/// <summary>Listing (cloud-apis.md §2.5 List), the storage root (§2.4 root_folder_id) and the drive choice (§2.4 drive_type).</summary>
public sealed class AliyundriveOpenListingTests : IClassFixture<AliyundriveOpenTestCloud>
{
    private const string ListPath = "/adrive/v1.0/openFile/list";
    private readonly AliyundriveOpenTestCloud _cloud;

    public AliyundriveOpenListingTests(AliyundriveOpenTestCloud cloud) => _cloud = cloud;

    private static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task List_FollowsNextMarker_OverThreePages_AndSendsOpenListsBody()
    {
        // §2.5: {drive_id, limit:200, marker, order_by, order_direction, parent_file_id}; the first call sends
        // marker "", later ones the previous next_marker, until next_marker is "".
        var account = _cloud.Fake.Aliyun.CreateAccount();
        var folderId = account.AddFolder("resource", "/many");
        for (var i = 0; i < 450; i++)
        {
            account.AddFile("resource", $"/many/f{i:D3}.txt", [(byte)i]);
        }

        await using var d = await _cloud.CreateDriverAsync(account);
        var entries = await d.Driver.ListAllAsync("/many");

        Assert.Equal(Enumerable.Range(0, 450).Select(i => $"f{i:D3}.txt"), entries.Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.All(entries, e => Assert.Equal(1, e.Size));
        var pages = d.Http.To(ListPath).Where(r => r.Json.GetProperty("parent_file_id").GetString() == folderId).ToList();
        Assert.Equal(3, pages.Count);
        Assert.All(pages, p =>
        {
            Assert.Equal(200, p.Json.GetProperty("limit").GetInt32());
            Assert.Equal(account.DriveId("resource"), p.Json.GetProperty("drive_id").GetString());
            Assert.Equal("", p.Json.GetProperty("order_by").GetString());
            Assert.Equal("", p.Json.GetProperty("order_direction").GetString());
        });
        var markers = pages.Select(p => p.Json.GetProperty("marker").GetString()).ToList();
        Assert.Equal("", markers[0]);
        Assert.All(markers.Skip(1), m => Assert.False(string.IsNullOrEmpty(m)));
        Assert.Equal(3, markers.Distinct().Count());
    }

    [Fact]
    public async Task List_FetchesOnePageAtATime()
    {
        // IStorageDriver.ListAsync: "one upstream page at a time" — a caller that stops early costs one call.
        var account = _cloud.Fake.Aliyun.CreateAccount();
        var folderId = account.AddFolder("resource", "/many");
        for (var i = 0; i < 250; i++)
        {
            account.AddFile("resource", $"/many/f{i:D3}.txt", [1]);
        }

        await using var d = await _cloud.CreateDriverAsync(account);
        await foreach (var _ in d.Driver.ListAsync(StoragePath.Parse("/many"), Ct))
        {
            break;
        }

        Assert.Single(d.Http.To(ListPath), r => r.Json.GetProperty("parent_file_id").GetString() == folderId);
    }

    [Theory]
    [InlineData("size", "DESC")]
    [InlineData("size", "ASC")]
    [InlineData("name", "DESC")]
    public async Task List_SendsOrderByAndDirection_AndKeepsTheServersOrder(string orderBy, string direction)
    {
        // §2.4: order_by / order_direction are sent as-is.
        var account = _cloud.Fake.Aliyun.CreateAccount();
        var sizes = new Dictionary<string, int> { ["a.bin"] = 30, ["b.bin"] = 10, ["c.bin"] = 50, ["d.bin"] = 20, ["e.bin"] = 40 };
        foreach (var (name, size) in sizes)
        {
            account.AddFile("resource", "/" + name, new byte[size]);
        }

        await using var d = await _cloud.CreateDriverAsync(account, new Dictionary<string, object?> { ["order_by"] = orderBy, ["order_direction"] = direction });
        var names = (await d.Driver.ListAllAsync("/")).Select(e => e.Name).ToList();

        IEnumerable<string> expected = orderBy == "size" ? sizes.OrderBy(p => p.Value).Select(p => p.Key) : sizes.Keys.Order(StringComparer.Ordinal);
        Assert.Equal(direction == "DESC" ? expected.Reverse() : expected, names);
        var body = Assert.Single(d.Http.To(ListPath)).Json;
        Assert.Equal(orderBy, body.GetProperty("order_by").GetString());
        Assert.Equal(direction, body.GetProperty("order_direction").GetString());
    }

    [Fact]
    public async Task RootFolderId_MakesASubFolderTheStorageRoot()
    {
        // §2.4: root_folder_id is the file_id of the folder shown as the root; nothing outside it is reachable.
        var account = _cloud.Fake.Aliyun.CreateAccount();
        var innerId = account.AddFolder("resource", "/outer/inner");
        account.AddFile("resource", "/outer/inner/a.txt", "inside"u8.ToArray());
        account.AddFile("resource", "/outer/b.txt", "outside"u8.ToArray());
        account.AddFile("resource", "/top.txt", "top"u8.ToArray());

        await using var d = await _cloud.CreateDriverAsync(account, new Dictionary<string, object?> { ["root_folder_id"] = innerId });
        var driver = d.Driver;

        Assert.Equal(["a.txt"], (await driver.ListAllAsync("/")).Select(e => e.Name));
        Assert.Equal(innerId, (await driver.StatAsync(StoragePath.Root, Ct)).Id);
        Assert.Equal("inside"u8.ToArray(), await driver.ReadAllAsync("/a.txt"));
        await AssertKindAsync(StorageErrorKind.NotFound, () => driver.StatAsync(StoragePath.Parse("/b.txt"), Ct));
        await AssertKindAsync(StorageErrorKind.NotFound, () => driver.StatAsync(StoragePath.Parse("/top.txt"), Ct));

        using var content = new MemoryStream("new"u8.ToArray());
        await driver.PutAsync(StoragePath.Parse("/new.txt"), content, 3, PutOptions.Default, Ct);
        await driver.CreateDirectoryAsync(StoragePath.Parse("/sub"), Ct);
        Assert.Equal("new"u8.ToArray(), account.ReadAll("resource", "/outer/inner/new.txt"));
        Assert.True(account.Exists("resource", "/outer/inner/sub"));
        Assert.False(account.Exists("resource", "/new.txt"));
        Assert.Equal(innerId, d.Http.To(ListPath)[0].Json.GetProperty("parent_file_id").GetString());
    }

    [Theory]
    [InlineData("resource", "resource")]
    [InlineData("backup", "backup")]
    [InlineData("default", "default")]
    [InlineData("", "default")] // §2.4: Init turns an empty drive_type into "default"
    public async Task DriveType_ChoosesTheDriveForReadsAndWrites(string driveType, string expectedDrive)
    {
        var account = _cloud.Fake.Aliyun.CreateAccount();
        foreach (var drive in new[] { "default", "resource", "backup" })
        {
            account.AddFile(drive, $"/in-{drive}.txt", [1, 2, 3]);
        }

        await using var d = await _cloud.CreateDriverAsync(account, new Dictionary<string, object?> { ["drive_type"] = driveType });
        Assert.Equal([$"in-{expectedDrive}.txt"], (await d.Driver.ListAllAsync("/")).Select(e => e.Name));

        using var content = new MemoryStream([9]);
        await d.Driver.PutAsync(StoragePath.Parse("/written.txt"), content, 1, PutOptions.Default, Ct);
        Assert.Equal([9], account.ReadAll(expectedDrive, "/written.txt"));
        Assert.Equal(1, new[] { "default", "resource", "backup" }.Count(drive => account.Exists(drive, "/written.txt")));
        Assert.All(
            d.Http.Requests.Where(r => r.Path.StartsWith("/adrive/v1.0/openFile/", StringComparison.Ordinal)),
            r => Assert.Equal(account.DriveId(expectedDrive), r.Json.GetProperty("drive_id").GetString()));
    }

    [Fact]
    public async Task List_AfterTheFolderWasReplacedElsewhere_LooksItUpAfresh()
    {
        // The path cache holds the old folder's id; the server answers NotFound for it, and the driver resolves
        // the path again instead of failing (another mount or the web UI changed the tree).
        var account = _cloud.Fake.Aliyun.CreateAccount();
        account.AddFile("resource", "/dir/old.txt", [1]);
        await using var first = await _cloud.CreateDriverAsync(account);
        await using var second = await _cloud.CreateDriverAsync(account, new Dictionary<string, object?> { ["remove_way"] = "delete" });
        Assert.Equal(["old.txt"], (await first.Driver.ListAllAsync("/dir")).Select(e => e.Name));

        await second.Driver.DeleteAsync(StoragePath.Parse("/dir"), Ct);
        await second.Driver.CreateDirectoryAsync(StoragePath.Parse("/dir"), Ct);
        using var content = new MemoryStream([2]);
        await second.Driver.PutAsync(StoragePath.Parse("/dir/new.txt"), content, 1, PutOptions.Default, Ct);

        Assert.Equal(["new.txt"], (await first.Driver.ListAllAsync("/dir")).Select(e => e.Name));
        Assert.Contains(first.Http.To(ListPath), r => r.Status == 404);
    }
}
