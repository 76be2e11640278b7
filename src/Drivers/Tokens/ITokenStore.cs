namespace OpenList.DriverHost.Drivers.Tokens;

/// <summary>Durable storage for one mount's tokens (the host's state store, keyed by mount path).</summary>
public interface ITokenStore
{
    /// <summary>The saved tokens, or null when none were ever saved for this mount.</summary>
    Task<StoredTokens?> LoadAsync(CancellationToken cancellationToken);

    /// <summary>Saves durably: when this returns, the tokens survive a crash (transaction committed).</summary>
    Task SaveAsync(StoredTokens tokens, CancellationToken cancellationToken);
}

/// <summary>A process-local store, for tests and for hosts without a state store.</summary>
public sealed class InMemoryTokenStore : ITokenStore
{
    private StoredTokens? _tokens;

    public Task<StoredTokens?> LoadAsync(CancellationToken cancellationToken) => Task.FromResult(Volatile.Read(ref _tokens));

    public Task SaveAsync(StoredTokens tokens, CancellationToken cancellationToken)
    {
        Volatile.Write(ref _tokens, tokens);
        return Task.CompletedTask;
    }
}
