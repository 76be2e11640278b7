using OpenList.DriverHost.Drivers.Errors;

namespace OpenList.DriverHost.Drivers.Tests.Conformance;

/// <summary>Clauses of <see cref="IStorageDriver.OpenReadAsync"/> and <see cref="IStorageDriver.PutAsync"/>.</summary>
public abstract partial class DriverConformanceTests
{
    private const int RangeFileLength = 1000;

    /// <summary>Ranges as the host hands them over: already normalised against a 1000-byte file.</summary>
    public static TheoryData<string, long, long> Ranges => new()
    {
        { "first bytes (bytes=0-99)", 0, 99 },
        { "first byte only (bytes=0-0)", 0, 0 },
        { "middle (bytes=400-599)", 400, 599 },
        { "suffix (bytes=-500 arrives as 500-999)", 500, 999 },
        { "single last byte (bytes=-1)", 999, 999 },
        { "open-ended (bytes=300-)", ByteRange.FromOffset(300, RangeFileLength).From, ByteRange.FromOffset(300, RangeFileLength).To },
        { "whole file (bytes=0-999)", 0, 999 },
    };

    // ---- OpenReadAsync ---------------------------------------------------------------------------------------

    [Fact]
    public async Task Open_Missing_IsNotFound()
    {
        // "NotFound for a missing file"
        await AssertKindAsync(StorageErrorKind.NotFound, () => Driver.OpenReadAsync(Dir.Combine("missing.bin"), null, Ct));
    }

    [Fact]
    public async Task Open_Directory_IsDirectory()
    {
        // "IsDirectory for a directory."
        await AssertKindAsync(StorageErrorKind.IsDirectory, () => Driver.OpenReadAsync(Dir, null, Ct));
    }

    [Theory]
    [MemberData(nameof(Ranges))]
    public async Task Open_WithRange_HoldsExactlyThatRange(string clause, long from, long to)
    {
        // "With a range (already within the file) the stream holds exactly that range, or the whole file with
        // StorageReadStream.Range null when the driver ignored it."
        var content = Bytes(RangeFileLength, seed: 7);
        var path = await PutAsync(Dir.Combine("ranges.bin"), content);
        await AssertRangeAsync(path, content, new ByteRange(from, to), clause);
    }

    [Fact]
    public async Task Open_LargeFile_RoundTripsWholeAndRanged()
    {
        // "Creates or replaces a file with the bytes of content" — several MiB, read back whole and from deep inside.
        var content = Bytes(3 * 1024 * 1024 + 17, seed: 42);
        var path = await PutAsync(Dir.Combine("large.bin"), content);

        Assert.Equal(content.Length, (await Driver.StatAsync(path, Ct)).Size);
        Assert.Equal(content, await ReadAllAsync(path));
        await AssertRangeAsync(path, content, new ByteRange(2 * 1024 * 1024 + 5, 2 * 1024 * 1024 + 70_000), "deep range");
        await AssertRangeAsync(path, content, ByteRange.FromOffset(content.Length - 65_537, content.Length), "tail past a buffer size");
    }

    // ---- PutAsync --------------------------------------------------------------------------------------------

    [Fact]
    public async Task Put_ReturnsTheFreshEntry()
    {
        // "Creates or replaces a file with the bytes of content."
        using var stream = new MemoryStream(Bytes(123));
        var entry = await Driver.PutAsync(Dir.Combine("fresh.bin"), stream, 123, PutOptions.Default, Ct);
        Assert.Equal(Dir.Combine("fresh.bin"), entry.Path);
        Assert.False(entry.IsDirectory);
        Assert.Equal(123, entry.Size);
        Assert.Equal(Bytes(123), await ReadAllAsync(entry.Path));
    }

