using OpenList.DriverHost.Drivers.Errors;
using OpenList.DriverHost.Drivers.Local;

namespace OpenList.DriverHost.Drivers.Tests.Local;

/// <summary>Local-driver behaviour beyond the shared contract: upload hygiene on disk, odd names, ranges, quota.</summary>
public sealed class LocalDriverBehaviourTests : IAsyncLifetime, IDisposable
{
    private readonly LocalTestRoot _root = new();
    private LocalDriver _driver = null!;

    private static CancellationToken Ct => CancellationToken.None;

    public async Task InitializeAsync() => _driver = await _root.CreateDriverAsync();

    public async Task DisposeAsync() => await _driver.DisposeAsync();

    public void Dispose() => _root.Dispose();

    private string[] TempFilesOnDisk() =>
        Directory.GetFiles(_root.Root, LocalDriver.TempFilePrefix + "*", SearchOption.AllDirectories);

    [Fact]
    public async Task Put_LongerThanDeclared_IsIncompleteAndKeepsThePreviousVersion()
    {
        var path = StoragePath.Parse("/file.bin");
        using (var first = new MemoryStream([1, 2, 3]))
        {
            await _driver.PutAsync(path, first, 3, PutOptions.Default, Ct);
        }

        using var longer = new MemoryStream(new byte[200_000]);
        var e = await Assert.ThrowsAsync<StorageException>(() => _driver.PutAsync(path, longer, 100_000, PutOptions.Default, Ct));

        Assert.Equal(StorageErrorKind.Incomplete, e.Kind);
        Assert.Equal([1, 2, 3], await File.ReadAllBytesAsync(Path.Combine(_root.Root, "file.bin")));
        Assert.Empty(TempFilesOnDisk());
    }

