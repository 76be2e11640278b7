namespace OpenList.DriverHost.Drivers.Errors;

/// <summary>The closed set of errors a driver may raise (DESIGN.md §9). The host maps each to one HTTP status.</summary>
public enum StorageErrorKind
{
    /// <summary>The path (or, for writes, its parent) does not exist.</summary>
    NotFound,

    /// <summary>Something already exists where the operation must create.</summary>
    AlreadyExists,

    /// <summary>A directory that must be empty is not.</summary>
    NotEmpty,

    /// <summary>The operation wants a file and got a directory.</summary>
    IsDirectory,

    /// <summary>The operation wants a directory and got a file.</summary>
    IsFile,

    PermissionDenied,
    QuotaExceeded,

    /// <summary>The provider throttled us; <see cref="StorageException.RetryAfter"/> says for how long when known.</summary>
    RateLimited,

    /// <summary>Credentials expired or were revoked and cannot be renewed without the user.</summary>
    AuthExpired,

    /// <summary>The provider or disk is unreachable or failing; retrying later may work.</summary>
    Unavailable,

    /// <summary>The driver cannot do this at all.</summary>
    NotSupported,

    /// <summary>The name or path is not acceptable (separators, NUL, too long, reserved).</summary>
    InvalidName,

    /// <summary>An upload's body ended before its declared length; nothing was kept.</summary>
    Incomplete,
}
