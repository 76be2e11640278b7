using OpenList.DriverHost.Drivers.Capabilities;
using OpenList.DriverHost.Drivers.Errors;

namespace OpenList.DriverHost.Drivers.Tests.Conformance;

/// <summary>
/// Clauses of the optional capability interfaces. Each test returns at once when the driver lacks the interface
/// (xunit 2 has no dynamic skip), hence the <c>_WhenSupported</c> suffix.
/// </summary>
public abstract partial class DriverConformanceTests
{
    // ---- IServerSideCopy -------------------------------------------------------------------------------------

    [Fact]
    public async Task Copy_File_WhenSupported()
    {
        // IServerSideCopy: "Copies a file ... to destination" — the source stays as it was.
        if (Driver is not IServerSideCopy copy)
        {
            return;
        }

        var content = Bytes(70_000, seed: 11);
        var source = await PutAsync(Dir.Combine("source.bin"), content);
        var entry = await copy.CopyAsync(source, Dir.Combine("copy.bin"), Ct);

        Assert.Equal(Dir.Combine("copy.bin"), entry.Path);
        Assert.Equal(content.Length, entry.Size);
        Assert.Equal(content, await ReadAllAsync(Dir.Combine("copy.bin")));
        Assert.Equal(content, await ReadAllAsync(source));
    }

    [Fact]
    public async Task Copy_Tree_WhenSupported()
    {
        // IServerSideCopy: "Copies ... a whole directory tree to destination" — the source tree stays as it was.
        if (Driver is not IServerSideCopy copy)
        {
            return;
        }

        var source = await MakeTreeAsync("tree");
        await Driver.CreateDirectoryAsync(Dir.Combine("target"), Ct);
        var destination = Dir.Combine("target").Combine("tree-copy");

        var entry = await copy.CopyAsync(source, destination, Ct);

        Assert.True(entry.IsDirectory);
        await AssertTreeAsync(destination);
        await AssertTreeAsync(source);
    }

    [Fact]
    public async Task Copy_OntoExisting_IsAlreadyExists_WhenSupported()
    {
        // IServerSideCopy: "destination, which must not exist (AlreadyExists otherwise)"
        if (Driver is not IServerSideCopy copy)
        {
            return;
        }

        var source = await PutAsync(Dir.Combine("a.bin"), Bytes(10, seed: 1));
        var existing = await PutAsync(Dir.Combine("b.bin"), Bytes(20, seed: 2));
        await AssertKindAsync(StorageErrorKind.AlreadyExists, () => copy.CopyAsync(source, existing, Ct));
        Assert.Equal(Bytes(20, seed: 2), await ReadAllAsync(existing));

        var tree = await MakeTreeAsync("tree");
        await AssertKindAsync(StorageErrorKind.AlreadyExists, () => copy.CopyAsync(tree, existing, Ct));
        await AssertKindAsync(StorageErrorKind.AlreadyExists, () => copy.CopyAsync(source, tree, Ct));
        await AssertTreeAsync(tree);
    }

    [Fact]
    public async Task Copy_IntoMissingParent_IsNotFound_WhenSupported()
    {
        // IServerSideCopy: "whose parent must exist (NotFound otherwise)."
        if (Driver is not IServerSideCopy copy)
        {
            return;
        }

        var source = await PutAsync(Dir.Combine("a.bin"), Bytes(10));
        await AssertKindAsync(StorageErrorKind.NotFound, () => copy.CopyAsync(source, Dir.Combine("missing").Combine("a.bin"), Ct));
        await AssertKindAsync(StorageErrorKind.NotFound, () => Driver.StatAsync(Dir.Combine("missing"), Ct));
    }

    [Fact]
    public async Task Copy_MissingSource_IsNotFound_WhenSupported()
    {
        // IStorageDriver: "NotFound when nothing is there" holds for the source of a copy too.
        if (Driver is not IServerSideCopy copy)
        {
            return;
        }

        await AssertKindAsync(StorageErrorKind.NotFound, () => copy.CopyAsync(Dir.Combine("missing"), Dir.Combine("copy"), Ct));
        Assert.Empty(await ListAsync(Dir));
    }

