using Microsoft.Extensions.Logging;
using OpenList.DriverHost.Drivers.Diagnostics;
using OpenList.DriverHost.Drivers.Errors;

namespace OpenList.DriverHost.Drivers.Tokens;

/// <summary>
/// One mount's access token: loaded from the state store (drivers.json wins when the user typed a new token),
/// renewed before it expires or after the provider rejects it, one renewal at a time however many requests need
/// it. A renewal runs detached from the request that started it, so a client hanging up cannot lose a rotated
/// refresh token, and the rotated token is saved durably before the new access token is handed out.
/// </summary>
public sealed partial class TokenSource
{
    private readonly TokenSourceOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private TokenState? _state;
    private Task<TokenState>? _inflight;
    private Task<TokenState>? _loading;
    private (string Code, DateTimeOffset At)? _rejected;
    private int _refreshCount;

    public TokenSource(TokenSourceOptions options, TimeProvider time, ILogger logger)
    {
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>Successful renewals made by this instance.</summary>
    public int RefreshCount => Volatile.Read(ref _refreshCount);

    /// <summary>A usable access token, renewing first when it is missing or about to expire.</summary>
    public async Task<string> GetAccessTokenAsync(CancellationToken cancellationToken)
    {
        var state = await LoadAsync(cancellationToken).ConfigureAwait(false);
        if (!NeedsRefresh(state))
        {
            return state.AccessToken!;
        }

        return (await RefreshSharedAsync(rejected: null).WaitAsync(cancellationToken).ConfigureAwait(false)).AccessToken!;
    }

    /// <summary>
    /// The provider rejected <paramref name="rejectedAccessToken"/>: renew unless another caller already did, and
    /// return the token to retry with (once).
    /// </summary>
    public async Task<string> RefreshAfterRejectionAsync(string rejectedAccessToken, CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken).ConfigureAwait(false);
        return (await RefreshSharedAsync(rejectedAccessToken).WaitAsync(cancellationToken).ConfigureAwait(false)).AccessToken!;
    }

    private bool NeedsRefresh(TokenState state) =>
        string.IsNullOrEmpty(state.AccessToken)
        || (state.ExpiresAt is { } expires && expires - _options.RefreshBeforeExpiry <= _time.GetUtcNow());

    private Task<TokenState> RefreshSharedAsync(string? rejected)
    {
        lock (_gate)
        {
            if (_inflight is { IsCompleted: false } running)
            {
                return running;
            }

            var state = _state!;
            var alreadyRenewed = rejected is not null && !string.IsNullOrEmpty(state.AccessToken) && !string.Equals(state.AccessToken, rejected, StringComparison.Ordinal);
            if (alreadyRenewed || (rejected is null && !NeedsRefresh(state)))
            {
                return Task.FromResult(state);
            }

            if (_rejected is { } r && _time.GetUtcNow() - r.At < _options.RetryRejectedAfter)
            {
                return Task.FromException<TokenState>(Rejected(r.Code));
            }

            _inflight = Task.Run(() => RefreshCoreAsync(state));
            return _inflight;
        }
    }

