using OpenList.DriverHost.Drivers.Errors;
using OpenList.DriverHost.Drivers.Local;

namespace OpenList.DriverHost.Drivers.Tests.Local;

/// <summary>
/// Nothing outside the root folder is reachable: hostile paths are refused by <see cref="StoragePath"/>, and
/// symbolic links whose target lies outside the root are invisible to reads and refused for writes.
/// </summary>
public sealed class LocalDriverSafetyTests : IAsyncLifetime, IDisposable
{
    private readonly LocalTestRoot _root = new();
    private readonly string _outside;
    private LocalDriver _driver = null!;

    public LocalDriverSafetyTests()
    {
        _outside = Path.Combine(_root.Base, "outside");
        Directory.CreateDirectory(Path.Combine(_outside, "sub"));
        File.WriteAllText(Path.Combine(_outside, "secret.txt"), "secret");

        File.WriteAllText(Path.Combine(_root.Root, "inside.txt"), "inside");
        Directory.CreateDirectory(Path.Combine(_root.Root, "dir"));
        File.WriteAllText(Path.Combine(_root.Root, "dir", "file.txt"), "in dir");

        // Leading outside: absolute, relative, and through a chain that starts inside.
        File.CreateSymbolicLink(Path.Combine(_root.Root, "out-file"), Path.Combine(_outside, "secret.txt"));
        Directory.CreateSymbolicLink(Path.Combine(_root.Root, "out-dir"), _outside);
        Directory.CreateSymbolicLink(Path.Combine(_root.Root, "out-rel"), Path.Combine("..", "outside"));
        Directory.CreateSymbolicLink(Path.Combine(_root.Root, "hop"), "out-dir");
        File.CreateSymbolicLink(Path.Combine(_root.Root, "dangling"), "nothing-here");

        // Staying inside.
        File.CreateSymbolicLink(Path.Combine(_root.Root, "in-file"), "inside.txt");
        Directory.CreateSymbolicLink(Path.Combine(_root.Root, "in-dir"), Path.Combine(_root.Root, "dir"));
    }

    private static CancellationToken Ct => CancellationToken.None;

    public async Task InitializeAsync() => _driver = await _root.CreateDriverAsync();

    public async Task DisposeAsync() => await _driver.DisposeAsync();

    public void Dispose() => _root.Dispose();

    private static StoragePath P(string path) => StoragePath.Parse(path);