    // ---- IServerSideMove -------------------------------------------------------------------------------------

    [Fact]
    public async Task Move_RenameFile_WhenSupported()
    {
        // IServerSideMove: "Moves or renames a file ... to destination" — the source is gone afterwards.
        if (Driver is not IServerSideMove move)
        {
            return;
        }

        var content = Bytes(4321, seed: 12);
        var source = await PutAsync(Dir.Combine("old name.bin"), content);
        var entry = await move.MoveAsync(source, Dir.Combine("new name.bin"), Ct);

        Assert.Equal(Dir.Combine("new name.bin"), entry.Path);
        Assert.Equal(content.Length, entry.Size);
        Assert.Equal(content, await ReadAllAsync(entry.Path));
        await AssertKindAsync(StorageErrorKind.NotFound, () => Driver.StatAsync(source, Ct));
        Assert.Equal(["new name.bin"], (await ListAsync(Dir)).Select(e => e.Name));
    }

    [Fact]
    public async Task Move_Tree_WhenSupported()
    {
        // IServerSideMove: "Moves or renames a ... directory to destination" — everything below moves with it.
        if (Driver is not IServerSideMove move)
        {
            return;
        }

        var source = await MakeTreeAsync("tree");
        await Driver.CreateDirectoryAsync(Dir.Combine("target"), Ct);
        var destination = Dir.Combine("target").Combine("moved");

        var entry = await move.MoveAsync(source, destination, Ct);

        Assert.True(entry.IsDirectory);
        await AssertTreeAsync(destination);
        await AssertKindAsync(StorageErrorKind.NotFound, () => Driver.StatAsync(source, Ct));
        Assert.Equal(["target"], (await ListAsync(Dir)).Select(e => e.Name));
    }

    [Fact]
    public async Task Move_OntoExisting_IsAlreadyExists_WhenSupported()
    {
        // IServerSideMove: "destination, which must not exist (AlreadyExists otherwise)" — and nothing moves.
        if (Driver is not IServerSideMove move)
        {
            return;
        }

        var source = await PutAsync(Dir.Combine("a.bin"), Bytes(10, seed: 1));
        var existing = await PutAsync(Dir.Combine("b.bin"), Bytes(20, seed: 2));
        await AssertKindAsync(StorageErrorKind.AlreadyExists, () => move.MoveAsync(source, existing, Ct));
        Assert.Equal(Bytes(10, seed: 1), await ReadAllAsync(source));
        Assert.Equal(Bytes(20, seed: 2), await ReadAllAsync(existing));

        var tree = await MakeTreeAsync("tree");
        await AssertKindAsync(StorageErrorKind.AlreadyExists, () => move.MoveAsync(tree, existing, Ct));
        await AssertTreeAsync(tree);
    }

    [Fact]
    public async Task Move_IntoMissingParent_IsNotFound_WhenSupported()
    {
        // IServerSideMove: "whose parent must exist (NotFound otherwise)." — and nothing moves.
        if (Driver is not IServerSideMove move)
        {
            return;
        }

        var source = await PutAsync(Dir.Combine("a.bin"), Bytes(10));
        await AssertKindAsync(StorageErrorKind.NotFound, () => move.MoveAsync(source, Dir.Combine("missing").Combine("a.bin"), Ct));
        Assert.Equal(Bytes(10), await ReadAllAsync(source));
    }

    [Fact]
    public async Task Move_MissingSource_IsNotFound_WhenSupported()
    {
        // IStorageDriver: "NotFound when nothing is there" holds for the source of a move too.
        if (Driver is not IServerSideMove move)
        {
            return;
        }

        await AssertKindAsync(StorageErrorKind.NotFound, () => move.MoveAsync(Dir.Combine("missing"), Dir.Combine("moved"), Ct));
    }

    // ---- IModTimeSetter --------------------------------------------------------------------------------------