    private async Task<TokenState> RefreshCoreAsync(TokenState current)
    {
        if (_options.Refresher is null || (string.IsNullOrEmpty(current.RefreshToken) && !_options.RenewsWithoutRefreshToken))
        {
            throw new StorageException(
                StorageErrorKind.AuthExpired,
                $"the access token for {_options.Provider} is missing or expired and no refresh token is configured; {_options.MissingTokenHint}");
        }

        using var timeout = new CancellationTokenSource(_options.RefreshTimeout, _time);
        TokenSet fresh;
        try
        {
            fresh = await _options.Refresher(current.RefreshToken ?? string.Empty, timeout.Token).ConfigureAwait(false);
        }
        catch (TokenRefreshRejectedException ex)
        {
            lock (_gate)
            {
                _rejected = (ex.ProviderCode, _time.GetUtcNow());
            }

            LogRejected(_logger, _options.MountPath, _options.Provider, ex.ProviderCode);
            DriverHostMetrics.TokenRefresh(_options.Provider, "rejected");
            throw Rejected(ex.ProviderCode);
        }
        catch (StorageException)
        {
            throw;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
        {
            LogFailed(_logger, _options.MountPath, _options.Provider, ex.GetType().Name);
            DriverHostMetrics.TokenRefresh(_options.Provider, "failed");
            throw new StorageException(StorageErrorKind.Unavailable, $"could not renew the {_options.Provider} access token: {(ex is OperationCanceledException ? "timed out" : "provider unreachable")}", TimeSpan.FromSeconds(10), ex);
        }

        var next = current with
        {
            AccessToken = fresh.AccessToken,
            RefreshToken = string.IsNullOrEmpty(fresh.RefreshToken) ? current.RefreshToken : fresh.RefreshToken,
            ExpiresAt = fresh.ExpiresAt ?? _options.ReadExpiry?.Invoke(fresh.AccessToken),
        };

        // Saved before anyone may use the new access token: a crash after this point still has the rotated refresh token.
        await _options.Store.SaveAsync(next.ToStored(), CancellationToken.None).ConfigureAwait(false);
        lock (_gate)
        {
            _state = next;
            _rejected = null;
        }

        Interlocked.Increment(ref _refreshCount);
        DriverHostMetrics.TokenRefresh(_options.Provider, "ok");
        LogRefreshed(_logger, _options.MountPath, _options.Provider, next.ExpiresAt);
        return next;
    }

    private StorageException Rejected(string code) => new(
        StorageErrorKind.AuthExpired,
        $"{(_options.RenewsWithoutRefreshToken ? "credentials" : "refresh token")} rejected by {_options.Provider} ({code}); {_options.ReauthorizeHint}");

    private Task<TokenState> LoadAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _state) is { } loaded)
        {
            return Task.FromResult(loaded);
        }

        lock (_gate)
        {
            if (_loading is null || _loading.IsFaulted || _loading.IsCanceled)
            {
                _loading = Task.Run(LoadCoreAsync);
            }

            return _loading.WaitAsync(cancellationToken);
        }
    }

    private async Task<TokenState> LoadCoreAsync()
    {
        var stored = await _options.Store.LoadAsync(CancellationToken.None).ConfigureAwait(false);
        var state = Reconcile(stored);
        if (stored is null || state.ToStored() != stored)
        {
            await _options.Store.SaveAsync(state.ToStored(), CancellationToken.None).ConfigureAwait(false);
        }

        lock (_gate)
        {
            _state = state;
        }

        return state;
    }

    /// <summary>The state store's tokens, unless drivers.json holds tokens the store has not seen from it (the user re-authorised).</summary>
    private TokenState Reconcile(StoredTokens? stored)
    {
        var configuredAccess = Blank(_options.ConfiguredAccessToken);
        var configuredRefresh = Blank(_options.ConfiguredRefreshToken);
        var fromConfig = new TokenState(configuredAccess, configuredRefresh, configuredAccess is null ? null : _options.ReadExpiry?.Invoke(configuredAccess), configuredAccess, configuredRefresh);
        if (stored is null)
        {
            return fromConfig;
        }

        var userChangedRefresh = configuredRefresh is not null && !string.Equals(configuredRefresh, stored.ConfiguredRefreshToken, StringComparison.Ordinal);
        var userChangedAccess = configuredAccess is not null && !string.Equals(configuredAccess, stored.ConfiguredAccessToken, StringComparison.Ordinal);
        if (userChangedRefresh || userChangedAccess)
        {
            LogConfigWins(_logger, _options.MountPath);
            return new TokenState(
                configuredAccess ?? (userChangedRefresh ? null : stored.AccessToken),
                configuredRefresh ?? stored.RefreshToken,
                configuredAccess is not null ? fromConfig.ExpiresAt : userChangedRefresh ? null : stored.ExpiresAt,
                configuredAccess,
                configuredRefresh);
        }

        return new TokenState(stored.AccessToken, stored.RefreshToken, stored.ExpiresAt, configuredAccess, configuredRefresh);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private sealed record TokenState(string? AccessToken, string? RefreshToken, DateTimeOffset? ExpiresAt, string? ConfiguredAccess, string? ConfiguredRefresh)
    {
        public StoredTokens ToStored() => new(AccessToken, RefreshToken, ExpiresAt, ConfiguredAccess, ConfiguredRefresh);
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "{MountPath}: {Provider} access token renewed (expires {ExpiresAt})")]
    private static partial void LogRefreshed(ILogger logger, string mountPath, string provider, DateTimeOffset? expiresAt);

    [LoggerMessage(EventId = 201, Level = LogLevel.Error, Message = "{MountPath}: {Provider} rejected the refresh token ({Code}); the user must re-authorize")]
    private static partial void LogRejected(ILogger logger, string mountPath, string provider, string code);

    [LoggerMessage(EventId = 202, Level = LogLevel.Warning, Message = "{MountPath}: renewing the {Provider} access token failed ({Reason})")]
    private static partial void LogFailed(ILogger logger, string mountPath, string provider, string reason);

    [LoggerMessage(EventId = 203, Level = LogLevel.Information, Message = "{MountPath}: drivers.json holds tokens the state store has not seen; using them (re-authorized)")]
    private static partial void LogConfigWins(ILogger logger, string mountPath);
}
