using Microsoft.AspNetCore.Http;
using OpenList.DriverHost.Drivers.Errors;
using OpenList.DriverHost.WebDav.Store;

namespace OpenList.DriverHost.Mounts;

/// <summary>The one place driver errors become HTTP statuses (DESIGN.md §9).</summary>
public static class StorageErrorMapper
{
    public static DavException ToDav(StorageException ex, string mountPath) => ex.Kind switch
    {
        StorageErrorKind.NotFound => new(StatusCodes.Status404NotFound, ex.Message, inner: ex),
        StorageErrorKind.AlreadyExists => new(StatusCodes.Status409Conflict, ex.Message, inner: ex),
        StorageErrorKind.NotEmpty => new(StatusCodes.Status409Conflict, ex.Message, inner: ex),
        StorageErrorKind.IsDirectory => new(StatusCodes.Status405MethodNotAllowed, ex.Message, inner: ex),
        StorageErrorKind.IsFile => new(StatusCodes.Status409Conflict, ex.Message, inner: ex),
        StorageErrorKind.PermissionDenied => new(StatusCodes.Status403Forbidden, ex.Message, inner: ex),
        StorageErrorKind.QuotaExceeded => new(StatusCodes.Status507InsufficientStorage, ex.Message, inner: ex),
        StorageErrorKind.RateLimited => new(StatusCodes.Status503ServiceUnavailable, $"{mountPath}: {ex.Message}", retryAfter: ex.RetryAfter ?? TimeSpan.FromSeconds(5), inner: ex),
        StorageErrorKind.AuthExpired => new(StatusCodes.Status503ServiceUnavailable, $"{mountPath}: {ex.Message}", inner: ex),
        StorageErrorKind.Unavailable => new(StatusCodes.Status503ServiceUnavailable, $"{mountPath}: {ex.Message}", retryAfter: ex.RetryAfter, inner: ex),
        StorageErrorKind.NotSupported => new(StatusCodes.Status405MethodNotAllowed, ex.Message, inner: ex),
        StorageErrorKind.InvalidName => new(StatusCodes.Status400BadRequest, ex.Message, inner: ex),
        StorageErrorKind.Incomplete => new(StatusCodes.Status400BadRequest, ex.Message, inner: ex),
        _ => new(StatusCodes.Status502BadGateway, ex.Message, inner: ex),
    };
}
