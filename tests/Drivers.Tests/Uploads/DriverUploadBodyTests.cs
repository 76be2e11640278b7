using System.Security.Cryptography;
using OpenList.DriverHost.Drivers.DiskTop;
using OpenList.DriverHost.Drivers.Open115;
using OpenList.DriverHost.Drivers.Open123;
using OpenList.DriverHost.Drivers.Tests.Conformance;
using OpenList.DriverHost.Drivers.Tests.TestSupport;

#pragma warning disable CA5350, CA5351 // SHA1 and MD5 are the providers' content hashes, checked here, not security

namespace OpenList.DriverHost.Drivers.Tests.Uploads;

/// <summary>
/// What each driver's upload body keeps of its own on top of the shared spool: its hash kinds and boundaries,
/// computed over exactly the body's bytes, including the empty body.
/// </summary>
public sealed class DriverUploadBodyTests : IDisposable
{
    private static readonly StoragePath Path1 = StoragePath.Parse("/f.bin");
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(0)]
    [InlineData(1000)]
    [InlineData(Open115UploadBody.PreHashLength)]
    [InlineData(Open115UploadBody.PreHashLength + 1)]
    [InlineData(300_000)]
    public async Task Open115_HashesTheWholeBodyAndItsFirst128KiB(int size)
    {
        var content = TestBytes.Random(size);
        // 10_000-byte chunks: one of them straddles the 128 KiB pre-hash boundary.
        await using var body = await Open115UploadBody.SpoolAsync(Path1, TestStreams.Chunked(content, 10_000), null, _temp.Path, CancellationToken.None);

        Assert.Equal(size, body.Length);
        Assert.Equal(Convert.ToHexString(SHA1.HashData(content)), body.Sha1);
        Assert.Equal(Convert.ToHexString(SHA1.HashData(content.AsSpan(0, Math.Min(size, Open115UploadBody.PreHashLength)))), body.PreId);
        if (size > 0)
        {
            Assert.Equal(Convert.ToHexString(SHA1.HashData(content.AsSpan(size - 1, 1))), await body.RangeSha1Async(size - 1, size - 1, CancellationToken.None));
        }
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(5000, true)] // held in memory
    [InlineData(5000, false)] // unknown length: spooled
    [InlineData(Open123UploadBody.MaxBuffered + 1, true)] // spooled
    public async Task Open123_SliceHashesAreTheSameInMemoryAndSpooled(int size, bool declared)
    {
        var content = TestBytes.Random(size);
        await using var body = await Open123UploadBody.OpenAsync(Path1, TestStreams.Chunked(content, 7_000), declared ? size : null, _temp.Path, CancellationToken.None);

        Assert.Equal(size > Open123UploadBody.MaxBuffered || !declared, body.IsSpooled);
        Assert.Equal(Convert.ToHexStringLower(MD5.HashData(content)), body.Md5);
        var offset = size / 3;
        var count = size - offset;
        Assert.Equal(Convert.ToHexStringLower(MD5.HashData(content.AsSpan(offset, count))), await body.SliceMd5Async(offset, count, CancellationToken.None));
        var slice = body.Slice(offset, count);
        Assert.Equal("application/octet-stream", slice.Headers.ContentType?.MediaType);
        Assert.Equal(content.AsSpan(offset, count).ToArray(), await slice.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(70_000)]
    public async Task DiskTop_HashesTheWholeBody(int size)
    {
        var content = TestBytes.Random(size);
        await using var body = await DiskTopUploadBody.SpoolAsync(Path1, TestStreams.Chunked(content, 9_000), null, _temp.Path, _ => null, CancellationToken.None);

        Assert.Equal(size, body.Length);
        Assert.Equal(Convert.ToHexStringLower(MD5.HashData(content)), body.Md5);
        Assert.Equal(content, await body.Segment(0, size).ReadAsByteArrayAsync());
    }
}
