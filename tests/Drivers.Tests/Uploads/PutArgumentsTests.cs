using OpenList.DriverHost.Drivers.Errors;
using OpenList.DriverHost.Drivers.Uploads;

namespace OpenList.DriverHost.Drivers.Tests.Uploads;

/// <summary>The argument checks every cloud driver's PutAsync makes first, and the cancelled-upload error.</summary>
public sealed class PutArgumentsTests
{
    [Fact]
    public void Validate_AcceptsAFileWithOrWithoutALength()
    {
        PutArguments.Validate(StoragePath.Parse("/a"), Stream.Null, 0);
        PutArguments.Validate(StoragePath.Parse("/a"), Stream.Null, null);
    }

    [Fact]
    public void Validate_RefusesNoContentANegativeLengthAndTheRoot()
    {
        Assert.Equal("content", Assert.Throws<ArgumentNullException>(() => PutArguments.Validate(StoragePath.Parse("/a"), null!, 1)).ParamName);
        Assert.Equal("length", Assert.Throws<ArgumentOutOfRangeException>(() => PutArguments.Validate(StoragePath.Parse("/a"), Stream.Null, -1)).ParamName);
        var root = Assert.Throws<StorageException>(() => PutArguments.Validate(StoragePath.Parse("/"), Stream.Null, 1));
        Assert.Equal(StorageErrorKind.IsDirectory, root.Kind);
    }

    [Fact]
    public void Cancelled_IsIncompleteAndKeepsTheCause()
    {
        var cause = new OperationCanceledException();
        var error = PutArguments.Cancelled(StoragePath.Parse("/d/a"), cause);

        Assert.Equal(StorageErrorKind.Incomplete, error.Kind);
        Assert.Equal("upload cancelled; nothing was kept: /d/a", error.Message);
        Assert.Same(cause, error.InnerException);
    }
}
