using System.Globalization;
using System.Net;
using System.Text;
using OpenList.DriverHost.Drivers.Errors;
using static OpenList.DriverHost.Drivers.Tests.Open123.Open123TestExtensions;

namespace OpenList.DriverHost.Drivers.Tests.Open123;

/// <summary>mkdir, rename (PUT), move, trash, copy by instant upload and quota (cloud-apis.md §3.5, §3.6 step 6).</summary>
public sealed class Open123FileOperationTests : IClassFixture<Open123TestCloud>
{
    private const string MkdirPath = "/upload/v1/file/mkdir";
    private const string RenamePath = "/api/v1/file/name";
    private const string MovePath = "/api/v1/file/move";
    private const string TrashPath = "/api/v1/file/trash";
    private const string CreatePath = "/upload/v2/file/create";
    private readonly Open123TestCloud _cloud;

    public Open123FileOperationTests(Open123TestCloud cloud) => _cloud = cloud;

    private static string Text(long id) => id.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task CreateDirectory_PostsTheParentIdAsAString_AndUsesTheDirIdAnswered()
    {
        // §3.5: POST /upload/v1/file/mkdir {"parentID": "<id as STRING>", "name"}; the doc answers dirID.
        var account = _cloud.Open123.CreateAccount();
        var parentId = account.AddFolder("/p");
        await using var d = await _cloud.CreateDriverAsync(account);

        var entry = await d.Driver.CreateDirectoryAsync(StoragePath.Parse("/p/new"), CancellationToken.None);

        var body = Assert.Single(d.Http.To(MkdirPath)).Json;
        Assert.Equal(System.Text.Json.JsonValueKind.String, body.GetProperty("parentID").ValueKind);
        Assert.Equal(Text(parentId), body.GetProperty("parentID").GetString());
        Assert.Equal("new", body.GetProperty("name").GetString());
        Assert.True(entry.IsDirectory);
        Assert.Equal(Text(account.FileId("/p/new")!.Value), entry.Id);
    }

    [Fact]
    public async Task CreateDirectory_WhenSomeoneCreatesItMeanwhile_ReturnsTheirFolder()
    {
        // "Idempotent": 123 refuses a second folder of one name (code 1); the driver looks again and finds it.
        var account = _cloud.Open123.CreateAccount();
        await using var d = await _cloud.CreateDriverAsync(account, intercept: request =>
        {
            if (request.RequestUri!.AbsolutePath == MkdirPath)
            {
                account.AddFolder("/raced");
            }

            return null;
        });

        var entry = await d.Driver.CreateDirectoryAsync(StoragePath.Parse("/raced"), CancellationToken.None);

        Assert.Equal(Text(account.FileId("/raced")!.Value), entry.Id);
        Assert.Single(account.ListNames("/"));
    }

    [Fact]
    public async Task Move_WithinAFolder_IsOneRenameByPut()
    {
        // §3.5: PUT /api/v1/file/name {"fileId": <int>, "fileName"}.
        var account = _cloud.Open123.CreateAccount();
        var id = account.AddFile("/old.txt", Bytes(10));
        await using var d = await _cloud.CreateDriverAsync(account);

        var moved = await d.Driver.MoveAsync(StoragePath.Parse("/old.txt"), StoragePath.Parse("/new.txt"), CancellationToken.None);

        var rename = Assert.Single(d.Http.To(RenamePath));
        Assert.Equal("PUT", rename.Method);
        Assert.Equal(id, rename.Json.GetProperty("fileId").GetInt64());
        Assert.Equal("new.txt", rename.Json.GetProperty("fileName").GetString());
        Assert.Empty(d.Http.To(MovePath));
        Assert.Equal(["new.txt"], account.ListNames("/"));
        Assert.Equal(Text(id), moved.Id);
        Assert.Equal(Bytes(10), await d.Driver.ReadAllAsync("/new.txt"));
    }

