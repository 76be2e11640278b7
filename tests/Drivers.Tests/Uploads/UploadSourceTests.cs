using OpenList.DriverHost.Drivers.Errors;
using OpenList.DriverHost.Drivers.Uploads;
using OpenList.DriverHost.Drivers.Tests.Conformance;

namespace OpenList.DriverHost.Drivers.Tests.Uploads;

/// <summary>Reading the client's body directly (streamed and in-memory uploads): failures and overruns are Incomplete.</summary>
public sealed class UploadSourceTests
{
    private static readonly StoragePath Path1 = StoragePath.Parse("/a.bin");

    [Fact]
    public async Task ReadAsync_TurnsAFailedReadIntoIncomplete()
    {
        var error = await Assert.ThrowsAsync<StorageException>(() =>
            UploadSource.ReadAsync(Path1, TestStreams.Chunked(new byte[10], 10, failAt: 0), new byte[4], 42, CancellationToken.None));

        Assert.Equal(StorageErrorKind.Incomplete, error.Kind);
        Assert.Equal("upload body failed after 42 bytes; nothing was kept: /a.bin", error.Message);
    }

    [Fact]
    public async Task EnsureEndAsync_AcceptsABodyThatIsOver()
    {
        var body = TestStreams.Chunked(new byte[3], 3);
        Assert.Equal(3, await UploadSource.ReadAsync(Path1, body, new byte[3], 0, CancellationToken.None));

        await UploadSource.EnsureEndAsync(Path1, body, 3, 3, CancellationToken.None);
    }

    [Fact]
    public async Task EnsureEndAsync_RefusesOneByteMore()
    {
        var body = TestStreams.Chunked(new byte[4], 3);
        Assert.Equal(3, await UploadSource.ReadAsync(Path1, body, new byte[3], 0, CancellationToken.None));

        var error = await Assert.ThrowsAsync<StorageException>(() => UploadSource.EnsureEndAsync(Path1, body, 3, 3, CancellationToken.None));

        Assert.Equal(StorageErrorKind.Incomplete, error.Kind);
        Assert.Equal("upload body is longer than the declared 3 bytes; nothing was kept: /a.bin", error.Message);
    }
}
