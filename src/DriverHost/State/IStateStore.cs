using OpenList.DriverHost.WebDav.Properties;

namespace OpenList.DriverHost.State;

/// <summary>
/// Durable host state (state.db, or PostgreSQL later): WebDAV dead properties and named secrets. More members will
/// join (tokens per mount, link-cache hints); implementations must keep every write in a committed transaction.
/// Opened by <see cref="StateStoreFactory"/>.
/// </summary>
public interface IStateStore : IDeadPropertyStore, ISecretStore, IAsyncDisposable
{
}

/// <summary>Named secrets kept across restarts, such as the generated <c>sign_key</c>. Values are never logged.</summary>
public interface ISecretStore
{
    /// <summary>
    /// The secret stored under <paramref name="name"/>; when there is none, stores and returns the value of
    /// <paramref name="create"/> (called at most once per missing secret, inside the write transaction, so concurrent
    /// callers and instances agree on one value).
    /// </summary>
    Task<string> GetOrCreateSecretAsync(string name, Func<string> create, CancellationToken cancellationToken);
}
