using OpenList.DriverHost.Drivers.Capabilities;

namespace OpenList.DriverHost.Drivers;

/// <summary>
/// The contract every driver implements. Paths are storage-relative and already validated
/// (<see cref="StoragePath"/>). Known failures are raised only as <see cref="Errors.StorageException"/>; a driver
/// never knows about HTTP or WebDAV. Every clause below is checked by the shared conformance suite.
/// Optional operations live in <see cref="Capabilities"/> (<see cref="IServerSideCopy"/>,
/// <see cref="IServerSideMove"/>, <see cref="IModTimeSetter"/>, <see cref="IQuotaProvider"/>).
/// </summary>
public interface IStorageDriver : IAsyncDisposable
{
    DriverCapabilities Capabilities { get; }

    /// <summary>
    /// Prepares the driver (tokens, root resolution). Called once before any other member.
    /// A failure leaves the mount listed with the error as its status.
    /// </summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The entry at <paramref name="path"/>; for the root, a directory entry. NotFound when nothing is there,
    /// including when a parent segment is a file.
    /// </summary>
    Task<StorageEntry> StatAsync(StoragePath path, CancellationToken cancellationToken);

    /// <summary>
    /// The direct children of a directory, one upstream page at a time. NotFound when the directory does not
    /// exist; IsFile when <paramref name="path"/> is a file. An empty directory yields nothing.
    /// </summary>
    IAsyncEnumerable<StorageEntry> ListAsync(StoragePath path, CancellationToken cancellationToken);

    /// <summary>
    /// Opens a file for reading. With a <paramref name="range"/> (already within the file) the stream holds exactly
    /// that range, or the whole file with <see cref="StorageReadStream.Range"/> null when the driver ignored it.
    /// NotFound for a missing file; IsDirectory for a directory.
    /// </summary>
    Task<StorageReadStream> OpenReadAsync(StoragePath path, ByteRange? range, CancellationToken cancellationToken);

    /// <summary>
    /// Creates or replaces a file with the bytes of <paramref name="content"/>. <paramref name="length"/> is the
    /// declared length, or null when unknown (chunked uploads). The parent must exist (NotFound otherwise);
    /// IsDirectory when a directory is at <paramref name="path"/>. When the stream ends before
    /// <paramref name="length"/> bytes, or the call is cancelled, Incomplete is raised and neither a partial
    /// file nor a damaged previous version is left behind.
    /// </summary>
    Task<StorageEntry> PutAsync(StoragePath path, Stream content, long? length, PutOptions options, CancellationToken cancellationToken);

    /// <summary>
    /// Creates one directory. Idempotent: an existing directory is returned as it is. AlreadyExists when a file is
    /// there; NotFound when the parent does not exist.
    /// </summary>
    Task<StorageEntry> CreateDirectoryAsync(StoragePath path, CancellationToken cancellationToken);

    /// <summary>Deletes a file, or a directory with everything below it. NotFound when nothing is there. The root cannot be deleted (PermissionDenied).</summary>
    Task DeleteAsync(StoragePath path, CancellationToken cancellationToken);
}