    [Fact]
    public async Task Put_IntoMissingParent_IsNotFound()
    {
        // "The parent must exist (NotFound otherwise)"
        var path = Dir.Combine("missing").Combine("file.txt");
        using var stream = new MemoryStream(Bytes(5));
        await AssertKindAsync(StorageErrorKind.NotFound, () => Driver.PutAsync(path, stream, 5, PutOptions.Default, Ct));
        await AssertKindAsync(StorageErrorKind.NotFound, () => Driver.StatAsync(Dir.Combine("missing"), Ct));
    }

    [Fact]
    public async Task Put_BelowAFile_IsNotFound()
    {
        // "The parent must exist (NotFound otherwise)" — a file is not a parent directory.
        var file = await PutAsync(Dir.Combine("file.txt"), Bytes(5));
        using var stream = new MemoryStream(Bytes(5));
        await AssertKindAsync(StorageErrorKind.NotFound, () => Driver.PutAsync(file.Combine("child"), stream, 5, PutOptions.Default, Ct));
        Assert.Equal(Bytes(5), await ReadAllAsync(file));
    }

    [Fact]
    public async Task Put_OnADirectory_IsDirectory()
    {
        // "IsDirectory when a directory is at path."
        var folder = Dir.Combine("folder");
        await Driver.CreateDirectoryAsync(folder, Ct);
        await PutAsync(folder.Combine("inside.txt"), Bytes(3));
        using var stream = new MemoryStream(Bytes(5));
        await AssertKindAsync(StorageErrorKind.IsDirectory, () => Driver.PutAsync(folder, stream, 5, PutOptions.Default, Ct));
        Assert.True((await Driver.StatAsync(folder, Ct)).IsDirectory);
        Assert.Equal(["inside.txt"], (await ListAsync(folder)).Select(e => e.Name));
    }

    [Fact]
    public async Task Put_ZeroLength_CreatesAnEmptyFile()
    {
        // "Creates or replaces a file with the bytes of content" — zero bytes are a file too.
        var path = await PutAsync(Dir.Combine("empty.txt"), []);
        var entry = await Driver.StatAsync(path, Ct);
        Assert.False(entry.IsDirectory);
        Assert.Equal(0, entry.Size);
        Assert.Empty(await ReadAllAsync(path));
        var listed = Assert.Single(await ListAsync(Dir));
        Assert.Equal(0, listed.Size);
        Assert.False(listed.IsDirectory);
    }

    [Fact]
    public async Task Put_OverwriteWithShorterContent_KeepsOnlyTheNewBytes()
    {
        // "Creates or replaces a file" — a replacement is the new bytes only, no tail of the old ones.
        var path = await PutAsync(Dir.Combine("shrink.bin"), Bytes(5000, seed: 1));
        var shorter = Bytes(100, seed: 2);
        await PutAsync(path, shorter);
        Assert.Equal(100, (await Driver.StatAsync(path, Ct)).Size);
        Assert.Equal(shorter, await ReadAllAsync(path));
    }

    [Fact]
    public async Task Put_UnknownLength_StoresEveryByte()
    {
        // "length is the declared length, or null when unknown (chunked uploads)."
        var content = Bytes(200_000, seed: 3);
        var path = Dir.Combine("chunked.bin");
        using var stream = TestStreams.NonSeekable(content);
        var entry = await Driver.PutAsync(path, stream, null, PutOptions.Default, Ct);
        Assert.Equal(content.Length, entry.Size);
        Assert.Equal(content, await ReadAllAsync(path));
    }

    [Fact]
    public async Task Put_StreamEndsEarly_NewFile_IsIncompleteAndLeavesNothing()
    {
        // "When the stream ends before length bytes ... Incomplete is raised and neither a partial file ... is left behind."
        var path = Dir.Combine("short.bin");
        using var stream = TestStreams.NonSeekable(Bytes(1000));
        await AssertKindAsync(StorageErrorKind.Incomplete, () => Driver.PutAsync(path, stream, 5000, PutOptions.Default, Ct));
        await AssertKindAsync(StorageErrorKind.NotFound, () => Driver.StatAsync(path, Ct));
        Assert.Empty(await ListAsync(Dir));
    }