    [Fact]
    public async Task Put_LeavesNoTemporaryFileOnDisk_AfterSuccessOrFailure()
    {
        Directory.CreateDirectory(Path.Combine(_root.Root, "sub"));
        using (var ok = new MemoryStream(new byte[70_000]))
        {
            await _driver.PutAsync(StoragePath.Parse("/sub/ok.bin"), ok, 70_000, PutOptions.Default, Ct);
        }

        using (var shortBody = new MemoryStream(new byte[10]))
        {
            await Assert.ThrowsAsync<StorageException>(() => _driver.PutAsync(StoragePath.Parse("/sub/short.bin"), shortBody, 20, PutOptions.Default, Ct));
        }

        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();
        using (var cancelled = new MemoryStream(new byte[10]))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => _driver.PutAsync(StoragePath.Parse("/sub/cancelled.bin"), cancelled, 10, PutOptions.Default, cancel.Token));
        }

        Assert.Empty(TempFilesOnDisk());
        Assert.Equal(["ok.bin"], Directory.GetFileSystemEntries(Path.Combine(_root.Root, "sub")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Put_WithLastModified_SetsTheFileTimeOnDisk()
    {
        var requested = new DateTimeOffset(2011, 11, 11, 11, 11, 11, TimeSpan.FromHours(-5));
        using var body = new MemoryStream([9]);
        await _driver.PutAsync(StoragePath.Parse("/dated"), body, 1, new PutOptions(requested), Ct);

        Assert.Equal(requested.UtcDateTime, File.GetLastWriteTimeUtc(Path.Combine(_root.Root, "dated")));
    }

    [Fact]
    public async Task Open_RangeBeyondAFileThatShrank_ServesTheWholeFileWithRangeIgnored()
    {
        await File.WriteAllBytesAsync(Path.Combine(_root.Root, "shrunk.bin"), [1, 2, 3, 4]);

        await using var read = await _driver.OpenReadAsync(StoragePath.Parse("/shrunk.bin"), new ByteRange(2, 99), Ct);
        using var copy = new MemoryStream();
        await read.Content.CopyToAsync(copy);

        Assert.Null(read.Range);
        Assert.Equal(4, read.TotalLength);
        Assert.Equal([1, 2, 3, 4], copy.ToArray());
    }

    [Fact]
    public async Task List_SkipsNamesThatAreNotValidStorageNames()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // only Linux file systems allow a backslash or a control character in a name
        }

        File.WriteAllText(Path.Combine(_root.Root, "back\\slash"), "x");
        File.WriteAllText(Path.Combine(_root.Root, "tab\tname"), "x");
        File.WriteAllText(Path.Combine(_root.Root, "fine"), "x");

        var names = new List<string>();
        await foreach (var entry in _driver.ListAsync(StoragePath.Root, Ct))
        {
            names.Add(entry.Name);
        }

        Assert.Equal(["fine"], names);
    }

    [Fact]
    public async Task NamesLongerThanTheFileSystemAllows_AreInvalidNames()
    {
        // 100 CJK characters pass StoragePath's 255-character check but are 300 bytes in UTF-8, over ext4's 255.
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var path = StoragePath.Root.Combine(new string('名', 100));
        using var body = new MemoryStream([1]);

        var put = await Assert.ThrowsAsync<StorageException>(() => _driver.PutAsync(path, body, 1, PutOptions.Default, Ct));
        var mkdir = await Assert.ThrowsAsync<StorageException>(() => _driver.CreateDirectoryAsync(path, Ct));
        var stat = await Assert.ThrowsAsync<StorageException>(() => _driver.StatAsync(path, Ct));

        Assert.Equal(StorageErrorKind.InvalidName, put.Kind);
        Assert.Equal(StorageErrorKind.InvalidName, mkdir.Kind);
        Assert.Equal(StorageErrorKind.InvalidName, stat.Kind);
        Assert.Empty(TempFilesOnDisk());
    }

    [Fact]
    public async Task List_IsCancellable()
    {
        for (var i = 0; i < 10; i++)
        {
            File.WriteAllText(Path.Combine(_root.Root, $"f{i}"), "x");
        }

        using var cancel = new CancellationTokenSource();
        var seen = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var unused in _driver.ListAsync(StoragePath.Root, cancel.Token))
            {
                seen++;
                await cancel.CancelAsync();
            }
        });
        Assert.Equal(1, seen);
    }

    [Fact]
    public async Task CopyAndMove_IntoThemselves_AreRefused()
    {
        Directory.CreateDirectory(Path.Combine(_root.Root, "a", "b"));

        var copy = await Assert.ThrowsAsync<StorageException>(() => _driver.CopyAsync(StoragePath.Parse("/a"), StoragePath.Parse("/a/b/c"), Ct));
        var move = await Assert.ThrowsAsync<StorageException>(() => _driver.MoveAsync(StoragePath.Parse("/a"), StoragePath.Parse("/a/b/c"), Ct));
        var root = await Assert.ThrowsAsync<StorageException>(() => _driver.MoveAsync(StoragePath.Root, StoragePath.Parse("/x"), Ct));

        Assert.Equal(StorageErrorKind.PermissionDenied, copy.Kind);
        Assert.Equal(StorageErrorKind.PermissionDenied, move.Kind);
        Assert.Equal(StorageErrorKind.PermissionDenied, root.Kind);
        Assert.Equal(["b"], Directory.GetFileSystemEntries(Path.Combine(_root.Root, "a")).Select(Path.GetFileName));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(_root.Root, "a", "b")));
    }

    [Fact]
    public async Task Copy_KeepsModificationTimes()
    {
        var time = new DateTime(2015, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        Directory.CreateDirectory(Path.Combine(_root.Root, "src"));
        File.WriteAllText(Path.Combine(_root.Root, "src", "f.txt"), "x");
        File.SetLastWriteTimeUtc(Path.Combine(_root.Root, "src", "f.txt"), time);

        var file = await _driver.CopyAsync(StoragePath.Parse("/src/f.txt"), StoragePath.Parse("/f-copy.txt"), Ct);
        await _driver.CopyAsync(StoragePath.Parse("/src"), StoragePath.Parse("/src-copy"), Ct);

        Assert.Equal(time, file.LastModified.UtcDateTime);
        Assert.Equal(time, File.GetLastWriteTimeUtc(Path.Combine(_root.Root, "src-copy", "f.txt")));
        Assert.Empty(TempFilesOnDisk());
    }

    [Fact]
    public async Task Quota_ReportsFreeSpaceOfTheRootsFileSystem()
    {
        var quota = await _driver.GetQuotaAsync(Ct);

        Assert.Null(quota.UsedBytes);
        Assert.NotNull(quota.AvailableBytes);
        Assert.Equal(new DriveInfo(_root.Root).AvailableFreeSpace, quota.AvailableBytes!.Value, (double)(256L * 1024 * 1024));
    }

    [Fact]
    public async Task Members_BeforeInitializeAsync_AreAProgrammingError()
    {
        var driver = new LocalDriverFactory().Create(LocalTestRoot.Addition(_root.Root), _root.Context());
        await Assert.ThrowsAsync<InvalidOperationException>(() => driver.StatAsync(StoragePath.Root, Ct));
    }
}
