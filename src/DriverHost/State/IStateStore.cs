using OpenList.DriverHost.Drivers.Tokens;
using OpenList.DriverHost.WebDav.Properties;

namespace OpenList.DriverHost.State;

/// <summary>
/// Durable host state (state.db, or PostgreSQL later): WebDAV dead properties and named secrets. Implementations must keep every write in a committed transaction.
/// Opened by <see cref="StateStoreFactory"/>.
/// </summary>
public interface IStateStore : IDeadPropertyStore, ISecretStore, IMountTokenStore, IAsyncDisposable
{
}

/// <summary>Each mount's tokens, keyed by mount path. Saving commits before it returns.</summary>
public interface IMountTokenStore
{
    Task<StoredTokens?> LoadTokensAsync(string mountPath, CancellationToken cancellationToken);

    Task SaveTokensAsync(string mountPath, StoredTokens tokens, CancellationToken cancellationToken);
}

/// <summary>One mount's view of <see cref="IMountTokenStore"/>, handed to its driver.</summary>
public sealed class MountTokenStore : ITokenStore
{
    private readonly IMountTokenStore _store;
    private readonly string _mountPath;

    public MountTokenStore(IMountTokenStore store, string mountPath)
    {
        _store = store;
        _mountPath = mountPath;
    }

    public Task<StoredTokens?> LoadAsync(CancellationToken cancellationToken) => _store.LoadTokensAsync(_mountPath, cancellationToken);

    public Task SaveAsync(StoredTokens tokens, CancellationToken cancellationToken) => _store.SaveTokensAsync(_mountPath, tokens, cancellationToken);
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
