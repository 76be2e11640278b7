namespace OpenList.DriverHost.WebDav.Store;

/// <summary>
/// The resource tree the protocol layer serves. Implementations raise <see cref="DavException"/> for known
/// failures. Paths are below the DAV prefix. Existence, overwrite, lock and precondition rules are the protocol
/// layer's job; the store only does what it is asked.
/// </summary>
public interface IDavStore
{
    /// <summary>The resource at <paramref name="path"/>, or null when there is none.</summary>
    Task<DavItem?> GetItemAsync(DavPath path, CancellationToken cancellationToken);

    /// <summary>The members of a collection, streamed as they arrive.</summary>
    IAsyncEnumerable<DavItem> ListAsync(DavPath collection, CancellationToken cancellationToken);

    /// <summary>How to answer a GET for a file. <paramref name="request"/> carries what a redirect decision needs.</summary>
    Task<DavContent> GetContentAsync(DavItem item, DavRequestInfo request, CancellationToken cancellationToken);

    /// <summary>Creates or replaces a file; the parent collection exists. <paramref name="length"/> is null when unknown.</summary>
    Task<DavItem> PutAsync(DavPath path, Stream body, long? length, DateTimeOffset? lastModified, string? contentType, CancellationToken cancellationToken);

    /// <summary>Creates a collection; nothing exists there and the parent exists.</summary>
    Task<DavItem> CreateCollectionAsync(DavPath path, CancellationToken cancellationToken);

    /// <summary>Deletes a file or a collection and everything below it.</summary>
    Task DeleteAsync(DavPath path, CancellationToken cancellationToken);

    /// <summary>
    /// Copies to <paramref name="destination"/>, which does not exist and whose parent exists. With
    /// <paramref name="recursive"/> false a collection is copied without its members.
    /// </summary>
    Task CopyAsync(DavItem source, DavPath destination, bool recursive, CancellationToken cancellationToken);

    /// <summary>Moves to <paramref name="destination"/>, which does not exist and whose parent exists.</summary>
    Task MoveAsync(DavItem source, DavPath destination, CancellationToken cancellationToken);

    /// <summary>Sets the modification time; false when the store cannot keep it.</summary>
    Task<bool> SetLastModifiedAsync(DavPath path, DateTimeOffset lastModified, CancellationToken cancellationToken);

    /// <summary>Quota of the storage holding <paramref name="path"/>, or null when unknown.</summary>
    Task<DavQuota?> GetQuotaAsync(DavPath path, CancellationToken cancellationToken);

    /// <summary>
    /// False when the caller may not write at or below <paramref name="path"/> (read-only users, virtual folders,
    /// read-only storages). Checked by every write method, LOCK and PROPPATCH before anything else.
    /// </summary>
    bool CanWrite(DavPath path);

    /// <summary>
    /// Why the store refuses to create or overwrite a resource named as <paramref name="path"/> is (a 403 with this
    /// reason), or null to allow it. Asked before anything is looked up, so a refused name costs no storage call:
    /// Finder and Explorer write <c>.DS_Store</c>, <c>._*</c> and <c>Thumbs.db</c> next to every file they touch.
    /// </summary>
    string? RefusesName(DavPath path) => null;
}

/// <summary>What a store may consider when answering a GET (redirect or stream).</summary>
/// <param name="UserAgent">The client's User-Agent, possibly empty.</param>
/// <param name="IsHead">True for HEAD.</param>
/// <param name="IsHttps">Whether the request came over TLS (never redirect HTTPS to HTTP).</param>
/// <param name="ForwardedHeaders">Request headers a proxying store may pass upstream, such as Range.</param>
public sealed record DavRequestInfo(string UserAgent, bool IsHead, bool IsHttps, IReadOnlyDictionary<string, string> ForwardedHeaders);

/// <summary>Chooses the store for a request (per user: base path, permissions).</summary>
public interface IDavStoreResolver
{
    IDavStore Resolve(Microsoft.AspNetCore.Http.HttpContext context);
}
