using System.Net;
using System.Text;
using OpenList.DriverHost.Drivers.Errors;
using static OpenList.DriverHost.Drivers.Tests.Open123.Open123TestExtensions;

namespace OpenList.DriverHost.Drivers.Tests.Open123;

/// <summary>Listing and lookups (cloud-apis.md §3.5): <c>lastFileId</c> paging, trashed entries, UTC+8 times, MD5 hashes, the root folder.</summary>
public sealed class Open123ListingTests : IClassFixture<Open123TestCloud>
{
    private const string ListPath = "/api/v2/file/list";
    private readonly Open123TestCloud _cloud;

    public Open123ListingTests(Open123TestCloud cloud) => _cloud = cloud;

    [Fact]
    public async Task List_PagesWithLastFileId_AHundredAtATime_UntilMinusOne()
    {
        // §3.5: query parentFileId, limit=100, lastFileId (0 first), trashed=false, searchMode=, searchData=;
        // "lastFileId (int64; -1 = last page)".
        var account = _cloud.Open123.CreateAccount();
        var folderId = account.AddFolder("/many");
        var names = Enumerable.Range(0, 250).Select(i => $"f{i:000}.txt").ToList();
        foreach (var name in names)
        {
            account.AddFile("/many/" + name, Encoding.ASCII.GetBytes(name));
        }

        await using var d = await _cloud.CreateDriverAsync(account);
        Assert.True((await d.Driver.StatAsync("/many")).IsDirectory);
        d.Http.Clear();

        var listed = await d.Driver.ListAllAsync("/many");

        Assert.Equal(names, listed.Select(e => e.Name).Order(StringComparer.Ordinal));
        var pages = d.Http.To(ListPath);
        Assert.Equal(3, pages.Count);
        Assert.All(pages, p =>
        {
            Assert.Equal(folderId.ToString(System.Globalization.CultureInfo.InvariantCulture), p.QueryValue("parentFileId"));
            Assert.Equal("100", p.QueryValue("limit"));
            Assert.Equal("false", p.QueryValue("trashed"));
            Assert.Equal("", p.QueryValue("searchMode"));
            Assert.Equal("", p.QueryValue("searchData"));
        });
        Assert.Equal("0", pages[0].QueryValue("lastFileId"));
        Assert.Equal(account.FileId("/many/f099.txt")!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), pages[1].QueryValue("lastFileId"));
        Assert.Equal(account.FileId("/many/f199.txt")!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), pages[2].QueryValue("lastFileId"));
    }

    [Fact]
    public async Task List_DropsEntriesInTheRecycleBin()
    {
        // §3.5: "The docs say results include trashed files, so the driver drops trashed != 0 itself."
        var account = _cloud.Open123.CreateAccount();
        account.AddFile("/keep.txt", Bytes(3));
        account.AddFile("/gone.txt", Bytes(4));
        account.AddFolder("/gone-dir");
        account.TrashFile("/gone.txt");
        account.TrashFile("/gone-dir");
        account.AddFile("/replaced.txt", Bytes(5, seed: 1));
        account.TrashFile("/replaced.txt");
        account.AddFile("/replaced.txt", Bytes(9, seed: 2)); // a live entry of the name of a trashed one
        await using var d = await _cloud.CreateDriverAsync(account);

        var listed = await d.Driver.ListAllAsync("/");

        Assert.Equal(["keep.txt", "replaced.txt"], listed.Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.Equal(9, listed.Single(e => e.Name == "replaced.txt").Size);
        Assert.Equal(Bytes(9, seed: 2), await d.Driver.ReadAllAsync("/replaced.txt"));
        await AssertKindAsync(StorageErrorKind.NotFound, () => d.Driver.StatAsync("/gone.txt"));
        await AssertKindAsync(StorageErrorKind.NotFound, () => d.Driver.ListAllAsync("/gone-dir"));
    }

    [Fact]
    public async Task Entries_CarryKindSizeIdMd5_AndTheTimesReadAsUtcPlus8()
    {
        // §3.5: type 1 = folder; etag = MD5; createAt/updateAt "2006-01-02 15:04:05" with no zone, UTC+8.
        var account = _cloud.Open123.CreateAccount();
        var modified = new DateTimeOffset(2024, 5, 6, 23, 30, 15, TimeSpan.Zero); // 2024-05-07 07:30:15 in UTC+8
        var content = Bytes(1234, seed: 5);
        var fileId = account.AddFile("/docs/a.bin", content, modified);
        var folderId = account.FileId("/docs")!.Value;
        await using var d = await _cloud.CreateDriverAsync(account);

        var folder = Assert.Single(await d.Driver.ListAllAsync("/"));
        var file = Assert.Single(await d.Driver.ListAllAsync("/docs"));

        Assert.True(folder.IsDirectory);
        Assert.Equal(0, folder.Size);
        Assert.Empty(folder.Hashes);
        Assert.Equal(folderId.ToString(System.Globalization.CultureInfo.InvariantCulture), folder.Id);
        Assert.False(file.IsDirectory);
        Assert.Equal(1234, file.Size);
        Assert.Equal(fileId.ToString(System.Globalization.CultureInfo.InvariantCulture), file.Id);
        Assert.Equal(Md5Hex(content), file.Hashes[HashNames.Md5]);
        Assert.Equal(modified, file.LastModified);
        Assert.Equal(TimeSpan.Zero, file.LastModified.Offset);
        var stat = await d.Driver.StatAsync("/docs/a.bin");
        Assert.Equal(file with { Hashes = stat.Hashes }, stat);
        Assert.Equal(file.Hashes, stat.Hashes);
    }

    [Theory]
    [InlineData("2024-05-07 07:30:15", "2024-05-06T23:30:15Z")]
    [InlineData("2024-01-01 00:00:00", "2023-12-31T16:00:00Z")]
    [InlineData("2025-03-23T15:48:37+08:00", "2025-03-23T07:48:37Z")]
    public void Times_WithoutAZone_AreUtcPlus8(string wire, string utc)
    {
        Assert.Equal(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture), Drivers.Open123.Models.Open123File.ParseTime(wire));
    }

    [Theory]
    [InlineData("")]
    [InlineData("yesterday")]
    [InlineData(null)]
    public void Times_ThatCannotBeRead_AreUnknown(string? wire) => Assert.Null(Drivers.Open123.Models.Open123File.ParseTime(wire));

    [Fact]
    public async Task RootFolderId_MakesThatFolderTheStorageRoot()
    {
        var account = _cloud.Open123.CreateAccount();
        account.AddFile("/outside.txt", Bytes(1));
        var rootId = account.AddFolder("/mounted");
        account.AddFile("/mounted/inside.txt", Bytes(2));
        await using var d = await _cloud.CreateDriverAsync(account, addition: new Dictionary<string, object?> { ["root_folder_id"] = rootId.ToString(System.Globalization.CultureInfo.InvariantCulture) });

        Assert.Equal(["inside.txt"], await d.Driver.NamesAsync("/"));
        await d.Driver.PutBytesAsync("/new.txt", Bytes(3));
        Assert.True(account.Exists("/mounted/new.txt"));
        Assert.False(account.Exists("/new.txt"));
    }

    [Fact]
    public async Task Stat_FindsANameOnALaterPage_AndStopsThere()
    {
        var account = _cloud.Open123.CreateAccount();
        for (var i = 0; i < 150; i++)
        {
            account.AddFile($"/big/{i:000}.txt", Bytes(1));
        }

        account.AddFile("/big/wanted.txt", Bytes(7));
        for (var i = 150; i < 320; i++)
        {
            account.AddFile($"/big/{i:000}.txt", Bytes(1));
        }

        await using var d = await _cloud.CreateDriverAsync(account);
        Assert.True((await d.Driver.StatAsync("/big")).IsDirectory);
        d.Http.Clear();

        Assert.Equal(7, (await d.Driver.StatAsync("/big/wanted.txt")).Size);
        Assert.Equal(2, d.Http.To(ListPath).Count);
    }

    [Fact]
    public async Task List_ThatRepeatsItsPosition_IsStopped()
    {
        // A server repeating lastFileId would make the paging loop forever.
        var account = _cloud.Open123.CreateAccount();
        await using var d = await _cloud.CreateDriverAsync(account, intercept: request => request.RequestUri!.AbsolutePath == ListPath
            ? new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent(
                    """{"code":0,"message":"ok","data":{"lastFileId":77,"fileList":[{"fileId":77,"filename":"loop.txt","type":0,"size":1,"etag":"","trashed":0}]}}""",
                    Encoding.UTF8,
                    "application/json"),
            }
            : null);

        var error = await AssertKindAsync(StorageErrorKind.Unavailable, () => d.Driver.ListAllAsync("/"));

        Assert.Contains("lastFileId", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, d.Http.To(ListPath).Count);
    }
}