    [Fact]
    public async Task Listing_HidesLinksLeadingOutsideAndDanglingLinks()
    {
        var names = new List<string>();
        await foreach (var entry in _driver.ListAsync(StoragePath.Root, Ct))
        {
            names.Add(entry.Name);
        }

        Assert.Equal(["dir", "in-dir", "in-file", "inside.txt"], names.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("/out-file")]
    [InlineData("/out-dir")]
    [InlineData("/out-dir/secret.txt")]
    [InlineData("/out-rel/secret.txt")]
    [InlineData("/hop/secret.txt")]
    [InlineData("/out-dir/sub")]
    public async Task LinksLeadingOutside_AreNotFoundForReads(string path)
    {
        await AssertKindAsync(StorageErrorKind.NotFound, () => _driver.StatAsync(P(path), Ct));
        await AssertKindAsync(StorageErrorKind.NotFound, () => _driver.OpenReadAsync(P(path), null, Ct));
        await AssertKindAsync(StorageErrorKind.NotFound, async () =>
        {
            await foreach (var unused in _driver.ListAsync(P(path), Ct))
            {
            }
        });
    }

    [Fact]
    public async Task LinksInside_AreFollowed()
    {
        var file = await _driver.StatAsync(P("/in-file"), Ct);
        Assert.False(file.IsDirectory);
        Assert.Equal(6, file.Size); // the target's size, not the link's
        await using (var read = await _driver.OpenReadAsync(P("/in-file"), null, Ct))
        {
            using var reader = new StreamReader(read.Content);
            Assert.Equal("inside", await reader.ReadToEndAsync());
        }

        Assert.True((await _driver.StatAsync(P("/in-dir"), Ct)).IsDirectory);
        var names = new List<string>();
        await foreach (var entry in _driver.ListAsync(P("/in-dir"), Ct))
        {
            names.Add(entry.Name);
        }

        Assert.Equal(["file.txt"], names);
    }

    [Theory]
    [InlineData("/out-dir/new.txt")]
    [InlineData("/out-rel/new.txt")]
    [InlineData("/hop/new.txt")]
    [InlineData("/out-file")]
    [InlineData("/out-dir/sub/new.txt")]
    public async Task PutThroughLinksLeadingOutside_IsRefusedAndWritesNothingOutside(string path)
    {
        var before = Snapshot(_outside);
        using var body = new MemoryStream("pwned"u8.ToArray());
        var e = await Assert.ThrowsAsync<StorageException>(() => _driver.PutAsync(P(path), body, 5, PutOptions.Default, Ct));
        Assert.Contains(e.Kind, new[] { StorageErrorKind.PermissionDenied, StorageErrorKind.NotFound });
        Assert.Equal(before, Snapshot(_outside));
        Assert.Equal("secret", File.ReadAllText(Path.Combine(_outside, "secret.txt")));
    }

    [Fact]
    public async Task OtherWritesThroughLinksLeadingOutside_AreRefusedAndChangeNothingOutside()
    {
        var before = Snapshot(_outside);
        var secretTime = File.GetLastWriteTimeUtc(Path.Combine(_outside, "secret.txt"));

        await AssertRefusedAsync(() => _driver.CreateDirectoryAsync(P("/out-dir/made"), Ct));
        await AssertRefusedAsync(() => _driver.DeleteAsync(P("/out-dir/secret.txt"), Ct));
        await AssertRefusedAsync(() => _driver.DeleteAsync(P("/out-dir/sub"), Ct));
        await AssertRefusedAsync(() => _driver.SetModTimeAsync(P("/out-file"), DateTimeOffset.UnixEpoch, Ct));
        await AssertRefusedAsync(() => _driver.MoveAsync(P("/out-dir/secret.txt"), P("/stolen.txt"), Ct));
        await AssertRefusedAsync(() => _driver.MoveAsync(P("/inside.txt"), P("/out-dir/planted.txt"), Ct));
        await AssertRefusedAsync(() => _driver.CopyAsync(P("/out-dir/secret.txt"), P("/stolen.txt"), Ct));
        await AssertRefusedAsync(() => _driver.CopyAsync(P("/out-file"), P("/stolen.txt"), Ct));
        await AssertRefusedAsync(() => _driver.CopyAsync(P("/inside.txt"), P("/out-dir/planted.txt"), Ct));

        Assert.Equal(before, Snapshot(_outside));
        Assert.Equal(secretTime, File.GetLastWriteTimeUtc(Path.Combine(_outside, "secret.txt")));
        Assert.False(File.Exists(Path.Combine(_root.Root, "stolen.txt")));
        Assert.True(File.Exists(Path.Combine(_root.Root, "inside.txt")));
    }

    [Fact]
    public async Task DeletingATreeHoldingALinkToOutside_LeavesTheOutsideAlone()
    {
        var tree = Path.Combine(_root.Root, "tree");
        Directory.CreateDirectory(tree);
        Directory.CreateSymbolicLink(Path.Combine(tree, "escape"), _outside);
        var before = Snapshot(_outside);

        await _driver.DeleteAsync(P("/tree"), Ct);

        Assert.False(Directory.Exists(tree));
        Assert.Equal(before, Snapshot(_outside));
    }

    [Fact]
    public async Task DeletingALinkInside_RemovesTheLinkNotItsTarget()
    {
        await _driver.DeleteAsync(P("/in-dir"), Ct);
        await _driver.DeleteAsync(P("/in-file"), Ct);

        Assert.True(File.Exists(Path.Combine(_root.Root, "dir", "file.txt")));
        Assert.True(File.Exists(Path.Combine(_root.Root, "inside.txt")));
        await AssertKindAsync(StorageErrorKind.NotFound, () => _driver.StatAsync(P("/in-dir"), Ct));
    }

    [Fact]
    public async Task MovingALinkInside_RenamesTheLinkNotItsTarget()
    {
        var dir = await _driver.MoveAsync(P("/in-dir"), P("/dir/renamed-dir-link"), Ct);
        var file = await _driver.MoveAsync(P("/in-file"), P("/renamed-file-link"), Ct);

        Assert.True(dir.IsDirectory);
        Assert.Equal(6, file.Size);
        Assert.NotNull(new FileInfo(Path.Combine(_root.Root, "dir", "renamed-dir-link")).LinkTarget);
        Assert.NotNull(new FileInfo(Path.Combine(_root.Root, "renamed-file-link")).LinkTarget);
        Assert.True(File.Exists(Path.Combine(_root.Root, "dir", "file.txt")));
        Assert.Equal("inside", File.ReadAllText(Path.Combine(_root.Root, "inside.txt")));
    }

    [Fact]
    public async Task CopyingATreeWithLinks_CopiesInsideTargetsAndSkipsEscapesAndLoops()
    {
        var dir = Path.Combine(_root.Root, "dir");
        Directory.CreateSymbolicLink(Path.Combine(dir, "up"), "..");               // loop back to the root
        Directory.CreateSymbolicLink(Path.Combine(dir, "escape"), _outside);        // outside
        File.CreateSymbolicLink(Path.Combine(dir, "alias.txt"), Path.Combine("..", "inside.txt"));

        await _driver.CopyAsync(P("/dir"), P("/copy"), Ct);

        var copy = Path.Combine(_root.Root, "copy");
        Assert.Equal(["alias.txt", "file.txt"], Directory.GetFileSystemEntries(copy).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal("inside", File.ReadAllText(Path.Combine(copy, "alias.txt")));
        Assert.Null(new FileInfo(Path.Combine(copy, "alias.txt")).LinkTarget); // a real file, not a copied link
    }

    [Fact]
    public async Task ARootThatIsItselfALink_IsServedAndStillConfined()
    {
        var linkedRoot = Path.Combine(_root.Base, "root-link");
        Directory.CreateSymbolicLink(linkedRoot, _root.Root);
        await using var driver = await _root.CreateDriverAsync(linkedRoot);

        Assert.Equal(6, (await driver.StatAsync(P("/inside.txt"), Ct)).Size);
        await AssertKindAsync(StorageErrorKind.NotFound, () => driver.StatAsync(P("/out-dir/secret.txt"), Ct));
        Assert.Equal(6, (await driver.StatAsync(P("/in-file"), Ct)).Size);
    }

    [Theory]
    [InlineData("..")]
    [InlineData("/..")]
    [InlineData("a/../..")]
    [InlineData("/a/..")]
    [InlineData("./a")]
    [InlineData("a\0b")]
    [InlineData("a\\..\\b")]
    [InlineData("..\\secret")]
    [InlineData("a\nb")]
    public void StoragePathParse_RefusesHostilePaths(string path)
    {
        var e = Assert.Throws<StorageException>(() => StoragePath.Parse(path));
        Assert.Equal(StorageErrorKind.InvalidName, e.Kind);
    }

    [Fact]
    public async Task TemporaryUploadFiles_AreHidden()
    {
        var temp = LocalDriver.TempFilePrefix + "0123456789abcdef" + LocalDriver.TempFileSuffix;
        File.WriteAllText(Path.Combine(_root.Root, temp), "partial");
        File.WriteAllText(Path.Combine(_root.Root, "dir", temp), "partial");

        var names = new List<string>();
        await foreach (var entry in _driver.ListAsync(StoragePath.Root, Ct))
        {
            names.Add(entry.Name);
        }

        Assert.DoesNotContain(temp, names);
        Assert.Contains("inside.txt", names);
        await AssertKindAsync(StorageErrorKind.NotFound, () => _driver.StatAsync(P("/" + temp), Ct));
        await AssertKindAsync(StorageErrorKind.NotFound, () => _driver.OpenReadAsync(P("/dir/" + temp), null, Ct));
        await AssertKindAsync(StorageErrorKind.NotFound, () => _driver.DeleteAsync(P("/" + temp), Ct));
        using var body = new MemoryStream([1, 2, 3]);
        await AssertKindAsync(StorageErrorKind.InvalidName, () => _driver.PutAsync(P("/" + temp), body, 3, PutOptions.Default, Ct));
        await _driver.CopyAsync(P("/dir"), P("/dir-copy"), Ct);
        Assert.False(File.Exists(Path.Combine(_root.Root, "dir-copy", temp)));
    }

    [Fact]
    public async Task ErrorMessages_DoNotRevealTheHostPath()
    {
        using var body = new MemoryStream([1, 2, 3]);
        var failures = new List<StorageException>
        {
            await Assert.ThrowsAsync<StorageException>(() => _driver.StatAsync(P("/missing"), Ct)),
            await Assert.ThrowsAsync<StorageException>(() => _driver.OpenReadAsync(P("/dir"), null, Ct)),
            await Assert.ThrowsAsync<StorageException>(() => _driver.OpenReadAsync(P("/inside.txt/x"), null, Ct)),
            await Assert.ThrowsAsync<StorageException>(() => _driver.PutAsync(P("/missing/x"), body, 3, PutOptions.Default, Ct)),
            await Assert.ThrowsAsync<StorageException>(() => _driver.PutAsync(P("/dir"), body, 3, PutOptions.Default, Ct)),
            await Assert.ThrowsAsync<StorageException>(() => _driver.PutAsync(P("/short"), body, 300, PutOptions.Default, Ct)),
            await Assert.ThrowsAsync<StorageException>(() => _driver.PutAsync(P("/out-dir/x"), body, 3, PutOptions.Default, Ct)),
            await Assert.ThrowsAsync<StorageException>(() => _driver.CreateDirectoryAsync(P("/inside.txt"), Ct)),
            await Assert.ThrowsAsync<StorageException>(() => _driver.DeleteAsync(StoragePath.Root, Ct)),
            await Assert.ThrowsAsync<StorageException>(() => _driver.MoveAsync(P("/dir"), P("/inside.txt"), Ct)),
            await Assert.ThrowsAsync<StorageException>(() => _driver.CopyAsync(P("/dir"), P("/dir/inner"), Ct)),
        };

        Assert.All(failures, e =>
        {
            Assert.DoesNotContain(_root.Base, e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(_root.Base, e.ToString(), StringComparison.Ordinal);
        });
    }

    private static async Task AssertKindAsync(StorageErrorKind kind, Func<Task> action)
    {
        var e = await Assert.ThrowsAsync<StorageException>(action);
        Assert.True(e.Kind == kind, $"expected {kind} but got {e.Kind}: {e.Message}");
    }

    private static async Task AssertRefusedAsync(Func<Task> action)
    {
        var e = await Assert.ThrowsAsync<StorageException>(action);
        Assert.True(e.Kind is StorageErrorKind.PermissionDenied or StorageErrorKind.NotFound, $"expected a refusal but got {e.Kind}: {e.Message}");
    }

    /// <summary>Every entry below <paramref name="folder"/> with its size, to compare before and after.</summary>
    private static string Snapshot(string folder) =>
        string.Join('\n', Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories)
            .Select(p => $"{Path.GetRelativePath(folder, p)}:{(File.Exists(p) ? new FileInfo(p).Length : -1)}")
            .Order(StringComparer.Ordinal));
}
