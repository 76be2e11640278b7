using System.Net;
using System.Security.Cryptography;
using System.Text;
using OpenList.DriverHost.CloudFakes;
using OpenList.DriverHost.Drivers.Errors;
using OpenList.DriverHost.Drivers.Tests.TestSupport;
using static OpenList.DriverHost.Drivers.Tests.Open123.Open123TestExtensions;

namespace OpenList.DriverHost.Drivers.Tests.Open123;

/// <summary>
/// Uploads (cloud-apis.md §3.6): instant upload by SHA1 (<c>sha1_reuse</c>) and by MD5 (<c>create</c> answering
/// <c>reuse</c>), slices of <c>sliceSize</c> on <c>servers[0]</c>, <c>UploadThread</c> at a time, each retried; then
/// <c>upload_complete</c> polled until done. Bodies are read to their end first (spooled to the temporary folder
/// unless small), so a body that ends early or fails leaves the previous version.
/// </summary>
public sealed class Open123UploadTests : IAsyncLifetime
{
    private const string CreatePath = "/upload/v2/file/create";
    private const string Sha1ReusePath = "/upload/v2/file/sha1_reuse";
    private const string SlicePath = "/upload/v2/file/slice";
    private const string CompletePath = "/upload/v2/file/upload_complete";
    private const int SliceSize = 16 << 20;
    private Open123TestCloud _cloud = null!;

    public async Task InitializeAsync() => _cloud = await Open123TestCloud.StartAsync();

    public Task DisposeAsync() => _cloud.DisposeAsync();

