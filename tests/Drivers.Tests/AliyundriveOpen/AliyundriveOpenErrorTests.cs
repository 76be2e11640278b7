using OpenList.DriverHost.CloudFakes;
using OpenList.DriverHost.Drivers.Errors;
using OpenList.DriverHost.Drivers.Tests.TestSupport;
using static OpenList.DriverHost.Drivers.Tests.AliyundriveOpen.AliyundriveOpenTestExtensions;

namespace OpenList.DriverHost.Drivers.Tests.AliyundriveOpen;

/// <summary>
/// Error classification (cloud-apis.md §2.2) and what is retried: throttling after Retry-After, 5xx only for calls
/// that are safe to repeat. The driver runs on a manual clock, so back-offs take no real time and are measured exactly.
/// </summary>
public sealed class AliyundriveOpenErrorTests : IAsyncLifetime
{
    private const string Api = "/adrive/v1.0/openFile";
    private readonly ManualClock _clock = new(TimeProvider.System.GetUtcNow());
    private AliyundriveOpenTestCloud _cloud = null!;

    public async Task InitializeAsync() => _cloud = await AliyundriveOpenTestCloud.StartAsync();

    public Task DisposeAsync() => _cloud.DisposeAsync();

    private static CancellationToken Ct => CancellationToken.None;

    private async Task<AliyunTestDriver> DriverAsync(Action<AliyunAccount>? seed = null, IReadOnlyDictionary<string, object?>? addition = null)
    {
        var account = _cloud.Fake.Aliyun.CreateAccount();
        seed?.Invoke(account);
        var d = await _cloud.CreateDriverAsync(account, addition, time: _clock);
        _cloud.Fake.Requests.Clear();
        return d;
    }

    /// <summary>Runs a driver call, moving the manual clock through its back-offs (never through a 30 s attempt timeout).</summary>
    private async Task<T> RunAsync<T>(Func<Task<T>> call)
    {
        var task = call();
        await _clock.RunAsync(task, TimeSpan.FromSeconds(10));
        return await task;
    }

    private async Task RunAsync(Func<Task> call) => await _clock.RunAsync(call(), TimeSpan.FromSeconds(10));

    private List<int> Statuses(string operation) =>
        _cloud.Fake.Requests.Snapshot().Where(r => r.Operation == operation).Select(r => r.Status).ToList();

    [Theory]
    [InlineData("NotFound.File")]
    [InlineData("NotFound.FileId")] // §2.2: the exact code is UNCERTAIN; the driver takes every NotFound.* as not found
    public async Task NotFoundCodes_AreNotFound(string code)
    {
        await using var d = await DriverAsync(a => a.AddFile("resource", "/a.bin", Bytes(10)));
        _cloud.Fake.Faults.FailNext(Api + "/getDownloadUrl", 1, 404, code);

        await AssertKindAsync(StorageErrorKind.NotFound, () => d.Driver.ReadAllAsync("/a.bin"));
        Assert.Equal([404], Statuses(Api + "/getDownloadUrl")); // a client error is not retried
    }

    [Fact]
    public async Task AlreadyExistCode_IsAlreadyExists_AndNothingChanges()
    {
        // §2.2: AlreadyExist.File (UNCERTAIN); here another client took the name between the check and the rename.
        await using var d = await DriverAsync(a => a.AddFile("resource", "/a.bin", Bytes(10)));
        _cloud.Fake.Faults.FailNext(Api + "/update", 1, 409, "AlreadyExist.File");

        await AssertKindAsync(StorageErrorKind.AlreadyExists, () => d.Driver.MoveAsync(StoragePath.Parse("/a.bin"), StoragePath.Parse("/b.bin"), Ct));
        Assert.Equal(["a.bin"], await d.Driver.NamesAsync("/"));
    }

    [Theory]
    [InlineData("QuotaExhausted.Drive", StorageErrorKind.QuotaExceeded)]
    [InlineData("ExceedCapacityForbidden", StorageErrorKind.QuotaExceeded)]
    [InlineData("ForbiddenDriveLocked", StorageErrorKind.PermissionDenied)]
    [InlineData("UserNotAllowedAccessResource", StorageErrorKind.PermissionDenied)]
    public async Task DocumentedCodes_MapToTheirKind(string code, StorageErrorKind kind)
    {
        await using var d = await DriverAsync();
        _cloud.Fake.Faults.FailNext(Api + "/create", 1, 400, code);

        var error = await AssertKindAsync(kind, () => d.Driver.PutBytesAsync("/a.bin", Bytes(10)));
        Assert.Contains(code, error.Message, StringComparison.Ordinal); // §2.2: the driver's text is <code>:<message>
    }

    [Fact]
    public async Task Throttled_IsRetriedAfterRetryAfter()
    {
        // §2.2 TooManyRequests (HTTP 429): the call was not carried out; it is repeated once the server's wait is over.
        await using var d = await DriverAsync(a => a.AddFile("resource", "/a.bin", Bytes(10)));
        _cloud.Fake.Faults.Throttle(Api + "/list", 1, TimeSpan.FromSeconds(3));

        Assert.Equal(["a.bin"], await RunAsync(() => d.Driver.NamesAsync("/")));

        var lists = d.Http.To(Api + "/list");
        Assert.Equal([429, 200], lists.Select(r => r.Status));
        Assert.Equal(TimeSpan.FromSeconds(3), lists[1].At - lists[0].At);
    }

