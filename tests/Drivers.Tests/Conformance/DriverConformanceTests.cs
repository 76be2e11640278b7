using OpenList.DriverHost.Drivers.Errors;

namespace OpenList.DriverHost.Drivers.Tests.Conformance;

/// <summary>
/// The shared driver conformance suite: one test per clause of the <see cref="IStorageDriver"/> contract (and of the
/// optional capability interfaces), each quoting the clause it checks. A driver's test class derives from this
/// class and supplies <see cref="CreateDriverAsync"/>. Every test works inside its own fresh directory
/// (<see cref="Dir"/>, <c>/conformance-&lt;guid&gt;</c>) created through the driver and deleted afterwards.
/// Tests for optional interfaces are named <c>..._WhenSupported</c> and pass without checking anything when the
/// driver lacks the interface (xunit 2 has no dynamic skip).
/// </summary>
public abstract partial class DriverConformanceTests : IAsyncLifetime
{
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(60));
    private IStorageDriver? _driver;

    /// <summary>An initialised driver instance for one test.</summary>
    protected abstract Task<IStorageDriver> CreateDriverAsync();

    /// <summary>Names with characters outside ASCII round-trip (Chinese, emoji).</summary>
    protected virtual bool SupportsUnicodeNames => true;

    /// <summary>Length of the long name used by the name round-trip test.</summary>
    protected virtual int LongNameLength => 200;

    /// <summary>Precision within which requested modification times are kept; null skips those checks.</summary>
    protected virtual TimeSpan? ModTimePrecision => Driver.Capabilities.ModTimePrecision;

    protected IStorageDriver Driver => _driver ?? throw new InvalidOperationException("the driver is created in InitializeAsync");

    /// <summary>This test's own directory.</summary>
    protected StoragePath Dir { get; private set; }

    /// <summary>Cancels a hung test after a minute instead of hanging the run.</summary>
    protected CancellationToken Ct => _timeout.Token;

    public async Task InitializeAsync()
    {
        _driver = await CreateDriverAsync();
        Dir = StoragePath.Root.Combine("conformance-" + Guid.NewGuid().ToString("N"));
        await Driver.CreateDirectoryAsync(Dir, Ct);
    }

    public async Task DisposeAsync()
    {
        if (_driver is not null)
        {
            try
            {
                await _driver.DeleteAsync(Dir, CancellationToken.None);
            }
            catch (StorageException e) when (e.Kind == StorageErrorKind.NotFound)
            {
                // the test removed it already
            }

            await _driver.DisposeAsync();
        }

        _timeout.Dispose();
    }

    // ---- StatAsync -------------------------------------------------------------------------------------------

    [Fact]
    public async Task Stat_Root_IsADirectory()
    {
        // "The entry at path; for the root, a directory entry."
        var entry = await Driver.StatAsync(StoragePath.Root, Ct);
        Assert.True(entry.IsDirectory);
        Assert.Equal(StoragePath.Root, entry.Path);
        Assert.Equal(0, entry.Size);
    }

    [Fact]
    public async Task Stat_Missing_IsNotFound()
    {
        // "NotFound when nothing is there"
        await AssertKindAsync(StorageErrorKind.NotFound, () => Driver.StatAsync(Dir.Combine("missing.txt"), Ct));
        await AssertKindAsync(StorageErrorKind.NotFound, () => Driver.StatAsync(Dir.Combine("missing").Combine("deeper"), Ct));
    }

    [Fact]
    public async Task Stat_WithAFileAsParentSegment_IsNotFound()
    {
        // "NotFound when nothing is there, including when a parent segment is a file."
        var file = await PutAsync(Dir.Combine("file.txt"), Bytes(10));
        await AssertKindAsync(StorageErrorKind.NotFound, () => Driver.StatAsync(file.Combine("child"), Ct));
    }

    [Fact]
    public async Task Stat_File_ReportsPathKindAndSize()
    {
        // StorageEntry: "Size: Bytes for files"
        var path = await PutAsync(Dir.Combine("seven.bin"), Bytes(7));
        var entry = await Driver.StatAsync(path, Ct);
        Assert.Equal(path, entry.Path);
        Assert.Equal("seven.bin", entry.Name);
        Assert.False(entry.IsDirectory);
        Assert.Equal(7, entry.Size);
    }

    [Fact]
    public async Task Stat_Directory_ReportsADirectoryOfSizeZero()
    {
        // StorageEntry: "Size: ... 0 for directories."
        var path = Dir.Combine("folder");
        await Driver.CreateDirectoryAsync(path, Ct);
        await PutAsync(path.Combine("inside.bin"), Bytes(100));
        var entry = await Driver.StatAsync(path, Ct);
        Assert.True(entry.IsDirectory);
        Assert.Equal(0, entry.Size);
        Assert.Equal(path, entry.Path);
    }

    // ---- ListAsync -------------------------------------------------------------------------------------------

    [Fact]
    public async Task List_Missing_IsNotFound()
    {
        // "NotFound when the directory does not exist"
        await AssertKindAsync(StorageErrorKind.NotFound, () => ListAsync(Dir.Combine("missing")));
    }

    [Fact]
    public async Task List_File_IsFile()
    {
        // "IsFile when path is a file."
        var file = await PutAsync(Dir.Combine("file.txt"), Bytes(3));
        await AssertKindAsync(StorageErrorKind.IsFile, () => ListAsync(file));
    }

    [Fact]
    public async Task List_EmptyDirectory_YieldsNothing()
    {
        // "An empty directory yields nothing."
        var path = Dir.Combine("empty");
        await Driver.CreateDirectoryAsync(path, Ct);
        Assert.Empty(await ListAsync(path));
    }

    [Fact]
    public async Task List_ReturnsExactlyTheDirectChildren()
    {
        // "The direct children of a directory": names, sizes and kinds; not the directory itself, not grandchildren.
        await PutAsync(Dir.Combine("a.txt"), Bytes(3));
        await PutAsync(Dir.Combine("b.bin"), Bytes(1000));
        await PutAsync(Dir.Combine("empty.txt"), []);
        await Driver.CreateDirectoryAsync(Dir.Combine("sub"), Ct);
        await PutAsync(Dir.Combine("sub").Combine("grandchild.txt"), Bytes(5));

        var entries = (await ListAsync(Dir)).OrderBy(e => e.Name, StringComparer.Ordinal).ToList();

        Assert.Equal(["a.txt", "b.bin", "empty.txt", "sub"], entries.Select(e => e.Name));
        Assert.Equal([3L, 1000L, 0L, 0L], entries.Select(e => e.Size));
        Assert.Equal([false, false, false, true], entries.Select(e => e.IsDirectory));
        Assert.All(entries, e => Assert.Equal(Dir.Combine(e.Name), e.Path));
    }

    [Fact]
    public async Task List_Root_ShowsTheTestDirectory()
    {
        // "The direct children of a directory" — the root is a directory like any other.
        var entries = await ListAsync(StoragePath.Root);
        var mine = Assert.Single(entries, e => e.Path == Dir);
        Assert.True(mine.IsDirectory);
    }

    [Fact]
    public async Task List_AfterDelete_NoLongerShowsIt()
    {
        // "Deletes a file, or a directory with everything below it." — the listing reflects it at once.
        await PutAsync(Dir.Combine("keep.txt"), Bytes(1));
        await PutAsync(Dir.Combine("gone.txt"), Bytes(2));
        await Driver.CreateDirectoryAsync(Dir.Combine("gone-dir"), Ct);

        await Driver.DeleteAsync(Dir.Combine("gone.txt"), Ct);
        await Driver.DeleteAsync(Dir.Combine("gone-dir"), Ct);

        Assert.Equal(["keep.txt"], (await ListAsync(Dir)).Select(e => e.Name));
    }

    // ---- CreateDirectoryAsync --------------------------------------------------------------------------------

    [Fact]
    public async Task CreateDirectory_IsIdempotent()
    {
        // "Idempotent: an existing directory is returned as it is."
        var path = Dir.Combine("twice");
        var first = await Driver.CreateDirectoryAsync(path, Ct);
        await PutAsync(path.Combine("content.txt"), Bytes(4));
        var second = await Driver.CreateDirectoryAsync(path, Ct);

        Assert.True(first.IsDirectory);
        Assert.True(second.IsDirectory);
        Assert.Equal(path, second.Path);
        Assert.Equal(["content.txt"], (await ListAsync(path)).Select(e => e.Name));
    }

    [Fact]
    public async Task CreateDirectory_Root_ReturnsTheRoot()
    {
        // "Idempotent: an existing directory is returned as it is." — the root always exists.
        var entry = await Driver.CreateDirectoryAsync(StoragePath.Root, Ct);
        Assert.True(entry.IsDirectory);
        Assert.Equal(StoragePath.Root, entry.Path);
    }

    [Fact]
    public async Task CreateDirectory_OverAFile_IsAlreadyExists()
    {
        // "AlreadyExists when a file is there"
        var file = await PutAsync(Dir.Combine("file"), Bytes(8));
        await AssertKindAsync(StorageErrorKind.AlreadyExists, () => Driver.CreateDirectoryAsync(file, Ct));
        Assert.Equal(Bytes(8), await ReadAllAsync(file));
    }

    [Fact]
    public async Task CreateDirectory_WithMissingParent_IsNotFound()
    {
        // "NotFound when the parent does not exist."
        var path = Dir.Combine("missing").Combine("child");
        await AssertKindAsync(StorageErrorKind.NotFound, () => Driver.CreateDirectoryAsync(path, Ct));
        await AssertKindAsync(StorageErrorKind.NotFound, () => Driver.StatAsync(Dir.Combine("missing"), Ct));
    }

    [Fact]
    public async Task CreateDirectory_BelowAFile_IsNotFound()
    {
        // "NotFound when the parent does not exist." — a file is not a parent directory.
        var file = await PutAsync(Dir.Combine("file"), Bytes(8));
        await AssertKindAsync(StorageErrorKind.NotFound, () => Driver.CreateDirectoryAsync(file.Combine("child"), Ct));
    }

    // ---- DeleteAsync -----------------------------------------------------------------------------------------

    [Fact]
    public async Task Delete_Missing_IsNotFound()
    {
        // "NotFound when nothing is there."
        await AssertKindAsync(StorageErrorKind.NotFound, () => Driver.DeleteAsync(Dir.Combine("missing"), Ct));
    }

    [Fact]
    public async Task Delete_File_RemovesIt()
    {
        // "Deletes a file"
        var file = await PutAsync(Dir.Combine("file.txt"), Bytes(10));
        await Driver.DeleteAsync(file, Ct);
        await AssertKindAsync(StorageErrorKind.NotFound, () => Driver.StatAsync(file, Ct));
        await AssertKindAsync(StorageErrorKind.NotFound, () => Driver.OpenReadAsync(file, null, Ct));
    }

    [Fact]
    public async Task Delete_NonEmptyDirectory_RemovesEverythingBelowIt()
    {
        // "Deletes ... a directory with everything below it."
        var tree = Dir.Combine("tree");
        await Driver.CreateDirectoryAsync(tree, Ct);
        await Driver.CreateDirectoryAsync(tree.Combine("a"), Ct);
        await Driver.CreateDirectoryAsync(tree.Combine("a").Combine("b"), Ct);
        await PutAsync(tree.Combine("top.txt"), Bytes(1));
        await PutAsync(tree.Combine("a").Combine("b").Combine("deep.txt"), Bytes(2));

        await Driver.DeleteAsync(tree, Ct);

        await AssertKindAsync(StorageErrorKind.NotFound, () => Driver.StatAsync(tree, Ct));
        await AssertKindAsync(StorageErrorKind.NotFound, () => Driver.StatAsync(tree.Combine("a").Combine("b").Combine("deep.txt"), Ct));
        Assert.Empty(await ListAsync(Dir));
    }

    [Fact]
    public async Task Delete_Root_IsPermissionDenied()
    {
        // "The root cannot be deleted (PermissionDenied)."
        await AssertKindAsync(StorageErrorKind.PermissionDenied, () => Driver.DeleteAsync(StoragePath.Root, Ct));
        Assert.True((await Driver.StatAsync(Dir, Ct)).IsDirectory);
    }
}