    [Fact]
    public async Task SetModTime_FileAndDirectory_WhenSupported()
    {
        // IModTimeSetter: "Sets a file's or directory's modification time after the fact"
        if (Driver is not IModTimeSetter setter || ModTimePrecision is not { } precision)
        {
            return;
        }

        var fileTime = new DateTimeOffset(2019, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(7_654_321);
        var file = await PutAsync(Dir.Combine("file.txt"), Bytes(10));
        AssertTimeKept(fileTime, (await setter.SetModTimeAsync(file, fileTime, Ct)).LastModified, precision);
        AssertTimeKept(fileTime, (await Driver.StatAsync(file, Ct)).LastModified, precision);
        Assert.Equal(Bytes(10), await ReadAllAsync(file));

        var folderTime = new DateTimeOffset(2018, 6, 7, 8, 9, 10, TimeSpan.FromHours(2));
        var folder = Dir.Combine("folder");
        await Driver.CreateDirectoryAsync(folder, Ct);
        AssertTimeKept(folderTime, (await setter.SetModTimeAsync(folder, folderTime, Ct)).LastModified, precision);
        AssertTimeKept(folderTime, (await Driver.StatAsync(folder, Ct)).LastModified, precision);
    }

    [Fact]
    public async Task SetModTime_Missing_IsNotFound_WhenSupported()
    {
        // IModTimeSetter: "NotFound when the path does not exist."
        if (Driver is not IModTimeSetter setter)
        {
            return;
        }

        await AssertKindAsync(StorageErrorKind.NotFound, () => setter.SetModTimeAsync(Dir.Combine("missing"), DateTimeOffset.UnixEpoch, Ct));
    }

    // ---- IQuotaProvider --------------------------------------------------------------------------------------

    [Fact]
    public async Task Quota_IsNonNegativeOrUnknown_WhenSupported()
    {
        // StorageQuota: "Bytes used and still available; either may be unknown."
        if (Driver is not IQuotaProvider quota)
        {
            return;
        }

        var result = await quota.GetQuotaAsync(Ct);
        Assert.True(result.UsedBytes is null or >= 0, $"used bytes {result.UsedBytes}");
        Assert.True(result.AvailableBytes is null or >= 0, $"available bytes {result.AvailableBytes}");
    }

    /// <summary>tree/{a.txt, empty/, sub/{b.bin, deeper/c.txt}} inside <see cref="Dir"/>.</summary>
    private async Task<StoragePath> MakeTreeAsync(string name)
    {
        var tree = Dir.Combine(name);
        await Driver.CreateDirectoryAsync(tree, Ct);
        await Driver.CreateDirectoryAsync(tree.Combine("empty"), Ct);
        await Driver.CreateDirectoryAsync(tree.Combine("sub"), Ct);
        await Driver.CreateDirectoryAsync(tree.Combine("sub").Combine("deeper"), Ct);
        await PutAsync(tree.Combine("a.txt"), Bytes(11, seed: 21));
        await PutAsync(tree.Combine("sub").Combine("b.bin"), Bytes(22_222, seed: 22));
        await PutAsync(tree.Combine("sub").Combine("deeper").Combine("c.txt"), Bytes(33, seed: 23));
        return tree;
    }

    private async Task AssertTreeAsync(StoragePath tree)
    {
        Assert.Equal(["a.txt", "empty", "sub"], (await ListAsync(tree)).Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.Equal(["b.bin", "deeper"], (await ListAsync(tree.Combine("sub"))).Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.Empty(await ListAsync(tree.Combine("empty")));
        Assert.Equal(Bytes(11, seed: 21), await ReadAllAsync(tree.Combine("a.txt")));
        Assert.Equal(Bytes(22_222, seed: 22), await ReadAllAsync(tree.Combine("sub").Combine("b.bin")));
        Assert.Equal(Bytes(33, seed: 23), await ReadAllAsync(tree.Combine("sub").Combine("deeper").Combine("c.txt")));
    }
}