    [Fact]
    public async Task Throttled_ForLongerThanTheDriverWaits_IsRateLimitedWithTheServersWait()
    {
        await using var d = await DriverAsync();
        _cloud.Fake.Faults.Throttle(Api + "/list", 1, TimeSpan.FromSeconds(30));

        var error = await AssertKindAsync(StorageErrorKind.RateLimited, () => RunAsync(() => d.Driver.NamesAsync("/")));

        Assert.Equal(TimeSpan.FromSeconds(30), error.RetryAfter);
        Assert.Equal([429], Statuses(Api + "/list"));
    }

    [Fact]
    public async Task ServerError_OnAnIdempotentCall_IsRetried()
    {
        await using var d = await DriverAsync(a => a.AddFile("resource", "/a.bin", Bytes(10)));
        _cloud.Fake.Faults.FailNext(Api + "/list", 2, 503);
        _cloud.Fake.Faults.FailNext(Api + "/getDownloadUrl", 1, 500);
        _cloud.Fake.Faults.FailNext(Api + "/recyclebin/trash", 1, 502);

        Assert.Equal(["a.bin"], await RunAsync(() => d.Driver.NamesAsync("/")));
        Assert.Equal(Bytes(10), await RunAsync(() => d.Driver.ReadAllAsync("/a.bin")));
        await RunAsync(() => d.Driver.DeleteAsync(StoragePath.Parse("/a.bin"), Ct));

        Assert.Equal([503, 503, 200], Statuses(Api + "/list").Take(3));
        Assert.Equal([500, 200], Statuses(Api + "/getDownloadUrl"));
        Assert.Equal([502, 200], Statuses(Api + "/recyclebin/trash"));
        Assert.Empty(await d.Driver.NamesAsync("/"));
    }

    [Fact]
    public async Task ServerError_OnCreateFolder_IsNotRepeated()
    {
        // openFile/create is not idempotent: a 500 may come after the folder was made (and OpenList never repeats
        // an answered call, §0.1). The error goes to the client as Unavailable.
        await using var d = await DriverAsync();
        _cloud.Fake.Faults.FailNext(Api + "/create", 1, 500);

        await AssertKindAsync(StorageErrorKind.Unavailable, () => RunAsync(() => d.Driver.CreateDirectoryAsync(StoragePath.Parse("/dir"), Ct)));

        Assert.Equal([500], Statuses(Api + "/create"));
        Assert.Empty(await d.Driver.NamesAsync("/"));
    }

    [Fact]
    public async Task ServerError_OnUploadCreate_IsNotRepeated()
    {
        await using var d = await DriverAsync();
        _cloud.Fake.Faults.FailNext(Api + "/create", 1, 500);

        await AssertKindAsync(StorageErrorKind.Unavailable, () => RunAsync(() => d.Driver.PutBytesAsync("/a.bin", Bytes(10))));

        Assert.Equal([500], Statuses(Api + "/create"));
        Assert.Equal(0, _cloud.Fake.Requests.Count("upload-part"));
    }

    [Fact]
    public async Task ServerError_OnComplete_IsNotRepeated_AndKeepsThePreviousVersion()
    {
        await using var d = await DriverAsync(a => a.AddFile("resource", "/a.bin", Bytes(10, seed: 1)));
        _cloud.Fake.Faults.FailNext(Api + "/complete", 1, 500);

        await AssertKindAsync(StorageErrorKind.Unavailable, () => RunAsync(() => d.Driver.PutBytesAsync("/a.bin", Bytes(20, seed: 2))));

        Assert.Equal([500], Statuses(Api + "/complete"));
        Assert.Equal(Bytes(10, seed: 1), await d.Driver.ReadAllAsync("/a.bin"));
        Assert.Equal(["a.bin"], await d.Driver.NamesAsync("/"));
    }

    [Fact]
    public async Task Move_WhenTheRenameAfterTheMoveFails_PutsTheFileBack()
    {
        // A move to another folder under another name is two calls (move, then update). When the rename fails the
        // entry must not stay in the target folder under its old name: it is moved back.
        await using var d = await DriverAsync(a =>
        {
            a.AddFile("resource", "/a/file.txt", Bytes(10));
            a.AddFolder("resource", "/b");
        });
        _cloud.Fake.Faults.FailNext(Api + "/update", 1, 500);

        await AssertKindAsync(StorageErrorKind.Unavailable, () => RunAsync(() => d.Driver.MoveAsync(StoragePath.Parse("/a/file.txt"), StoragePath.Parse("/b/renamed.txt"), Ct)));

        Assert.Equal(Bytes(10), await d.Driver.ReadAllAsync("/a/file.txt"));
        Assert.Empty(await d.Driver.NamesAsync("/b"));
        Assert.Equal(2, _cloud.Fake.Requests.Count(Api + "/move"));
    }

    [Fact]
    public async Task Copy_WhenTheRenameAfterTheCopyFails_RemovesTheCopy()
    {
        await using var d = await DriverAsync(a =>
        {
            a.AddFile("resource", "/a/file.txt", Bytes(10));
            a.AddFolder("resource", "/b");
        });
        _cloud.Fake.Faults.FailNext(Api + "/update", 1, 500);

        await AssertKindAsync(StorageErrorKind.Unavailable, () => RunAsync(() => d.Driver.CopyAsync(StoragePath.Parse("/a/file.txt"), StoragePath.Parse("/b/copy.txt"), Ct)));

        Assert.Empty(await d.Driver.NamesAsync("/b"));
        Assert.Equal(Bytes(10), await d.Driver.ReadAllAsync("/a/file.txt"));
    }
}
