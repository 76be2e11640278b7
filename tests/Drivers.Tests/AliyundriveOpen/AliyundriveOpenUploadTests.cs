using System.Text.RegularExpressions;
using OpenList.DriverHost.Drivers.Errors;
using OpenList.DriverHost.Drivers.Tests.TestSupport;
using static OpenList.DriverHost.Drivers.Tests.AliyundriveOpen.AliyundriveOpenTestExtensions;

namespace OpenList.DriverHost.Drivers.Tests.AliyundriveOpen;

/// <summary>
/// Uploads (cloud-apis.md §2.6): parts of 20 MiB (the driver's size table has no smaller step, so the multi-part
/// tests send 20 MiB and a bit), part URLs fetched again when refused or 50 minutes old, part retries, the internal
/// upload endpoint, spooling of unknown lengths, and nothing left behind by an upload that does not finish.
/// Rapid upload is in <see cref="AliyundriveOpenRapidUploadTests"/>.
/// </summary>
public sealed partial class AliyundriveOpenUploadTests : IAsyncLifetime
{
    private const string Api = "/adrive/v1.0/openFile";
    private const int PartSize = 20 * 1024 * 1024;
    private const int TwoPartLength = PartSize + 300_000;
    private AliyundriveOpenTestCloud _cloud = null!;

    public async Task InitializeAsync() => _cloud = await AliyundriveOpenTestCloud.StartAsync();

    public Task DisposeAsync() => _cloud.DisposeAsync();

    private static CancellationToken Ct => CancellationToken.None;

    private List<int> PartStatuses => _cloud.Fake.Requests.Snapshot().Where(r => r.Operation == "upload-part").Select(r => r.Status).ToList();

    [Fact]
    public async Task Put_BiggerThanOnePart_UploadsEveryPart_WithoutSizeWhenRapidUploadIsOff()
    {
        // §2.6 steps 1–3, 5, 6: ceil(size / 20 MiB) parts announced in create; no size without rapid upload;
        // each part PUT raw to its URL; then complete.
        var content = Bytes(TwoPartLength, seed: 1);
        var account = _cloud.Fake.Aliyun.CreateAccount();
        var parentId = account.AddFolder("resource", "/up");
        await using var d = await _cloud.CreateDriverAsync(account);
        var modified = new DateTimeOffset(2021, 2, 3, 4, 5, 6, 789, TimeSpan.Zero);

        using var stream = new ObservedStream(content);
        var entry = await d.Driver.PutAsync(StoragePath.Parse("/up/big.bin"), stream, content.Length, new PutOptions(modified), Ct);

        Assert.Equal(content.Length, entry.Size);
        Assert.Equal(Sha1Hex(content), entry.Hashes[HashNames.Sha1]);
        Assert.Equal(content, account.ReadAll("resource", "/up/big.bin"));
        Assert.Equal([200, 200], PartStatuses);
        var create = Assert.Single(d.Http.To(Api + "/create")).Json;
        Assert.Equal(parentId, create.GetProperty("parent_file_id").GetString());
        Assert.Equal("file", create.GetProperty("type").GetString());
        Assert.Equal("ignore", create.GetProperty("check_name_mode").GetString());
        Assert.Equal([1, 2], create.GetProperty("part_info_list").EnumerateArray().Select(p => p.GetProperty("part_number").GetInt32()));
        Assert.False(create.TryGetProperty("size", out _));
        Assert.False(create.TryGetProperty("pre_hash", out _));
        Assert.Equal("2021-02-03T04:05:06.789Z", create.GetProperty("local_modified_at").GetString());
        Assert.Matches(TimeFormat(), create.GetProperty("local_created_at").GetString()!);
        Assert.Single(d.Http.To(Api + "/complete"));
        Assert.Empty(d.Http.To(Api + "/getUploadUrl"));
        Assert.All(d.Http.Requests.Where(r => r.Method == "PUT"), r => Assert.Null(r.Body));
    }

    [Fact]
    public async Task Put_WhenAPartUrlIsRefused_FetchesFreshUrlsAndGoesOn()
    {
        // §2.6 step 5: expired part URLs are replaced through getUploadUrl.
        var content = Bytes(TwoPartLength, seed: 2);
        var account = _cloud.Fake.Aliyun.CreateAccount();
        await using var d = await _cloud.CreateDriverAsync(account);
        var expired = false;
        using var stream = new ObservedStream(content, position =>
        {
            if (position >= PartSize && !expired)
            {
                expired = true; // part 1 went out with its URL; the one for part 2 dies now
                _cloud.Fake.Aliyun.ExpireUploadUrlsNow();
            }
        });

        await d.Driver.PutAsync(StoragePath.Parse("/big.bin"), stream, content.Length, PutOptions.Default, Ct);

        Assert.True(expired);
        Assert.Equal(content, account.ReadAll("resource", "/big.bin"));
        Assert.Equal([200, 403, 200], PartStatuses);
        var refresh = Assert.Single(d.Http.To(Api + "/getUploadUrl")).Json;
        Assert.Equal([1, 2], refresh.GetProperty("part_info_list").EnumerateArray().Select(p => p.GetProperty("part_number").GetInt32()));
    }