    [Fact]
    public async Task Move_ToAnotherFolder_IsOneMove_WithTheTargetIdAsANumber()
    {
        // §3.5: POST /api/v1/file/move {"fileIDs":[id], "toParentFileID": <int>}.
        var account = _cloud.Open123.CreateAccount();
        var id = account.AddFile("/a/f.txt", Bytes(10));
        var target = account.AddFolder("/b");
        await using var d = await _cloud.CreateDriverAsync(account);

        await d.Driver.MoveAsync(StoragePath.Parse("/a/f.txt"), StoragePath.Parse("/b/f.txt"), CancellationToken.None);

        var move = Assert.Single(d.Http.To(MovePath)).Json;
        Assert.Equal([id], move.GetProperty("fileIDs").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal(target, move.GetProperty("toParentFileID").GetInt64());
        Assert.Empty(d.Http.To(RenamePath));
        Assert.Equal(["f.txt"], account.ListNames("/b"));
        Assert.Empty(account.ListNames("/a"));
        Assert.Empty(await d.Driver.NamesAsync("/a"));
    }

    [Fact]
    public async Task Move_ToAnotherFolderAndName_RenamesFirst_WhenTheTargetHoldsTheOldName()
    {
        // 123 refuses a move onto a name the target folder holds; the old name there is no obstacle if the entry is
        // renamed before it moves.
        var account = _cloud.Open123.CreateAccount();
        account.AddFile("/a/x.txt", Bytes(1, seed: 1));
        account.AddFile("/b/x.txt", Bytes(2, seed: 2));
        await using var d = await _cloud.CreateDriverAsync(account);

        await d.Driver.MoveAsync(StoragePath.Parse("/a/x.txt"), StoragePath.Parse("/b/y.txt"), CancellationToken.None);

        Assert.Equal(["x.txt", "y.txt"], account.ListNames("/b").Order(StringComparer.Ordinal));
        Assert.Equal(Bytes(1, seed: 1), account.ReadAll("/b/y.txt"));
        Assert.True(d.Http.To(RenamePath)[0].At <= d.Http.To(MovePath)[0].At);
    }

    [Fact]
    public async Task Move_WhoseRenameFails_IsTakenBack()
    {
        var account = _cloud.Open123.CreateAccount();
        account.AddFile("/a/x.txt", Bytes(3));
        account.AddFolder("/b");
        await using var d = await _cloud.CreateDriverAsync(account, intercept: request => request.RequestUri!.AbsolutePath == RenamePath
            ? Envelope(1, "injected rename failure")
            : null);

        await AssertKindAsync(StorageErrorKind.Unavailable, () => d.Driver.MoveAsync(StoragePath.Parse("/a/x.txt"), StoragePath.Parse("/b/y.txt"), CancellationToken.None));

        Assert.Equal(["x.txt"], account.ListNames("/a"));
        Assert.Empty(account.ListNames("/b"));
        Assert.Equal(2, d.Http.To(MovePath).Count);
    }

    [Fact]
    public async Task Delete_PutsTheEntryInTheRecycleBin()
    {
        // §3.5: "Remove (always to trash) POST /api/v1/file/trash {"fileIDs":[id]}".
        var account = _cloud.Open123.CreateAccount();
        var id = account.AddFolder("/dir");
        account.AddFile("/dir/inner.txt", Bytes(4));
        await using var d = await _cloud.CreateDriverAsync(account);

        await d.Driver.DeleteAsync(StoragePath.Parse("/dir"), CancellationToken.None);

        Assert.Equal([id], Assert.Single(d.Http.To(TrashPath)).Json.GetProperty("fileIDs").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal(["dir"], account.TrashedNames);
        Assert.Empty(await d.Driver.NamesAsync("/"));
        await AssertKindAsync(StorageErrorKind.NotFound, () => d.Driver.StatAsync("/dir/inner.txt"));
    }

    [Fact]
    public async Task Copy_IsAnInstantUploadOfTheSourcesMd5()
    {
        // §3.6 step 6: "Copy is emulated with create using the source's etag + size + duplicate:2. If reuse comes
        // back it counts as success".
        var account = _cloud.Open123.CreateAccount();
        var content = Bytes(70_000, seed: 11);
        account.AddFile("/src/a.bin", content);
        var target = account.AddFolder("/dst");
        await using var d = await _cloud.CreateDriverAsync(account);

        var copy = await d.Driver.CopyAsync(StoragePath.Parse("/src/a.bin"), StoragePath.Parse("/dst/b.bin"), CancellationToken.None);

        var create = Assert.Single(d.Http.To(CreatePath)).Json;
        Assert.Equal(target, create.GetProperty("parentFileId").GetInt64());
        Assert.Equal("b.bin", create.GetProperty("filename").GetString());
        Assert.Equal(Md5Hex(content), create.GetProperty("etag").GetString());
        Assert.Equal(content.Length, create.GetProperty("size").GetInt64());
        Assert.Equal(2, create.GetProperty("duplicate").GetInt32());
        Assert.False(create.GetProperty("containDir").GetBoolean());
        Assert.Empty(d.Http.To("/upload/v2/file/slice"));
        Assert.Equal(content, account.ReadAll("/dst/b.bin"));
        Assert.Equal(content, account.ReadAll("/src/a.bin"));
        Assert.Equal(Md5Hex(content), copy.Hashes[HashNames.Md5]);
        Assert.Equal(Text(account.FileId("/dst/b.bin")!.Value), copy.Id);
    }

    [Fact]
    public async Task Copy_WhenTheServerDoesNotReuse_IsNotSupported_SoTheHostCopiesTheBytes()
    {
        // §3.6 step 6: "otherwise NotSupport".
        var account = _cloud.Open123.CreateAccount();
        account.AddFile("/a.bin", Bytes(100));
        await using var d = await _cloud.CreateDriverAsync(account, intercept: NoReuse);

        await AssertKindAsync(StorageErrorKind.NotSupported, () => d.Driver.CopyAsync(StoragePath.Parse("/a.bin"), StoragePath.Parse("/b.bin"), CancellationToken.None));

        Assert.Equal(["a.bin"], account.ListNames("/"));
    }

    [Fact]
    public async Task Copy_OfAFolderThatFailsHalfWay_LeavesNoPartialCopy()
    {
        var account = _cloud.Open123.CreateAccount();
        account.AddFile("/tree/one.bin", Bytes(10, seed: 1));
        account.AddFile("/tree/two.bin", Bytes(20, seed: 2));
        var creates = 0;
        await using var d = await _cloud.CreateDriverAsync(account, intercept: request =>
            request.RequestUri!.AbsolutePath == CreatePath && Interlocked.Increment(ref creates) == 2 ? NoReuse(request) : null);

        await AssertKindAsync(StorageErrorKind.NotSupported, () => d.Driver.CopyAsync(StoragePath.Parse("/tree"), StoragePath.Parse("/copy"), CancellationToken.None));

        Assert.Equal(["tree"], account.ListNames("/"));
        Assert.Contains("copy", account.TrashedNames);
        Assert.Equal(["tree"], await d.Driver.NamesAsync("/"));
    }

    [Fact]
    public async Task Quota_ComesFromUserInfo()
    {
        // §3.5: "Quota: total = spacePermanent + spaceTemp, used = spaceUsed".
        var account = _cloud.Open123.CreateAccount();
        account.SpacePermanent = 1_000_000;
        account.SpaceTemp = 500_000;
        account.AddFile("/f.bin", Bytes(250_000));
        await using var d = await _cloud.CreateDriverAsync(account);

        var quota = await d.Driver.GetQuotaAsync(CancellationToken.None);

        Assert.Equal(250_000, quota.UsedBytes);
        Assert.Equal(1_250_000, quota.AvailableBytes);
    }

    [Theory]
    [InlineData("what?.txt")]
    [InlineData("a*b")]
    [InlineData("quote\"d")]
    [InlineData("pipe|d")]
    [InlineData("colon:d")]
    [InlineData("less<more>")]
    public async Task NamesThat123Refuses_AreInvalidName_BeforeAnyCall(string name)
    {
        // §3.6 step 5: names "must not contain "\/:*?|><".
        var account = _cloud.Open123.CreateAccount();
        account.AddFile("/ok.txt", Bytes(1));
        await using var d = await _cloud.CreateDriverAsync(account);
        d.Http.Clear();

        await AssertKindAsync(StorageErrorKind.InvalidName, () => d.Driver.PutBytesAsync("/" + name, Bytes(3)));
        await AssertKindAsync(StorageErrorKind.InvalidName, () => d.Driver.CreateDirectoryAsync(StoragePath.Parse("/" + name), CancellationToken.None));
        await AssertKindAsync(StorageErrorKind.InvalidName, () => d.Driver.MoveAsync(StoragePath.Parse("/ok.txt"), StoragePath.Parse("/" + name), CancellationToken.None));

        Assert.DoesNotContain(d.Http.Requests, r => r.Method != "GET");
    }

    [Fact]
    public async Task ANameOf256Characters_IsInvalidName()
    {
        // §3.6 step 5: "file name < 256 characters".
        await using var d = await _cloud.CreateDriverAsync();
        await AssertKindAsync(StorageErrorKind.InvalidName, () => d.Driver.CreateDirectoryAsync(StoragePath.Parse("/" + new string('n', 256)), CancellationToken.None));
        Assert.True((await d.Driver.CreateDirectoryAsync(StoragePath.Parse("/" + new string('n', 255)), CancellationToken.None)).IsDirectory);
    }

    private static HttpResponseMessage? NoReuse(HttpRequestMessage request) => request.RequestUri!.AbsolutePath == CreatePath
        ? Envelope(0, "ok", """{"fileID":0,"preuploadID":"left-open","reuse":false,"sliceSize":16777216,"servers":["http://127.0.0.1:9"]}""")
        : null;

    private static HttpResponseMessage Envelope(int code, string message, string data = "null") => new(HttpStatusCode.OK)
    {
        Content = new StringContent($$"""{"code":{{code}},"message":"{{message}}","data":{{data}},"x-traceID":"test"}""", Encoding.UTF8, "application/json"),
    };
}
