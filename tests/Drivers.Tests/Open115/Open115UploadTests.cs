using System.Security.Cryptography;
using OpenList.DriverHost.Drivers.Errors;
using OpenList.DriverHost.Drivers.Open115;

#pragma warning disable CA5350 // SHA1 is 115's content hash

namespace OpenList.DriverHost.Drivers.Tests.Open115;

/// <summary>
/// Uploads against the fake (cloud-apis.md §1.6): instant upload hit and miss, the sign check, a 300 MB OSS multipart
/// upload from a stream that is never held in memory, spooling of bodies of unknown length, and the refusal of a
/// declared length the temporary folder cannot hold.
/// </summary>
public sealed class Open115UploadTests(Open115TestCloud cloud) : IClassFixture<Open115TestCloud>, IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("115-upload-test-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    private static byte[] Bytes(int count, int seed)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static async Task<byte[]> ReadAllAsync(Open115Driver driver, StoragePath path)
    {
        await using var read = await driver.OpenReadAsync(path, null, CancellationToken.None);
        using var buffer = new MemoryStream();
        await read.Content.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    private int Count(string operation) => cloud.Fake.Requests.Count(operation);

    [Fact]
    public async Task InstantUpload_Hit_SendsNoBytes()
    {
        // §1.6 step 3: status 2 when 115 already has the content (matching SHA1 and preid).
        var content = Bytes(300_000, seed: 1);
        var owner = cloud.Fake.Open115.CreateAccount();
        owner.AddFile("/known.bin", content);
        var account = cloud.Fake.Open115.CreateAccount();
        await using var driver = await cloud.CreateDriverAsync(account);
        var signCheckMinSize = cloud.Fake.Open115.SignCheckMinSize;
        cloud.Fake.Open115.SignCheckMinSize = long.MaxValue; // no sign check this time
        cloud.Fake.Requests.Clear();
        try
        {
            using var body = new MemoryStream(content);
            var entry = await driver.PutAsync(StoragePath.Parse("/copy.bin"), body, content.Length, PutOptions.Default, CancellationToken.None);

            Assert.Equal(content.Length, entry.Size);
            Assert.Equal(Convert.ToHexStringLower(SHA1.HashData(content)), entry.Hashes[HashNames.Sha1]);
            Assert.Equal(1, Count("/open/upload/init"));
            Assert.Equal(0, Count("/open/upload/get_token"));
            Assert.Equal(0, Count("oss-initiate") + Count("oss-part") + Count("oss-complete") + Count("oss-put"));
            Assert.Equal(content, account.ReadAll("/copy.bin"));
        }
        finally
        {
            cloud.Fake.Open115.SignCheckMinSize = signCheckMinSize;
        }
    }

    [Fact]
    public async Task InstantUpload_Miss_UploadsThroughOss()
    {
        var content = Bytes(250_000, seed: 2);
        var account = cloud.Fake.Open115.CreateAccount();
        await using var driver = await cloud.CreateDriverAsync(account);
        cloud.Fake.Requests.Clear();
        var callbacks = cloud.Fake.Open115.CallbackCount;

        using var body = new MemoryStream(content);
        var entry = await driver.PutAsync(StoragePath.Parse("/new.bin"), body, content.Length, PutOptions.Default, CancellationToken.None);

        Assert.Equal(content.Length, entry.Size);
        Assert.Equal(account.FileId("/new.bin"), entry.Id);
        Assert.Equal(1, Count("/open/upload/init"));
        Assert.Equal(1, Count("/open/upload/get_token"));
        Assert.Equal(1, Count("oss-initiate"));
        Assert.Equal(1, Count("oss-part"));
        Assert.Equal(1, Count("oss-complete"));
        Assert.Equal(callbacks + 1, cloud.Fake.Open115.CallbackCount);
        Assert.Equal(content, account.ReadAll("/new.bin"));
        Assert.Equal(content, await ReadAllAsync(driver, entry.Path));
    }

    [Fact]
    public async Task SignCheck_SendsTheSha1OfTheInclusiveRange_AndEndsInAnInstantUpload()
    {
        // §1.6 step 4: status 7 names "start-end"; the SHA1 of bytes [start, end] (both included) goes back as sign_val.
        var content = Bytes(400_000, seed: 3);
        var owner = cloud.Fake.Open115.CreateAccount();
        owner.AddFile("/known.bin", content);
        var account = cloud.Fake.Open115.CreateAccount();
        await using var driver = await cloud.CreateDriverAsync(account);
        cloud.Fake.Open115.SignCheckRange = (_, _) => (131_071, 262_144); // straddles the 128 KiB preid boundary
        cloud.Fake.Requests.Clear();
        try
        {
            using var body = new MemoryStream(content);
            var entry = await driver.PutAsync(StoragePath.Parse("/again.bin"), body, content.Length, PutOptions.Default, CancellationToken.None);

            Assert.Equal(content.Length, entry.Size);
            Assert.Equal(2, Count("/open/upload/init")); // the challenge, then the answer
            Assert.Equal(0, Count("oss-initiate") + Count("oss-part") + Count("oss-put"));
            Assert.Equal(content, account.ReadAll("/again.bin"));
        }
        finally
        {
            cloud.Fake.Open115.SignCheckRange = null;
        }
    }

    [Fact]
    public async Task Upload_Of300MB_GoesThroughOssMultipart_InSpecPartSizes_WithoutBufferingTheBody()
    {
        // §1.6 step 7: 20 MiB parts → 15 parts for 300 MiB. The body is generated as it is read (never one array).
        const long size = 300L * 1024 * 1024;
        var account = cloud.Fake.Open115.CreateAccount();
        await using var driver = await cloud.CreateDriverAsync(account, tempDirectory: _temp);
        cloud.Fake.Requests.Clear();

        await using var body = new SyntheticStream(size, seed: 300);
        var entry = await driver.PutAsync(StoragePath.Parse("/big.bin"), body, size, PutOptions.Default, CancellationToken.None);

        Assert.Equal(size, entry.Size);
        Assert.Equal(body.Sha1Hex(), entry.Hashes[HashNames.Sha1]);
        Assert.Equal(15, Count("oss-part"));
        Assert.Equal(1, Count("oss-complete"));
        Assert.Equal(body.Sha1Hex(), (await account.Sha1Async("/big.bin")).ToLowerInvariant());
        Assert.Empty(Directory.EnumerateFileSystemEntries(_temp)); // the spool is gone

        await using var tail = await driver.OpenReadAsync(entry.Path, new ByteRange(size - 70_000, size - 1), CancellationToken.None);
        using var read = new MemoryStream();
        await tail.Content.CopyToAsync(read);
        Assert.Equal(SyntheticStream.Slice(300, size - 70_000, 70_000), read.ToArray());
    }

    [Fact]
    public async Task Upload_OfUnknownLength_IsSpooledToTheTempDirectory()
    {
        var content = Bytes(200_000, seed: 4);
        var account = cloud.Fake.Open115.CreateAccount();
        await using var driver = await cloud.CreateDriverAsync(account, tempDirectory: _temp);
        var spooled = new List<string>();
        using var body = new WatchingStream(content, onEnd: () => spooled.AddRange(Directory.EnumerateFiles(_temp)));

        var entry = await driver.PutAsync(StoragePath.Parse("/chunked.bin"), body, null, PutOptions.Default, CancellationToken.None);

        Assert.Equal(content.Length, entry.Size);
        var spool = Assert.Single(spooled); // while the body was read, it went to a file there
        Assert.False(File.Exists(spool));   // and the file is gone afterwards
        Assert.Equal(content, account.ReadAll("/chunked.bin"));
    }

    [Fact]
    public async Task Upload_WhoseDeclaredLengthTheTempFolderCannotHold_IsQuotaExceeded_BeforeReadingAnything()
    {
        var account = cloud.Fake.Open115.CreateAccount();
        await using var driver = await cloud.CreateDriverAsync(account, tempDirectory: _temp);
        cloud.Fake.Requests.Clear();
        using var body = new WatchingStream(Bytes(10, seed: 5), onEnd: null);

        var e = await Assert.ThrowsAsync<StorageException>(() => driver.PutAsync(StoragePath.Parse("/huge.bin"), body, 1L << 60, PutOptions.Default, CancellationToken.None));

        Assert.Equal(StorageErrorKind.QuotaExceeded, e.Kind);
        Assert.Equal(0, body.BytesRead);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_temp));
        Assert.Equal(0, Count("/open/upload/init"));
        Assert.False(account.Exists("/huge.bin"));
    }

    [Fact]
    public async Task Upload_ToAnUnwritableTempFolder_Fails_AndKeepsNothing()
    {
        var account = cloud.Fake.Open115.CreateAccount();
        var notAFolder = Path.Combine(_temp, "file");
        await File.WriteAllTextAsync(notAFolder, "x");
        await using var driver = await cloud.CreateDriverAsync(account, tempDirectory: Path.Combine(notAFolder, "below"));
        using var body = new MemoryStream(Bytes(10, seed: 6));

        var e = await Assert.ThrowsAsync<StorageException>(() => driver.PutAsync(StoragePath.Parse("/a.bin"), body, null, PutOptions.Default, CancellationToken.None));

        Assert.Contains(e.Kind, new[] { StorageErrorKind.QuotaExceeded, StorageErrorKind.Unavailable });
        Assert.False(account.Exists("/a.bin"));
    }

    [Fact]
    public async Task Upload_WhoseCallbackFails_KeepsThePreviousVersion()
    {
        var account = cloud.Fake.Open115.CreateAccount();
        var previous = Bytes(1000, seed: 7);
        account.AddFile("/a.bin", previous);
        await using var driver = await cloud.CreateDriverAsync(account);
        cloud.Fake.Faults.FailNext("oss-callback", 1, 500);
        using var body = new MemoryStream(Bytes(2000, seed: 8));

        var e = await Assert.ThrowsAsync<StorageException>(() => driver.PutAsync(StoragePath.Parse("/a.bin"), body, 2000, PutOptions.Default, CancellationToken.None));

        Assert.Equal(StorageErrorKind.Unavailable, e.Kind);
        Assert.Equal(previous, await ReadAllAsync(driver, StoragePath.Parse("/a.bin")));
        Assert.Equal(["a.bin"], account.List("/"));
    }

    [Fact]
    public async Task Upload_WhosePartIsRefused_RenewsTheStsCredentialsOnce_AndCompletes()
    {
        // STS credentials last an hour (§1.6 step 5); a 403 from OSS fetches new ones instead of failing the upload.
        var content = Bytes(150_000, seed: 9);
        var account = cloud.Fake.Open115.CreateAccount();
        await using var driver = await cloud.CreateDriverAsync(account);
        cloud.Fake.Requests.Clear();
        cloud.Fake.Faults.FailNext("oss-part", 1, 403);
        using var body = new MemoryStream(content);

        var entry = await driver.PutAsync(StoragePath.Parse("/a.bin"), body, content.Length, PutOptions.Default, CancellationToken.None);

        Assert.Equal(content.Length, entry.Size);
        Assert.Equal(2, Count("/open/upload/get_token"));
        Assert.Equal(2, Count("oss-part"));
        Assert.Equal(content, account.ReadAll("/a.bin"));
    }

    /// <summary>A non-seekable body that records how much was read and calls back when it reaches its end.</summary>
    private sealed class WatchingStream(byte[] data, Action? onEnd) : Stream
    {
        private int _position;
        private bool _ended;

        public long BytesRead => _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = Math.Min(Math.Min(count, 4096), data.Length - _position);
            Array.Copy(data, _position, buffer, offset, n);
            _position += n;
            if (n == 0 && !_ended)
            {
                _ended = true;
                onEnd?.Invoke();
            }

            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
