using OpenList.DriverHost.Drivers.Errors;
using OpenList.DriverHost.Drivers.Local;

namespace OpenList.DriverHost.Drivers.Tests.Local;

/// <summary>
/// The file-system exception table. Conditions a test cannot provoke on a shared machine running as root (a full
/// disk, a read-only mount, permission bits) are checked here through the exceptions .NET raises for them.
/// </summary>
public sealed class LocalErrorsTests
{
    private const string HostPath = "/srv/secret/host/path/file.bin";
    private static readonly StoragePath Path = StoragePath.Parse("/docs/file.bin");

    public static TheoryData<string, Exception, StorageErrorKind> Table
    {
        get
        {
            var diskFull = OperatingSystem.IsWindows() ? unchecked((int)0x80070070) : 28;
            var notEmpty = OperatingSystem.IsMacOS() ? 66 : 39;
            return new()
            {
                { "ENOENT file", new FileNotFoundException($"Could not find file '{HostPath}'"), StorageErrorKind.NotFound },
                { "ENOENT directory", new DirectoryNotFoundException($"Could not find a part of the path '{HostPath}'"), StorageErrorKind.NotFound },
                { "EACCES", new UnauthorizedAccessException($"Access to the path '{HostPath}' is denied."), StorageErrorKind.PermissionDenied },
                { "ENOSPC", new IOException($"No space left on device : '{HostPath}'", diskFull), StorageErrorKind.QuotaExceeded },
                { "ENAMETOOLONG", new PathTooLongException($"The path '{HostPath}' is too long"), StorageErrorKind.InvalidName },
                { "ENOTDIR", new IOException($"Not a directory : '{HostPath}'", 20), StorageErrorKind.NotFound },
                { "EEXIST", new IOException($"The file '{HostPath}' already exists.", 17), StorageErrorKind.AlreadyExists },
                { "ENOTEMPTY", new IOException($"Directory not empty : '{HostPath}'", notEmpty), StorageErrorKind.NotEmpty },
                { "EROFS", new IOException($"Read-only file system : '{HostPath}'", 30), StorageErrorKind.PermissionDenied },
                { "EIO", new IOException($"Input/output error : '{HostPath}'", 5), StorageErrorKind.Unavailable },
            };
        }
    }

    [Theory]
    [MemberData(nameof(Table))]
    public void Map_GivesTheKindAndNamesTheStoragePathOnly(string condition, Exception exception, StorageErrorKind kind)
    {
        var mapped = LocalErrors.Map(exception, Path);

        Assert.True(mapped.Kind == kind, $"{condition}: expected {kind} but got {mapped.Kind}");
        Assert.Contains(Path.Value, mapped.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(HostPath, mapped.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_KeepsAStorageExceptionAsItIs()
    {
        var original = new StorageException(StorageErrorKind.Incomplete, "short body");
        Assert.Same(original, LocalErrors.Map(original, Path));
    }
}