    [Fact]
    public async Task Put_WhenThePartUrlsAreFiftyMinutesOld_FetchesFreshOnesBeforeUsingThem()
    {
        // §2.6 step 5: "If 50 minutes have passed since the URLs were fetched, re-fetch them via getUploadUrl" —
        // on the driver's clock, before the server refuses anything.
        var content = Bytes(TwoPartLength, seed: 3);
        var clock = new ManualClock(TimeProvider.System.GetUtcNow());
        var account = _cloud.Fake.Aliyun.CreateAccount();
        await using var d = await _cloud.CreateDriverAsync(account, time: clock);
        var advanced = false;
        using var stream = new ObservedStream(content, position =>
        {
            if (position >= PartSize && !advanced)
            {
                advanced = true;
                clock.Advance(TimeSpan.FromMinutes(50));
            }
        });

        await d.Driver.PutAsync(StoragePath.Parse("/big.bin"), stream, content.Length, PutOptions.Default, Ct);

        Assert.Equal(content, account.ReadAll("resource", "/big.bin"));
        Assert.Equal([200, 200], PartStatuses);
        Assert.Single(d.Http.To(Api + "/getUploadUrl"));
    }

    [Fact]
    public async Task Put_WhenAPartPutFails_RetriesItAfterABackoff()
    {
        // §2.6 step 5: each part is retried 3× with back-off starting at 1 s.
        var content = Bytes(50_000, seed: 4);
        var clock = new ManualClock(TimeProvider.System.GetUtcNow());
        var account = _cloud.Fake.Aliyun.CreateAccount();
        await using var d = await _cloud.CreateDriverAsync(account, time: clock);
        _cloud.Fake.Faults.FailNext("upload-part", 2, 500);

        var put = d.Driver.PutBytesAsync("/a.bin", content);
        await clock.RunAsync(put, TimeSpan.FromSeconds(5));

        Assert.Equal(content, account.ReadAll("resource", "/a.bin"));
        Assert.Equal([500, 500, 200], PartStatuses);
        var puts = d.Http.Requests.Where(r => r.Method == "PUT").ToList();
        Assert.Equal(TimeSpan.FromSeconds(1), puts[1].At - puts[0].At);
        Assert.Equal(TimeSpan.FromSeconds(2), puts[2].At - puts[1].At);
    }

    [Fact]
    public async Task Put_OfUnknownLength_IsSpooledToTheTempDirectory_AndTheSpoolIsRemoved()
    {
        // DriverContext.TempDirectory: "Where uploads of unknown length are spooled".
        var content = Bytes(200_000, seed: 9);
        var account = _cloud.Fake.Aliyun.CreateAccount();
        await using var d = await _cloud.CreateDriverAsync(account);
        var spoolsSeen = -1;
        using var stream = new ObservedStream(content, position =>
        {
            if (position >= 100_000 && spoolsSeen < 0)
            {
                spoolsSeen = Directory.GetFiles(d.TempDirectory, "aliyun-upload-*").Length;
            }
        });

        var entry = await d.Driver.PutAsync(StoragePath.Parse("/chunked.bin"), stream, null, PutOptions.Default, Ct);

        Assert.Equal(1, spoolsSeen);
        Assert.Empty(Directory.GetFiles(d.TempDirectory));
        Assert.Equal(content.Length, entry.Size);
        Assert.Equal(content, account.ReadAll("resource", "/chunked.bin"));
        Assert.Equal([200], PartStatuses);
    }

