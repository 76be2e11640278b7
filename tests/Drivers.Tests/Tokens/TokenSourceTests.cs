using Microsoft.Extensions.Logging.Abstractions;
using OpenList.DriverHost.Drivers.Errors;
using OpenList.DriverHost.Drivers.Tests.TestSupport;
using OpenList.DriverHost.Drivers.Tokens;

namespace OpenList.DriverHost.Drivers.Tests.Tokens;

public sealed class TokenSourceTests
{
    private readonly ManualClock _clock = new();
    private readonly RecordingStore _store = new();
    private int _calls;

    private TokenSource Create(string? access = "old-access", string? refresh = "rt-0", TokenRefresher? refresher = null, DateTimeOffset? readExpiry = null) =>
        new(
            new TokenSourceOptions
            {
                MountPath = "/aliyun",
                Provider = "Aliyun",
                Store = _store,
                ConfiguredAccessToken = access,
                ConfiguredRefreshToken = refresh,
                Refresher = refresher ?? Rotate,
                ReadExpiry = readExpiry is null ? null : _ => readExpiry,
            },
            _clock,
            NullLogger.Instance);

    /// <summary>A provider that rotates: rt-n → (access-n+1, rt-n+1), valid one hour, slow enough for callers to pile up.</summary>
    private async Task<TokenSet> Rotate(string refreshToken, CancellationToken ct)
    {
        var n = Interlocked.Increment(ref _calls);
        await Task.Delay(50, ct);
        Assert.Equal("rt-" + (n - 1), refreshToken);
        return new TokenSet("access-" + n, "rt-" + n, _clock.GetUtcNow().AddHours(1));
    }

