using System.Security.Cryptography;
using OpenList.DriverHost.CloudFakes;
using OpenList.DriverHost.Drivers.DiskTop;
using OpenList.DriverHost.Drivers.Errors;

#pragma warning disable CA5351 // MD5 is Disk.Top's content hash

namespace OpenList.DriverHost.Drivers.Tests.DiskTop;

/// <summary>
/// Uploads against the fake (cloud-apis.md §4.5): a 100 MB chunked upload cut half way and resumed from /parts without
/// sending a part twice; failed and cancelled uploads aborted so that neither a file nor a session nor a chunk is left;
/// replacing a file only once the new one is complete; instant upload; spooling refused when the temp folder is short.
/// </summary>
public sealed class DiskTopUploadTests(DiskTopTestCloud cloud) : IClassFixture<DiskTopTestCloud>, IDisposable
{
    private const long HundredMegabytes = 100L * 1024 * 1024;
    private const string Chunk = "chunk";
    private const string Precreate = "/v1/files/upload/precreate";

    private readonly string _temp = Directory.CreateTempSubdirectory("disktop-upload-test-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Theory]
    [InlineData(false, 21)] // part 11 is cut before it is stored: sent twice, nothing else again
    [InlineData(true, 20)] // part 11 is stored but its answer is lost: /parts says so, it is not sent again
    public async Task A100MbUpload_CutAfterHalfItsChunks_ResumesFromParts_WithoutResendingThem(bool storedBeforeTheCut, int chunkRequests)
    {
        var account = cloud.CreateAccount();
        await using var driver = await cloud.CreateDriverAsync(account, tempDirectory: _temp);
        driver.UploadRetryDelay = TimeSpan.Zero;
        Assert.Equal(5 * 1024 * 1024, cloud.DiskTop.ChunkSize); // 20 parts
        cloud.Fake.Requests.Clear();
        cloud.DiskTop.FailChunkRequest(11, status: 0, storeFirst: storedBeforeTheCut); // the connection is cut

        var seed = storedBeforeTheCut ? 43 : 42; // content of its own: the same bytes again would be an instant upload
        await using var body = SyntheticContent.OpenRead(seed, HundredMegabytes);
        var entry = await driver.PutAsync(StoragePath.Parse("/big.bin"), new ForwardOnly(body), null, PutOptions.Default, CancellationToken.None);

        Assert.Equal(HundredMegabytes, entry.Size);
        var md5 = await Md5Async(SyntheticContent.OpenRead(seed, HundredMegabytes));
        Assert.Equal(md5, entry.Hashes[HashNames.Md5]);
        Assert.Equal(md5, await account.Account.Md5(account.InSandbox("/big.bin")));
        Assert.Equal(chunkRequests, cloud.Fake.Requests.Count(Chunk));
        Assert.Equal(chunkRequests, driver.LastUploadPartsSent);
        Assert.True(cloud.Fake.Requests.Count("/u/{upload_id}/parts") >= 1);
        Assert.Equal(0, cloud.DiskTop.OpenUploadSessions);
        Assert.Equal(0, cloud.DiskTop.StoredChunks);
    }

    [Fact]
    public async Task AFailingUpload_IsAborted_AndLeavesNothingOnTheFake()
    {
        var account = cloud.CreateAccount();
        await using var driver = await cloud.CreateDriverAsync(account, tempDirectory: _temp);
        driver.UploadRetryDelay = TimeSpan.Zero;
        driver.UploadAttemptsWithoutProgress = 3;
        cloud.DiskTop.FailChunk(3, times: 3, status: 500);
        var content = Random(12 * 1024 * 1024, seed: 1); // three parts

        var error = await Assert.ThrowsAsync<StorageException>(() => driver.PutAsync(StoragePath.Parse("/fails.bin"), new MemoryStream(content), content.Length, PutOptions.Default, CancellationToken.None));

        Assert.Equal(StorageErrorKind.Unavailable, error.Kind);
        Assert.False(account.Account.Exists(account.InSandbox("/fails.bin")));
        Assert.Empty(account.Account.ChildNames(account.Sandbox));
        Assert.Equal(0, cloud.DiskTop.OpenUploadSessions);
        Assert.Equal(0, cloud.DiskTop.StoredChunks);
    }

    [Fact]
    public async Task AClientThatHangsUpMidUpload_AbortsTheSession_AndLeavesNothingOnTheFake()
    {
        var account = cloud.CreateAccount();
        await using var driver = await cloud.CreateDriverAsync(account, tempDirectory: _temp);
        cloud.Fake.Faults.Delay(Chunk, TimeSpan.FromMilliseconds(100));
        using var client = new CancellationTokenSource();
        var content = Random(30 * 1024 * 1024, seed: 2); // six parts
        try
        {
            var upload = driver.PutAsync(StoragePath.Parse("/cancelled.bin"), new MemoryStream(content), content.Length, PutOptions.Default, client.Token);
            while (cloud.DiskTop.StoredChunks < 2 && !upload.IsCompleted)
            {
                await Task.Delay(10);
            }

            await client.CancelAsync();
            var error = await Assert.ThrowsAsync<StorageException>(() => upload);
            Assert.Equal(StorageErrorKind.Incomplete, error.Kind);
        }
        finally
        {
            cloud.Fake.Faults.Clear();
        }

        Assert.False(account.Account.Exists(account.InSandbox("/cancelled.bin")));
        Assert.Equal(0, cloud.DiskTop.OpenUploadSessions);
        Assert.Equal(0, cloud.DiskTop.StoredChunks);
        Assert.Empty(account.Account.ChildNames(account.Sandbox));
    }

    [Fact]
    public async Task Replacing_SwapsTheNewFileIn_AndLeavesNoStagingName()
    {
        var account = cloud.CreateAccount();
        await using var driver = await cloud.CreateDriverAsync(account, tempDirectory: _temp);
        var first = Random(6 * 1024 * 1024, seed: 3);
        var second = Random(100, seed: 4);
        await driver.PutAsync(StoragePath.Parse("/doc.bin"), new MemoryStream(first), first.Length, PutOptions.Default, CancellationToken.None);

        var entry = await driver.PutAsync(StoragePath.Parse("/doc.bin"), new MemoryStream(second), second.Length, PutOptions.Default, CancellationToken.None);

        Assert.Equal(100, entry.Size);
        Assert.Equal(second, account.Account.ReadAll(account.InSandbox("/doc.bin")));
        Assert.Equal(["doc.bin"], account.Account.ChildNames(account.Sandbox));
    }

    [Fact]
    public async Task AFailedReplacement_LeavesThePreviousVersionAsItWas()
    {
        var account = cloud.CreateAccount();
        await using var driver = await cloud.CreateDriverAsync(account, tempDirectory: _temp);
        driver.UploadRetryDelay = TimeSpan.Zero;
        driver.UploadAttemptsWithoutProgress = 2;
        var old = Random(1000, seed: 5);
        await driver.PutAsync(StoragePath.Parse("/keep.bin"), new MemoryStream(old), old.Length, PutOptions.Default, CancellationToken.None);
        cloud.DiskTop.FailChunk(1, times: 2, status: 503);
        var replacement = Random(2000, seed: 6);

        await Assert.ThrowsAsync<StorageException>(() => driver.PutAsync(StoragePath.Parse("/keep.bin"), new MemoryStream(replacement), replacement.Length, PutOptions.Default, CancellationToken.None));

        Assert.Equal(old, account.Account.ReadAll(account.InSandbox("/keep.bin")));
        Assert.Equal(["keep.bin"], account.Account.ChildNames(account.Sandbox));
        Assert.Equal(0, cloud.DiskTop.OpenUploadSessions);
    }

    [Fact]
    public async Task InstantUpload_SendsNoChunk()
    {
        var content = Random(300_000, seed: 7);
        var owner = cloud.CreateAccount();
        owner.Account.AddFile(owner.InSandbox("/known.bin"), content);
        var account = cloud.CreateAccount();
        await using var driver = await cloud.CreateDriverAsync(account, tempDirectory: _temp);
        cloud.Fake.Requests.Clear();

        var entry = await driver.PutAsync(StoragePath.Parse("/copy.bin"), new MemoryStream(content), content.Length, PutOptions.Default, CancellationToken.None);

        Assert.Equal(Convert.ToHexStringLower(MD5.HashData(content)), entry.Hashes[HashNames.Md5]);
        Assert.Equal(1, cloud.Fake.Requests.Count(Precreate));
        Assert.Equal(0, cloud.Fake.Requests.Count(Chunk));
        Assert.Equal(content, account.Account.ReadAll(account.InSandbox("/copy.bin")));
    }

    [Fact]
    public async Task ABodyOfUnknownLength_IsRefusedWith507Semantics_WhenTheTempFolderRunsShort()
    {
        await using var driver = await cloud.CreateDriverAsync(tempDirectory: _temp);
        driver.AvailableSpace = _ => 1000;
        cloud.Fake.Requests.Clear();

        var error = await Assert.ThrowsAsync<StorageException>(() => driver.PutAsync(StoragePath.Parse("/big.bin"), new ForwardOnly(new MemoryStream(Random(5000, 8))), null, PutOptions.Default, CancellationToken.None));

        Assert.Equal(StorageErrorKind.QuotaExceeded, error.Kind);
        Assert.Equal(0, cloud.Fake.Requests.Count(Precreate));
        Assert.Empty(Directory.GetFiles(_temp));
    }

    [Fact]
    public async Task ABodyThatEndsEarly_IsIncomplete_AndNothingIsCreated()
    {
        var account = cloud.CreateAccount();
        await using var driver = await cloud.CreateDriverAsync(account, tempDirectory: _temp);
        cloud.Fake.Requests.Clear();

        var error = await Assert.ThrowsAsync<StorageException>(() => driver.PutAsync(StoragePath.Parse("/short.bin"), new MemoryStream(new byte[10]), 20, PutOptions.Default, CancellationToken.None));

        Assert.Equal(StorageErrorKind.Incomplete, error.Kind);
        Assert.Equal(0, cloud.Fake.Requests.Count(Precreate));
        Assert.Empty(account.Account.ChildNames(account.Sandbox));
        Assert.Empty(Directory.GetFiles(_temp));
    }

    private static byte[] Random(int count, int seed)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static async Task<string> Md5Async(Stream stream)
    {
        await using (stream)
        {
            return Convert.ToHexStringLower(await MD5.HashDataAsync(stream));
        }
    }

    /// <summary>A body that cannot seek and has no length, as a chunked PUT's.</summary>
    private sealed class ForwardOnly(Stream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