    [Fact]
    public async Task Put_CancelledDuringTheSecondPart_IsIncomplete_AndLeavesNothing()
    {
        // IStorageDriver.PutAsync: "... or the call is cancelled, Incomplete is raised and neither a partial file nor
        // a damaged previous version is left behind" — here after create and the first part, before complete.
        var content = Bytes(TwoPartLength, seed: 10);
        var account = _cloud.Fake.Aliyun.CreateAccount();
        account.AddFile("resource", "/big.bin", Bytes(10, seed: 11));
        await using var d = await _cloud.CreateDriverAsync(account);
        using var cancel = new CancellationTokenSource();
        using var stream = new ObservedStream(content, position =>
        {
            if (position >= PartSize + 100_000)
            {
                cancel.Cancel();
            }
        });

        await AssertKindAsync(StorageErrorKind.Incomplete, () => d.Driver.PutAsync(StoragePath.Parse("/big.bin"), stream, content.Length, PutOptions.Default, cancel.Token));

        Assert.Equal([200], PartStatuses);
        Assert.Empty(d.Http.To(Api + "/complete"));
        Assert.Equal(Bytes(10, seed: 11), account.ReadAll("resource", "/big.bin"));
        Assert.Equal(["big.bin"], await d.Driver.NamesAsync("/"));
        Assert.Empty(account.RecycleBin);
    }

    [Fact]
    public async Task Put_ShortBodyInTheSecondPart_IsIncomplete_AndLeavesNothing()
    {
        var content = Bytes(PartSize + 1000, seed: 12);
        var account = _cloud.Fake.Aliyun.CreateAccount();
        await using var d = await _cloud.CreateDriverAsync(account);
        using var stream = new ObservedStream(content);

        var error = await AssertKindAsync(StorageErrorKind.Incomplete, () => d.Driver.PutAsync(StoragePath.Parse("/big.bin"), stream, TwoPartLength, PutOptions.Default, Ct));

        Assert.Contains($"{PartSize + 1000} of {TwoPartLength}", error.Message, StringComparison.Ordinal);
        Assert.Empty(d.Http.To(Api + "/complete"));
        Assert.False(account.Exists("resource", "/big.bin"));
        Assert.Empty(await d.Driver.NamesAsync("/"));
    }

    [Fact]
    public async Task Put_CancelledWhileSpooling_LeavesNoSpoolFile()
    {
        var account = _cloud.Fake.Aliyun.CreateAccount();
        await using var d = await _cloud.CreateDriverAsync(account, new Dictionary<string, object?> { ["rapid_upload"] = true });
        using var cancel = new CancellationTokenSource();
        using var stream = new ObservedStream(Bytes(400_000), position =>
        {
            if (position >= 200_000)
            {
                cancel.Cancel();
            }
        });

        await AssertKindAsync(StorageErrorKind.Incomplete, () => d.Driver.PutAsync(StoragePath.Parse("/a.bin"), stream, 400_000, PutOptions.Default, cancel.Token));

        Assert.Empty(Directory.GetFiles(d.TempDirectory));
        Assert.Empty(d.Http.To(Api + "/create"));
        Assert.False(account.Exists("resource", "/a.bin"));
    }

    [Theory]
    [InlineData(false, "https://cn-beijing-data.aliyundrive.net/bucket/a%2Bb?Expires=1&Signature=ab%2Bcd%3D")]
    [InlineData(true, "http://ccp-bj29-bj-1592982087.oss-cn-beijing-internal.aliyuncs.com/bucket/a%2Bb?Expires=1&Signature=ab%2Bcd%3D")]
    public async Task InternalUpload_SendsPartsToTheBeijingInternalEndpoint_WithTheSignatureUntouched(bool internalUpload, string expected)
    {
        // §2.1 / §2.4 internal_upload: the public upload prefix is replaced by the internal OSS one. The fake hands out
        // its own URLs, so this test answers create, the part PUT and complete itself, as the real service would.
        var puts = new List<string>();
        await using var d = await _cloud.CreateDriverAsync(
            addition: new Dictionary<string, object?> { ["internal_upload"] = internalUpload },
            intercept: request =>
            {
                var path = request.RequestUri!.AbsolutePath;
                if (request.Method == HttpMethod.Put)
                {
                    puts.Add(request.RequestUri.AbsoluteUri);
                    return new HttpResponseMessage(System.Net.HttpStatusCode.OK);
                }

                return path switch
                {
                    Api + "/create" => StubHandler.Json(System.Net.HttpStatusCode.OK, """
                        {"file_id":"f1","upload_id":"u1","rapid_upload":false,"file_name":"a.bin","type":"file",
                         "part_info_list":[{"part_number":1,"upload_url":"https://cn-beijing-data.aliyundrive.net/bucket/a%2Bb?Expires=1&Signature=ab%2Bcd%3D"}]}
                        """),
                    Api + "/complete" => StubHandler.Json(System.Net.HttpStatusCode.OK, """{"file_id":"f1","name":"a.bin","type":"file","size":10}"""),
                    _ => null,
                };
            });

        var entry = await d.Driver.PutBytesAsync("/a.bin", Bytes(10));

        Assert.Equal(expected, Assert.Single(puts));
        Assert.Equal("f1", entry.Id);
    }

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")]
    private static partial Regex TimeFormat();
}