    [Fact]
    public async Task Put_StreamEndsEarly_ExistingFile_KeepsThePreviousVersion()
    {
        // "When the stream ends before length bytes ... neither a partial file nor a damaged previous version is left behind."
        var previous = Bytes(3000, seed: 4);
        var path = await PutAsync(Dir.Combine("keep.bin"), previous);
        using var stream = TestStreams.NonSeekable(Bytes(1000, seed: 5));
        await AssertKindAsync(StorageErrorKind.Incomplete, () => Driver.PutAsync(path, stream, 5000, PutOptions.Default, Ct));
        Assert.Equal(previous, await ReadAllAsync(path));
        Assert.Equal(["keep.bin"], (await ListAsync(Dir)).Select(e => e.Name));
    }

    [Fact]
    public async Task Put_Cancelled_NewFile_IsIncompleteAndLeavesNothing()
    {
        // "... or the call is cancelled, Incomplete is raised and neither a partial file nor a damaged previous version is left behind."
        var path = Dir.Combine("cancelled.bin");
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        using var stream = TestStreams.CancellingAt(Bytes(300_000), 100_000, cancel);
        await AssertKindAsync(StorageErrorKind.Incomplete, () => Driver.PutAsync(path, stream, 300_000, PutOptions.Default, cancel.Token));
        await AssertKindAsync(StorageErrorKind.NotFound, () => Driver.StatAsync(path, Ct));
        Assert.Empty(await ListAsync(Dir));
    }

    [Fact]
    public async Task Put_Cancelled_ExistingFile_KeepsThePreviousVersion()
    {
        // "... or the call is cancelled, Incomplete is raised and neither a partial file nor a damaged previous version is left behind."
        var previous = Bytes(2000, seed: 6);
        var path = await PutAsync(Dir.Combine("cancelled.bin"), previous);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        using var stream = TestStreams.CancellingAt(Bytes(300_000), 100_000, cancel);
        await AssertKindAsync(StorageErrorKind.Incomplete, () => Driver.PutAsync(path, stream, null, PutOptions.Default, cancel.Token));
        Assert.Equal(previous, await ReadAllAsync(path));
        Assert.Equal(["cancelled.bin"], (await ListAsync(Dir)).Select(e => e.Name));
    }

    [Fact]
    public async Task Put_WithLastModified_KeepsIt_WhenTheDriverClaimsAPrecision()
    {
        // PutOptions: "LastModified: Requested modification time ...; drivers that cannot keep it ignore it."
        // DriverCapabilities: "ModTimePrecision: Smallest modification-time step the driver keeps; null when it cannot keep client mtimes at all."
        if (ModTimePrecision is not { } precision)
        {
            return;
        }

        var requested = new DateTimeOffset(2020, 5, 17, 10, 20, 30, TimeSpan.Zero).AddTicks(1_234_567);
        var path = Dir.Combine("dated.txt");
        using var stream = new MemoryStream(Bytes(10));
        var returned = await Driver.PutAsync(path, stream, 10, new PutOptions(requested), Ct);
        AssertTimeKept(requested, returned.LastModified, precision);
        AssertTimeKept(requested, (await Driver.StatAsync(path, Ct)).LastModified, precision);
        AssertTimeKept(requested, Assert.Single(await ListAsync(Dir)).LastModified, precision);
    }

    [Fact]
    public async Task Put_WithLastModified_DoesNotClaimIt_WhenTheDriverCannotKeepIt()
    {
        // The host answers rclone's X-OC-Mtime with "accepted" only when the entry PutAsync returns carries the
        // requested time; a driver that cannot keep client mtimes (ModTimePrecision null) must return the time its
        // listings will show, never echo the request.
        if (ModTimePrecision is not null)
        {
            return;
        }

        var requested = new DateTimeOffset(2020, 5, 17, 10, 20, 30, TimeSpan.Zero);
        var path = Dir.Combine("undated.txt");
        using var stream = new MemoryStream(Bytes(10));
        var returned = await Driver.PutAsync(path, stream, 10, new PutOptions(requested), Ct);
        Assert.True((returned.LastModified - requested).Duration() >= TimeSpan.FromSeconds(1),
            $"PutAsync returned the requested {requested:O} as LastModified although the driver declares it cannot keep client mtimes");
        var listed = Assert.Single(await ListAsync(Dir)).LastModified;
        Assert.True((listed - requested).Duration() >= TimeSpan.FromSeconds(1), $"the listing shows the requested {requested:O}");
    }