    [Fact]
    public async Task Hundred_callers_with_a_missing_access_token_cause_exactly_one_refresh()
    {
        var source = Create(access: null);
        var tokens = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Task.Run(() => source.GetAccessTokenAsync(CancellationToken.None))));
        Assert.All(tokens, t => Assert.Equal("access-1", t));
        Assert.Equal(1, _calls);
        Assert.Equal(1, source.RefreshCount);
    }

    [Fact]
    public async Task Concurrent_rejections_of_the_same_token_refresh_once_and_later_rejections_of_the_old_token_do_not_refresh_again()
    {
        var source = Create();
        Assert.Equal("old-access", await source.GetAccessTokenAsync(CancellationToken.None));
        var renewed = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => source.RefreshAfterRejectionAsync("old-access", CancellationToken.None))));
        Assert.All(renewed, t => Assert.Equal("access-1", t));
        Assert.Equal("access-1", await source.RefreshAfterRejectionAsync("old-access", CancellationToken.None));
        Assert.Equal(1, _calls);

        Assert.Equal("access-2", await source.RefreshAfterRejectionAsync("access-1", CancellationToken.None));
        Assert.Equal(2, _calls);
    }

    [Fact]
    public async Task The_rotated_refresh_token_is_saved_before_the_new_access_token_is_handed_out()
    {
        var source = Create(access: null);
        _store.OnSave = saved => Assert.Equal(0, _store.HandedOut);
        var token = await source.GetAccessTokenAsync(CancellationToken.None);
        _store.HandedOut++;
        Assert.Equal("access-1", token);
        Assert.Equal("rt-1", _store.Current!.RefreshToken);
        Assert.Equal("access-1", _store.Current.AccessToken);
        Assert.Equal("rt-0", _store.Current.ConfiguredRefreshToken);
    }

    [Fact]
    public async Task A_restart_uses_the_stored_rotated_token_while_drivers_json_still_holds_the_old_one()
    {
        var first = Create(access: null);
        await first.GetAccessTokenAsync(CancellationToken.None);

        var second = Create(access: null);
        Assert.Equal("access-1", await second.GetAccessTokenAsync(CancellationToken.None));
        Assert.Equal("access-2", await second.RefreshAfterRejectionAsync("access-1", CancellationToken.None));
        Assert.Equal("rt-2", _store.Current!.RefreshToken);
    }

    [Fact]
    public async Task A_new_token_typed_into_drivers_json_wins_over_the_stored_one()
    {
        await _store.SaveAsync(new StoredTokens("stored-access", "rt-stored", null, "typed-long-ago", "rt-typed-long-ago"), CancellationToken.None);
        var source = Create(access: "fresh-paste", refresh: "rt-0");
        Assert.Equal("fresh-paste", await source.GetAccessTokenAsync(CancellationToken.None));
        Assert.Equal("rt-0", _store.Current!.RefreshToken);
        Assert.Equal("rt-0", _store.Current.ConfiguredRefreshToken);
    }

    [Fact]
    public async Task An_unchanged_drivers_json_keeps_the_stored_tokens()
    {
        await _store.SaveAsync(new StoredTokens("stored-access", "rt-stored", null, "old-access", "rt-0"), CancellationToken.None);
        var source = Create();
        Assert.Equal("stored-access", await source.GetAccessTokenAsync(CancellationToken.None));
    }

    [Fact]
    public async Task An_access_token_about_to_expire_is_renewed_before_use()
    {
        var source = Create(readExpiry: _clock.GetUtcNow().AddMinutes(2));
        Assert.Equal("access-1", await source.GetAccessTokenAsync(CancellationToken.None));

        _clock.Advance(TimeSpan.FromMinutes(50));
        Assert.Equal("access-1", await source.GetAccessTokenAsync(CancellationToken.None));
        _clock.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal("access-2", await source.GetAccessTokenAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_rejected_refresh_token_becomes_an_AuthExpired_error_naming_the_code_and_the_fix_and_is_not_retried_at_once()
    {
        var attempts = 0;
        var source = Create(access: null, refresher: (_, _) =>
        {
            attempts++;
            throw new TokenRefreshRejectedException("RefreshTokenExpired");
        });

        var ex = await Assert.ThrowsAsync<StorageException>(() => source.GetAccessTokenAsync(CancellationToken.None));
        Assert.Equal(StorageErrorKind.AuthExpired, ex.Kind);
        Assert.Equal("refresh token rejected by Aliyun (RefreshTokenExpired); re-authorize and paste a new refresh token", ex.Message);

        await Assert.ThrowsAsync<StorageException>(() => source.GetAccessTokenAsync(CancellationToken.None));
        Assert.Equal(1, attempts);

        _clock.Advance(TimeSpan.FromMinutes(2));
        await Assert.ThrowsAsync<StorageException>(() => source.GetAccessTokenAsync(CancellationToken.None));
        Assert.Equal(2, attempts);
    }

    [Fact]
    public async Task A_network_failure_during_refresh_is_Unavailable_and_the_next_call_tries_again()
    {
        var attempts = 0;
        var source = Create(access: null, refresher: (rt, ct) =>
        {
            if (++attempts == 1)
            {
                throw new HttpRequestException("connection refused");
            }

            return Task.FromResult(new TokenSet("a", "rt-1", null));
        });

        var ex = await Assert.ThrowsAsync<StorageException>(() => source.GetAccessTokenAsync(CancellationToken.None));
        Assert.Equal(StorageErrorKind.Unavailable, ex.Kind);
        Assert.Equal("a", await source.GetAccessTokenAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_caller_that_gives_up_does_not_cancel_the_refresh_so_a_rotated_token_is_never_lost()
    {
        var release = new TaskCompletionSource();
        var source = Create(access: null, refresher: async (_, _) =>
        {
            await release.Task;
            return new TokenSet("a-1", "rt-1", null);
        });

        using var cts = new CancellationTokenSource();
        var waiting = source.GetAccessTokenAsync(cts.Token);
        await Task.Delay(20);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);

        release.SetResult();
        Assert.Equal("a-1", await source.GetAccessTokenAsync(CancellationToken.None));
        Assert.Equal("rt-1", _store.Current!.RefreshToken);
    }

    [Fact]
    public async Task Pasted_tokens_without_a_refresher_report_what_to_do_when_the_access_token_is_missing()
    {
        var source = new TokenSource(
            new TokenSourceOptions { MountPath = "/m", Provider = "Aliyun", Store = _store, ConfiguredAccessToken = "" },
            _clock,
            NullLogger.Instance);
        var ex = await Assert.ThrowsAsync<StorageException>(() => source.GetAccessTokenAsync(CancellationToken.None));
        Assert.Equal(StorageErrorKind.AuthExpired, ex.Kind);
        Assert.Contains("paste a new token", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_credentials_refresher_runs_without_a_refresh_token_and_its_token_is_kept_across_restarts()
    {
        // RenewsWithoutRefreshToken (123's developer token): nothing to rotate, and a second instance over the same
        // store uses the saved token instead of asking for another one.
        var minted = new List<string>();
        TokenSource Credentials() => new(
            new TokenSourceOptions
            {
                MountPath = "/123",
                Provider = "123",
                Store = _store,
                Refresher = (refreshToken, _) =>
                {
                    minted.Add(refreshToken);
                    return Task.FromResult(new TokenSet("dev-" + minted.Count, "", _clock.GetUtcNow().AddDays(30)));
                },
                RenewsWithoutRefreshToken = true,
            },
            _clock,
            NullLogger.Instance);

        Assert.Equal("dev-1", await Credentials().GetAccessTokenAsync(CancellationToken.None));
        Assert.Equal("dev-1", await Credentials().GetAccessTokenAsync(CancellationToken.None));
        Assert.Equal([""], minted);
        Assert.Null(_store.Current!.RefreshToken);
        Assert.Equal("dev-2", await Credentials().RefreshAfterRejectionAsync("dev-1", CancellationToken.None));
    }

    [Fact]
    public async Task Rejected_client_credentials_are_named_as_such()
    {
        var source = new TokenSource(
            new TokenSourceOptions
            {
                MountPath = "/123",
                Provider = "123",
                Store = _store,
                Refresher = (_, _) => throw new TokenRefreshRejectedException("get access token failed: bad secret"),
                RenewsWithoutRefreshToken = true,
                ReauthorizeHint = "check ClientID and ClientSecret",
            },
            _clock,
            NullLogger.Instance);

        var ex = await Assert.ThrowsAsync<StorageException>(() => source.GetAccessTokenAsync(CancellationToken.None));
        Assert.Equal(StorageErrorKind.AuthExpired, ex.Kind);
        Assert.Equal("credentials rejected by 123 (get access token failed: bad secret); check ClientID and ClientSecret", ex.Message);
    }

    private sealed class RecordingStore : ITokenStore
    {
        public StoredTokens? Current { get; private set; }

        public Action<StoredTokens>? OnSave { get; set; }

        public int HandedOut { get; set; }

        public Task<StoredTokens?> LoadAsync(CancellationToken cancellationToken) => Task.FromResult(Current);

        public Task SaveAsync(StoredTokens tokens, CancellationToken cancellationToken)
        {
            OnSave?.Invoke(tokens);
            Current = tokens;
            return Task.CompletedTask;
        }
    }
}