    private static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task InstantUpload_ContentThe123AlreadyHolds_SendsNoByte()
    {
        // §3.6 step 2: "call create. If reuse && fileID != 0, the upload is done."
        var content = Bytes(300_000, seed: 21);
        _cloud.Open123.CreateAccount().AddFile("/elsewhere.bin", content); // 123 deduplicates across accounts
        var account = _cloud.Open123.CreateAccount();
        var parentId = account.AddFolder("/in");
        await using var d = await _cloud.CreateDriverAsync(account);

        var entry = await d.Driver.PutBytesAsync("/in/same.bin", content);

        var create = Assert.Single(d.Http.To(CreatePath)).Json;
        Assert.Equal(parentId, create.GetProperty("parentFileId").GetInt64());
        Assert.Equal("same.bin", create.GetProperty("filename").GetString());
        Assert.Equal(Md5Hex(content), create.GetProperty("etag").GetString());
        Assert.Equal(content.Length, create.GetProperty("size").GetInt64());
        Assert.Equal(2, create.GetProperty("duplicate").GetInt32());
        Assert.Empty(d.Http.To(SlicePath));
        Assert.Empty(d.Http.To(CompletePath));
        Assert.Empty(d.Http.To(Sha1ReusePath));
        Assert.Equal(content, account.ReadAll("/in/same.bin"));
        Assert.Equal(account.FileId("/in/same.bin")!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), entry.Id);
        Assert.Equal(Md5Hex(content), entry.Hashes[HashNames.Md5]);
    }

    [Fact]
    public async Task Sha1Reuse_WhenTheCallerKnowsTheSha1_StoresTheFileWithoutReadingTheBody()
    {
        // §3.6 step 1: "If the stream already knows its SHA1, call sha1_reuse. If it returns reuse:true, the upload is done."
        var content = Bytes(200_000, seed: 22);
        _cloud.Open123.CreateAccount().AddFile("/known.bin", content);
        var account = _cloud.Open123.CreateAccount();
        await using var d = await _cloud.CreateDriverAsync(account);
        var options = new PutOptions { Hashes = new Dictionary<string, string> { [HashNames.Sha1] = Sha1Hex(content).ToUpperInvariant() } };

        using var untouched = new ObservedBody(content, _ => throw new InvalidOperationException("the body must not be read"));
        var entry = await d.Driver.PutAsync(StoragePath.Parse("/copy.bin"), untouched, content.Length, options, Ct);

        var reuse = Assert.Single(d.Http.To(Sha1ReusePath)).Json;
        Assert.Equal(0, reuse.GetProperty("parentFileID").GetInt64());
        Assert.Equal("copy.bin", reuse.GetProperty("filename").GetString());
        Assert.Equal(Sha1Hex(content), reuse.GetProperty("sha1").GetString());
        Assert.Equal(content.Length, reuse.GetProperty("size").GetInt64());
        Assert.Equal(2, reuse.GetProperty("duplicate").GetInt32());
        Assert.Empty(d.Http.To(CreatePath));
        Assert.Equal(content, account.ReadAll("/copy.bin"));
        Assert.Equal(content.Length, entry.Size);
        Assert.All(entry.Hashes.Keys, k => Assert.Contains(k, d.Driver.Capabilities.Hashes));
    }

    [Fact]
    public async Task Sha1Reuse_Missed_FallsBackToTheMd5Upload()
    {
        var content = Bytes(50_000, seed: 23);
        var account = _cloud.Open123.CreateAccount();
        await using var d = await _cloud.CreateDriverAsync(account);
        var options = new PutOptions { Hashes = new Dictionary<string, string> { [HashNames.Sha1] = Sha1Hex(content) } };

        using var stream = new MemoryStream(content);
        await d.Driver.PutAsync(StoragePath.Parse("/new.bin"), stream, content.Length, options, Ct);

        Assert.Single(d.Http.To(Sha1ReusePath));
        Assert.Single(d.Http.To(CreatePath));
        Assert.Single(d.Http.To(SlicePath));
        Assert.Equal(content, account.ReadAll("/new.bin"));
    }

    [Fact]
    public async Task Upload_Of200MB_StreamsSlicesFromTheSpool_InParallel_AndRetriesASliceThatFailsTwice()
    {
        // §3.6 step 3: "Slice the file by sliceSize. Upload slices with concurrency min(parts, UploadThread), each
        // retried 3× with back-off starting at 1 s." The body is read once, to the temporary folder, never whole in memory.
        const long Length = 200L << 20;
        const long Seed = 200;
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var account = _cloud.Open123.CreateAccount();
        await using var d = await _cloud.CreateDriverAsync(account, time: clock);
        _cloud.Open123.FailSlice(3, 2, 500);
        long spooled = -1;
        using var body = new ObservedBody(SyntheticContent.OpenRead(Seed, Length), position =>
        {
            if (position == Length - (64 << 10))
            {
                spooled = Directory.GetFiles(d.TempDirectory).Sum(f => new FileInfo(f).Length);
            }
        });

        var upload = d.Driver.PutAsync(StoragePath.Parse("/big.bin"), body, Length, PutOptions.Default, Ct);
        await clock.RunAsync(upload, TimeSpan.FromSeconds(5));
        var entry = await upload;

        string expected;
        using (var source = SyntheticContent.OpenRead(Seed, Length))
        {
#pragma warning disable CA5351 // the provider's content hash
            expected = Convert.ToHexStringLower(await MD5.HashDataAsync(source));
#pragma warning restore CA5351
        }

        Assert.Equal(expected, account.Md5("/big.bin"));
        Assert.Equal(expected, entry.Hashes[HashNames.Md5]);
        Assert.Equal(Length, entry.Size);
        Assert.Equal(Length - (64 << 10), spooled);
        Assert.Empty(Directory.GetFiles(d.TempDirectory));
        var slices = _cloud.Fake.Requests.Snapshot().Where(r => r.Operation == "slice").Select(r => r.Status).ToList();
        Assert.Equal(13 + 2, slices.Count);
        Assert.Equal(2, slices.Count(s => s == 500));
        Assert.InRange(d.Http.MaxSlicesInFlight, 2, 3);
        Assert.Equal(200, d.Http.To(CompletePath)[^1].Status);
    }

    [Fact]
    public async Task ASliceThatKeepsFailing_FailsTheUpload_AndKeepsThePreviousVersion()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var account = _cloud.Open123.CreateAccount();
        account.AddFile("/f.bin", Bytes(10, seed: 1));
        await using var d = await _cloud.CreateDriverAsync(account, time: clock);
        _cloud.Open123.FailSlice(1, 10, 500);

        var upload = d.Driver.PutBytesAsync("/f.bin", Bytes(100_000, seed: 2));
        await clock.RunAsync(Task.WhenAny(upload), TimeSpan.FromSeconds(10));

        await AssertKindAsync(StorageErrorKind.Unavailable, () => upload);
        Assert.Equal(4, _cloud.Fake.Requests.Count("slice"));
        Assert.Empty(d.Http.To(CompletePath));
        Assert.Equal(Bytes(10, seed: 1), account.ReadAll("/f.bin"));
    }

    [Fact]
    public async Task Slices_CarryTheDocumentedFields_OnTheServerCreateNamed()
    {
        // §3.5 Slice: multipart preuploadID, sliceNo (1-based), sliceMD5 (lower-case), file part "slice"; the fake
        // refuses a slice of the wrong size or MD5, so a completed upload proves every field right.
        _cloud.Open123.SliceSize = 40_000;
        var content = Bytes(100_000, seed: 24);
        var account = _cloud.Open123.CreateAccount();
        await using var d = await _cloud.CreateDriverAsync(account);

        await d.Driver.PutBytesAsync("/three.bin", content);

        Assert.Equal(3, d.Http.To(SlicePath).Count);
        Assert.All(d.Http.To(SlicePath), r =>
        {
            Assert.Equal(_cloud.Open123.UploadServer.AbsolutePath.TrimEnd('/') + SlicePath, r.Path);
            Assert.Equal(200, r.Status);
        });
        Assert.Equal(content, account.ReadAll("/three.bin"));
    }

    [Fact]
    public async Task UnknownLength_IsSpooledToTheTemporaryFolder_AndTheSpoolIsRemoved()
    {
        var content = Bytes(5 << 20, seed: 25);
        var account = _cloud.Open123.CreateAccount();
        await using var d = await _cloud.CreateDriverAsync(account);
        var spoolFiles = 0;
        using var body = new ObservedBody(content, position =>
        {
            if (position == content.Length - (64 << 10))
            {
                spoolFiles = Directory.GetFiles(d.TempDirectory, "123-upload-*.tmp").Length;
            }
        });

        var entry = await d.Driver.PutAsync(StoragePath.Parse("/unknown.bin"), body, null, PutOptions.Default, Ct);

        Assert.Equal(1, spoolFiles);
        Assert.Empty(Directory.GetFiles(d.TempDirectory));
        Assert.Equal(content.Length, entry.Size);
        Assert.Equal(content, account.ReadAll("/unknown.bin"));
    }

    [Fact]
    public async Task UploadComplete_AnsweringNotYetSeveralTimes_IsPolledASecondApart()
    {
        // §3.6 step 4: "Poll upload_complete up to 60 times, 1 s apart, until completed && fileID != 0."
        _cloud.Open123.CompletePollsBeforeDone = 4;
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var account = _cloud.Open123.CreateAccount();
        await using var d = await _cloud.CreateDriverAsync(account, time: clock);

        var upload = d.Driver.PutBytesAsync("/polled.bin", Bytes(1000, seed: 26));
        await clock.RunAsync(upload, TimeSpan.FromSeconds(1));

        var polls = d.Http.To(CompletePath);
        Assert.Equal(5, polls.Count);
        Assert.All(polls.Zip(polls.Skip(1)), pair => Assert.Equal(TimeSpan.FromSeconds(1), pair.Second.At - pair.First.At));
        Assert.Equal(polls[0].Json.GetProperty("preuploadID").GetString(), polls[^1].Json.GetProperty("preuploadID").GetString());
        Assert.Equal(account.FileId("/polled.bin")!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), (await upload).Id);
    }

    [Fact]
    public async Task UploadComplete_ThatNeverCompletes_GivesUpAfterSixtyPolls()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var account = _cloud.Open123.CreateAccount();
        await using var d = await _cloud.CreateDriverAsync(account, time: clock, intercept: request => request.RequestUri!.AbsolutePath == CompletePath
            ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("""{"code":0,"message":"ok","data":{"completed":false,"fileID":0}}""", Encoding.UTF8, "application/json") }
            : null);

        var upload = d.Driver.PutBytesAsync("/never.bin", Bytes(1000, seed: 27));
        await clock.RunAsync(Task.WhenAny(upload), TimeSpan.FromSeconds(1));

        var error = await AssertKindAsync(StorageErrorKind.Unavailable, () => upload);
        Assert.Contains("60 polls", error.Message, StringComparison.Ordinal);
        Assert.Equal(60, d.Http.To(CompletePath).Count);
        Assert.False(account.Exists("/never.bin"));
    }

    [Fact]
    public async Task ABodyThatEndsEarly_CreatesNothing_AndKeepsThePreviousVersion()
    {
        var account = _cloud.Open123.CreateAccount();
        account.AddFile("/keep.bin", Bytes(20, seed: 1));
        await using var d = await _cloud.CreateDriverAsync(account);

        using var shortBody = new MemoryStream(Bytes(6 << 20, seed: 2));
        await AssertKindAsync(StorageErrorKind.Incomplete, () => d.Driver.PutAsync(StoragePath.Parse("/keep.bin"), shortBody, 7 << 20, PutOptions.Default, Ct));
        using var longBody = new MemoryStream(Bytes(101, seed: 3));
        await AssertKindAsync(StorageErrorKind.Incomplete, () => d.Driver.PutAsync(StoragePath.Parse("/keep.bin"), longBody, 100, PutOptions.Default, Ct));

        Assert.Empty(d.Http.To(CreatePath));
        Assert.Equal(Bytes(20, seed: 1), account.ReadAll("/keep.bin"));
        Assert.Empty(Directory.Exists(d.TempDirectory) ? Directory.GetFiles(d.TempDirectory) : []);
    }

    [Fact]
    public async Task UploadThread_BoundsTheSlicesInFlight()
    {
        _cloud.Open123.SliceSize = 64 << 10;
        var account = _cloud.Open123.CreateAccount();
        await using var d = await _cloud.CreateDriverAsync(account, addition: new Dictionary<string, object?> { ["UploadThread"] = 1 });

        await d.Driver.PutBytesAsync("/serial.bin", Bytes(640 << 10, seed: 28));

        Assert.Equal(10, d.Http.To(SlicePath).Count);
        Assert.Equal(1, d.Http.MaxSlicesInFlight);
    }

    /// <summary>A forward-only request body that tells a test where it is before each read (64 KiB at most per read).</summary>
    private sealed class ObservedBody(Stream inner, Action<long>? beforeRead = null) : Stream
    {
        private long _position;

        public ObservedBody(byte[] data, Action<long>? beforeRead = null)
            : this(new MemoryStream(data, writable: false), beforeRead)
        {
        }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            beforeRead?.Invoke(_position);
            var read = await inner.ReadAsync(buffer[..Math.Min(buffer.Length, 64 << 10)], cancellationToken);
            _position += read;
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

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