    [Fact]
    public async Task Hashes_AreThoseOfTheContent_AfterPutAndOverwrite()
    {
        // StorageEntry.Hashes: "Known content hashes, lower-case hex, keyed by HashNames constants";
        // DriverCapabilities.Hashes: "Hashes the driver reports for files" — from Put, Stat and List alike, and for
        // the new bytes after an overwrite (never a stale hash of the old ones).
        var path = Dir.Combine("hashed.bin");
        foreach (var content in new[] { Bytes(5000, seed: 31), Bytes(100, seed: 32) })
        {
            using var stream = new MemoryStream(content);
            AssertHashes(content, await Driver.PutAsync(path, stream, content.Length, PutOptions.Default, Ct));
            AssertHashes(content, await Driver.StatAsync(path, Ct));
            AssertHashes(content, Assert.Single(await ListAsync(Dir)));
        }
    }

    public static TheoryData<string> Names => new()
    {
        "中文文件名.txt",
        "with space.txt",
        "hash#name",
        "percent%20name%",
        "plus+name",
        "amp&name=1",
        "emoji😀🎉.txt",
        "long",
    };

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Names_RoundTripThroughPutListStatAndRead(string name)
    {
        // StoragePath.IsValidName: a name "usable as one path segment on every driver" is stored as given.
        if (name == "long")
        {
            name = string.Concat(Enumerable.Range(0, LongNameLength).Select(i => (char)('a' + (i % 26))));
        }

        if (!SupportsUnicodeNames && name.Any(c => c > 127))
        {
            return;
        }

        var content = Bytes(321, seed: name.Length);
        var file = await PutAsync(Dir.Combine(name), content);
        var folder = Dir.Combine("dir " + name[..Math.Min(name.Length, 100)]);
        await Driver.CreateDirectoryAsync(folder, Ct);
        await PutAsync(folder.Combine(name), content);

        var listed = (await ListAsync(Dir)).ToDictionary(e => e.Name, StringComparer.Ordinal);
        Assert.Equal(2, listed.Count);
        Assert.Equal(321, listed[name].Size);
        Assert.True(listed[folder.Name].IsDirectory);
        Assert.Equal(file, listed[name].Path);
        Assert.Equal(name, (await Driver.StatAsync(file, Ct)).Name);
        Assert.Equal(content, await ReadAllAsync(file));
        Assert.Equal(content, await ReadAllAsync(folder.Combine(name)));
        Assert.Equal([name], (await ListAsync(folder)).Select(e => e.Name));
    }

    /// <summary>Opens <paramref name="path"/> with <paramref name="range"/> and checks the bytes, or the whole file when the driver ignored the range.</summary>
    protected async Task AssertRangeAsync(StoragePath path, byte[] content, ByteRange range, string clause)
    {
        await using var read = await Driver.OpenReadAsync(path, range, Ct);
        var bytes = await ReadToEndAsync(read.Content);
        Assert.Equal(content.Length, read.TotalLength);
        if (read.Range is null)
        {
            Assert.True(content.AsSpan().SequenceEqual(bytes), $"{clause}: range ignored, so the whole file was expected");
            return;
        }

        Assert.Equal(range, read.Range);
        Assert.True(
            content.AsSpan((int)range.From, (int)range.Length).SequenceEqual(bytes),
            $"{clause}: expected bytes {range} ({range.Length} bytes) but got {bytes.Length} bytes that differ");
    }
}
