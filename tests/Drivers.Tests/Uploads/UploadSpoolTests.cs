using System.Security.Cryptography;
using OpenList.DriverHost.Drivers.Errors;
using OpenList.DriverHost.Drivers.Uploads;
using OpenList.DriverHost.Drivers.Tests.Conformance;
using OpenList.DriverHost.Drivers.Tests.TestSupport;

#pragma warning disable CA5350, CA5351 // SHA1 and MD5 are the providers' content hashes, checked here, not security

namespace OpenList.DriverHost.Drivers.Tests.Uploads;

/// <summary>
/// The spool every cloud driver stages uploads in: the observer sees the exact bytes at their offsets, ranges and
/// segments cut at buffer boundaries read back exactly, a body of the wrong length or a failing one leaves no file,
/// and the free-space checks refuse before reading.
/// </summary>
public sealed class UploadSpoolTests : IDisposable
{
    private static readonly StoragePath Path1 = StoragePath.Parse("/dir/f.bin");
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(200_000, 65_536, true)] // whole buffers, then a short one
    [InlineData(200_000, 7_777, false)] // chunks that straddle every buffer boundary
    [InlineData(UploadSpool.CopyBufferSize, 65_536, true)] // exactly one buffer
    [InlineData(1, 1, false)]
    public async Task Observer_SeesEveryByteOnceAtItsOffset(int size, int chunk, bool declared)
    {
        var content = TestBytes.Random(size);
        var seen = new MemoryStream();
        await using var spool = await UploadSpool.CreateAsync(
            Path1,
            TestStreams.Chunked(content, chunk),
            declared ? size : null,
            Options(),
            (bytes, offset) =>
            {
                Assert.Equal(seen.Length, offset);
                seen.Write(bytes);
            },
            CancellationToken.None);

        Assert.Equal(size, spool.Length);
        Assert.Equal(content, seen.ToArray());
    }

    [Fact]
    public async Task EmptyBody_IsAnEmptySpoolThatNoChunkWasSeenFor()
    {
        var chunks = 0;
        await using var spool = await UploadSpool.CreateAsync(Path1, new MemoryStream(), 0, Options(), (_, _) => chunks++, CancellationToken.None);

        Assert.Equal(0, spool.Length);
        Assert.Equal(0, chunks);
        Assert.Equal(SHA1.HashData(ReadOnlySpan<byte>.Empty), await spool.HashAsync(HashAlgorithmName.SHA1, 0, 0, CancellationToken.None));
        Assert.Empty(await spool.Segment(0, 0).ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData(0, 200_000)]
    [InlineData(65_535, 2)] // across the first buffer boundary
    [InlineData(65_536, 65_536)] // exactly the second buffer
    [InlineData(131_071, 68_929)] // to the last byte
    [InlineData(199_999, 1)]
    public async Task HashAndSegment_CoverExactlyTheRange(long offset, long count)
    {
        var content = TestBytes.Random(200_000);
        await using var spool = await UploadSpool.CreateAsync(Path1, new MemoryStream(content), null, Options(), (_, _) => { }, CancellationToken.None);
        var expected = content.AsSpan((int)offset, (int)count).ToArray();

        Assert.Equal(MD5.HashData(expected), await spool.HashAsync(HashAlgorithmName.MD5, offset, count, CancellationToken.None));
        var segment = spool.Segment(offset, count);
        Assert.Equal(count, segment.Headers.ContentLength);
        Assert.Null(segment.Headers.ContentType);
        Assert.Equal(expected, await segment.ReadAsByteArrayAsync());
        Assert.Equal(expected, await spool.Segment(offset, count).ReadAsByteArrayAsync()); // a retry reads the file again
    }

    [Fact]
    public async Task Read_GivesTheBytesAtAnOffsetAndStopsAtTheEnd()
    {
        var content = TestBytes.Random(100);
        await using var spool = await UploadSpool.CreateAsync(Path1, new MemoryStream(content), 100, Options(), (_, _) => { }, CancellationToken.None);
        var bytes = new byte[8];

        Assert.Equal(8, spool.Read(bytes, 10));
        Assert.Equal(content.AsSpan(10, 8).ToArray(), bytes);
        Assert.Equal(4, spool.Read(bytes, 96));
    }

    [Fact]
    public async Task SpoolFile_IsNamedForTheDriverAndGoneOnDispose()
    {
        var spool = await UploadSpool.CreateAsync(Path1, new MemoryStream(TestBytes.Random(10)), 10, Options(), (_, _) => { }, CancellationToken.None);
        var file = Assert.Single(_temp.Files());
        Assert.Matches("^test-upload-[0-9a-f]{32}\\.tmp$", Path.GetFileName(file));

        await spool.DisposeAsync();

        Assert.Empty(_temp.Files());
    }

    [Fact]
    public async Task BodyShorterThanDeclared_IsIncompleteAndLeavesNoFile()
    {
        var error = await Assert.ThrowsAsync<StorageException>(() =>
            UploadSpool.CreateAsync(Path1, TestStreams.Chunked(TestBytes.Random(1000), 300), 1001, Options(), (_, _) => { }, CancellationToken.None));

        Assert.Equal(StorageErrorKind.Incomplete, error.Kind);
        Assert.Equal("upload body ended after 1000 of 1001 bytes; nothing was kept: /dir/f.bin", error.Message);
        Assert.Empty(_temp.Files());
    }

    [Fact]
    public async Task BodyLongerThanDeclared_IsIncompleteBeforeTheExtraBytesAreSeen()
    {
        long seen = 0;
        var error = await Assert.ThrowsAsync<StorageException>(() =>
            UploadSpool.CreateAsync(Path1, TestStreams.Chunked(TestBytes.Random(1000), 300), 999, Options(), (bytes, _) => seen += bytes.Length, CancellationToken.None));

        Assert.Equal(StorageErrorKind.Incomplete, error.Kind);
        Assert.Equal("upload body is longer than the declared 999 bytes; nothing was kept: /dir/f.bin", error.Message);
        Assert.Equal(900, seen); // the chunk that overran was never hashed
        Assert.Empty(_temp.Files());
    }

    [Fact]
    public async Task FailingBody_IsIncompleteAndSaysHowFarItGot()
    {
        var error = await Assert.ThrowsAsync<StorageException>(() =>
            UploadSpool.CreateAsync(Path1, TestStreams.Chunked(TestBytes.Random(1000), 300, failAt: 600), null, Options(), (_, _) => { }, CancellationToken.None));

        Assert.Equal(StorageErrorKind.Incomplete, error.Kind);
        Assert.Equal("upload body failed after 600 bytes; nothing was kept: /dir/f.bin", error.Message);
        Assert.IsType<IOException>(error.InnerException);
        Assert.Empty(_temp.Files());
    }

    [Theory]
    [InlineData(null, "the temporary folder lacks the 1000 bytes needed to stage the upload of /dir/f.bin")]
    [InlineData("X hashes the whole file first", "the temporary folder has 999 bytes free but the upload of /dir/f.bin needs 1000 to be staged (X hashes the whole file first)")]
    public async Task DeclaredLengthBeyondFreeSpace_IsRefusedBeforeReading(string? why, string message)
    {
        var body = new MemoryStream(TestBytes.Random(1000));
        var options = Options() with { WhyStaged = why, AvailableSpace = _ => 999 };

        var error = await Assert.ThrowsAsync<StorageException>(() => UploadSpool.CreateAsync(Path1, body, 1000, options, (_, _) => { }, CancellationToken.None));

        Assert.Equal(StorageErrorKind.QuotaExceeded, error.Kind);
        Assert.Equal(message, error.Message);
        Assert.Equal(0, body.Position);
        Assert.Empty(_temp.Files());
    }

    [Fact]
    public async Task UnknownLength_WithoutAReserve_NeverAsksForFreeSpace()
    {
        var options = Options() with { AvailableSpace = _ => throw new InvalidOperationException("asked") };

        await using var spool = await UploadSpool.CreateAsync(Path1, new MemoryStream(TestBytes.Random(5000)), null, options, (_, _) => { }, CancellationToken.None);

        Assert.Equal(5000, spool.Length);
    }

    [Fact]
    public async Task UnknownLength_WithAReserve_IsCheckedBeforeReadingAndAfterEveryReserveSpooled()
    {
        // Free space before the first byte, then after the first chunk end past each 1000 bytes: 1200, 2400.
        var free = new Queue<long>([5000, 4000, 999]);
        var seen = 0L;
        var options = Options() with
        {
            WhyStaged = "X needs the whole file first",
            UnknownLengthReserve = 1000,
            AvailableSpace = _ => free.Dequeue(),
        };

        var error = await Assert.ThrowsAsync<StorageException>(() =>
            UploadSpool.CreateAsync(Path1, TestStreams.Chunked(TestBytes.Random(100_000), 400), null, options, (bytes, _) => seen += bytes.Length, CancellationToken.None));

        Assert.Empty(free);
        Assert.Equal(2400, seen);
        Assert.Equal(StorageErrorKind.QuotaExceeded, error.Kind);
        Assert.Equal("the temporary folder has 999 bytes free after staging 2400 bytes of /dir/f.bin; the upload is refused (X needs the whole file first)", error.Message);
        Assert.Empty(_temp.Files());
    }

    [Fact]
    public async Task UnknownLength_BelowTheReserveAlready_IsRefusedBeforeReading()
    {
        var body = new MemoryStream(TestBytes.Random(10));
        var options = Options() with { UnknownLengthReserve = 1000, AvailableSpace = _ => 999 };

        var error = await Assert.ThrowsAsync<StorageException>(() => UploadSpool.CreateAsync(Path1, body, null, options, (_, _) => { }, CancellationToken.None));

        Assert.Equal(StorageErrorKind.QuotaExceeded, error.Kind);
        Assert.Equal("the temporary folder has 999 bytes free after staging 0 bytes of /dir/f.bin; the upload is refused", error.Message);
        Assert.Equal(0, body.Position);
    }

    [Fact]
    public async Task Cancellation_StopsTheCopyAndLeavesNoFile()
    {
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            UploadSpool.CreateAsync(Path1, TestStreams.Chunked(TestBytes.Random(10), 10), 10, Options(), (_, _) => { }, cancel.Token));

        Assert.Empty(_temp.Files());
    }

    private UploadSpoolOptions Options() => new(_temp.Path, "test");
}
