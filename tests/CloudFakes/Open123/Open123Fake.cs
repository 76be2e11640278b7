using System.Globalization;
using System.Security.Cryptography;
using OpenList.DriverHost.CloudFakes.Open123;
using OpenList.DriverHost.CloudFakes.Shared;

namespace OpenList.DriverHost.CloudFakes;

/// <summary>
/// The 123 Open fake (specs/cloud-apis.md §3, §5, §6): accounts with integer file ids, developer client
/// credentials (<c>/api/v1/access_token</c>, at most three live tokens per client), OAuth tokens renewed through
/// the online-API relay route <c>/123cloud/renewapi</c>, and the knobs tests turn. Endpoints live in the Open123 folder.
/// </summary>
public sealed class Open123Fake
{
    internal const string Provider = "123open";

    /// <summary>Documented: at most three tokens of one client_id are live at once; a fourth issue kicks the oldest offline.</summary>
    public const int MaxLiveDeveloperTokens = 3;

    /// <summary>The scope the relay asks for (online-api-relay.md §3.4); <c>/auth</c> accepts these three only.</summary>
    public const string OAuthScope = "user:base,file:all:read,file:all:write";

    private readonly Dictionary<string, Open123Client> clients = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Open123OAuthClient> oauthClients = new(StringComparer.Ordinal);
    private readonly List<Open123Account> accounts = [];
    private readonly List<(int SliceNo, int Remaining, int Status)> sliceFailureRules = [];
    private readonly Dictionary<string, double?> rateLimitOverrides = new(StringComparer.Ordinal);
    private readonly bool enforceRateLimits;
    private long nextFileId = 10_000_000;
    private long nextUid = 1_814_000_000;
    private int relayRefreshCount;
    private int oauthTokenCount;
    private int developerTokenCount;
    private int developerTokensKicked;

    internal Open123Fake(TimeProvider time, bool enforceRateLimits, TempStorage temp, FaultInjector faults)
    {
        Time = time;
        Temp = temp;
        Faults = faults;
        this.enforceRateLimits = enforceRateLimits;
        Tokens = new Open123TokenStore(time);
        Codes = new AuthorizationCodes(time);
        Limiter = new TokenBucketLimiter(time);
        RelayClientId = "relay123" + RandomToken(8);
        RelayClientSecret = RandomToken(16);
        RegisterOAuthClient(RelayClientId, RelayClientSecret);
    }

    /// <summary>
    /// The relay's built-in OAuth app (cloud123_uid / cloud123_key, registered automatically, any redirect_uri):
    /// <see cref="IssueRelayTokens"/> issues to it and <c>/123cloud/renewapi</c> refreshes with it.
    /// </summary>
    public string RelayClientId { get; }

    public string RelayClientSecret { get; }

    /// <summary>The user the auto-approving <c>/auth</c> consent page acts for; null = the first account created.</summary>
    public Open123Account? AuthorizingAccount { get; set; }

    /// <summary>When false, <c>/auth</c> redirects with <c>error=access_denied</c> (the user clicked "deny").</summary>
    public bool AutoApproveAuthorization
    {
        get => Consent.AutoApprove;
        set => Consent.AutoApprove = value;
    }

    /// <summary>Lifetime of OAuth access tokens handed out by the relay (the relay answers it as <c>expires_in</c>). Default 7200 s.</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromSeconds(7200);

    /// <summary>Documented: developer tokens from <c>/api/v1/access_token</c> are valid 30 days.</summary>
    public TimeSpan DeveloperTokenLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Documented: OAuth refresh tokens are single-use and valid 90 days.</summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(90);

    /// <summary>When set, the relay answers this <c>expires_in</c> instead of the real lifetime (0 or negative to test a client's check).</summary>
    public long? RelayExpiresInOverride { get; set; }

    /// <summary>When true, the relay leaves <c>expires_in</c> out (as the real relay does when upstream sent none).</summary>
    public bool RelayOmitsExpiresIn { get; set; }

    public RelayErrorShape RelayErrorShape { get; set; } = RelayErrorShape.TextString;

    /// <summary>The <c>sliceSize</c> create answers (default 16 MiB, as the real service usually does).</summary>
    public long SliceSize { get; set; } = 16L << 20;

    /// <summary>How many upload_complete calls answer <c>completed:false</c> before the one that completes (default 2).</summary>
    public int CompletePollsBeforeDone { get; set; } = 2;

    /// <summary>How long download_info links stay valid (default 1 hour; UNCERTAIN, the real lifetime is undocumented).</summary>
    public TimeSpan DownloadLinkLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Documented: a developer may upload at most 10 GB per file (create answers code 1 above it).</summary>
    public long MaxUploadSize { get; set; } = 10L << 30;

    /// <summary>Successful token fetches: relay renewals, <c>/api/v1/oauth2/access_token</c> grants and developer tokens.</summary>
    public int RefreshCount => RelayRefreshCount + OAuthTokenCount + DeveloperTokenCount;

    /// <summary>Successful <c>/api/v1/oauth2/access_token</c> calls (code exchanges and refreshes).</summary>
    public int OAuthTokenCount => Volatile.Read(ref oauthTokenCount);

    /// <summary>Successful renewals through <c>/123cloud/renewapi</c>.</summary>
    public int RelayRefreshCount => Volatile.Read(ref relayRefreshCount);

    /// <summary>Tokens issued by <c>/api/v1/access_token</c> (and <see cref="IssueDeveloperToken"/>).</summary>
    public int DeveloperTokenCount => Volatile.Read(ref developerTokenCount);

    /// <summary>Developer tokens kicked offline because a fourth one was issued for the same client (all clients).</summary>
    public int DeveloperTokensKicked => Volatile.Read(ref developerTokensKicked);

    /// <summary>Every access and refresh token ever issued (tests grep logs and files for them).</summary>
    public IReadOnlyCollection<string> AllIssuedTokens => Tokens.AllIssued;

    /// <summary>The <c>servers[0]</c> create hands out: a separate base path on the fake's own URL (no trailing slash).</summary>
    public Uri UploadServer => new(BaseUrl, Open123Routes.UploadServerPath.TrimStart('/'));

    internal Lock Gate { get; } = new();

    internal TimeProvider Time { get; }

    internal TempStorage Temp { get; }

    internal FaultInjector Faults { get; }

    internal Open123TokenStore Tokens { get; }

    internal AuthorizationCodes Codes { get; }

    internal ConsentPage Consent { get; } = new();

    internal TokenBucketLimiter Limiter { get; }

    internal LinkSigner DownloadLinks { get; } = new();

    internal Dictionary<string, Open123UploadSession> Uploads { get; } = new(StringComparer.Ordinal);

    /// <summary>Set once the server listens; links and the upload server point here.</summary>
    internal Uri BaseUrl { get; set; } = new("http://127.0.0.1/");

    /// <summary>A new user with an empty tree (root fileId 0).</summary>
    public Open123Account CreateAccount(string? name = null)
    {
        lock (Gate)
        {
            var account = new Open123Account(this, ++nextUid, name ?? "user" + accounts.Count.ToString(CultureInfo.InvariantCulture));
            accounts.Add(account);
            return account;
        }
    }

    /// <summary>
    /// Registers developer credentials (clientID / clientSecret for <c>/api/v1/access_token</c>). Developer keys
    /// are bound to the developer's own account: <paramref name="owner"/>, or a new account when null. Returns the owner.
    /// </summary>
    public Open123Account RegisterClient(string clientId, string clientSecret, Open123Account? owner = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        ArgumentException.ThrowIfNullOrEmpty(clientSecret);
        owner ??= CreateAccount();
        lock (Gate)
        {
            clients[clientId] = new Open123Client(clientId, clientSecret, owner);
        }

        return owner;
    }

    /// <summary>
    /// An OAuth token pair for the account as the relay's built-in app would hold it (what a user pastes into
    /// OpenList: the refresh token goes to <c>/123cloud/renewapi</c>).
    /// </summary>
    public Open123Tokens IssueRelayTokens(Open123Account account)
    {
        ArgumentNullException.ThrowIfNull(account);
        return Tokens.IssueOAuth(account.Uid, RelayClientId, AccessTokenLifetime, RefreshTokenLifetime);
    }

    /// <summary>
    /// Registers a third-party OAuth app (<c>/auth</c>, <c>/api/v1/oauth2/access_token</c>), separate from developer
    /// keys. <paramref name="redirectUris"/>: the exact redirect_uri values accepted (null or empty = any absolute http(s) URI).
    /// </summary>
    public void RegisterOAuthClient(string clientId, string clientSecret, IEnumerable<string>? redirectUris = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        ArgumentException.ThrowIfNullOrEmpty(clientSecret);
        lock (Gate)
        {
            oauthClients[clientId] = new Open123OAuthClient(clientSecret, redirectUris?.ToList() ?? []);
        }
    }

    /// <summary>The next <c>/auth</c> redirects with <c>error=access_denied</c> (once per call).</summary>
    public void DenyNextAuthorization() => Consent.DenyNext();

    /// <summary>
    /// The next OAuth pair issued (code exchange, refresh, relay renewal or <see cref="IssueRelayTokens"/>) uses these
    /// values (null keeps a random one); they then work as real tokens of that account. Values must be new.
    /// </summary>
    public void NextTokens(string? accessToken, string? refreshToken) => Tokens.Next.Set(accessToken, refreshToken, Tokens.Knows);

    /// <summary>A developer token for the client exactly as <c>/api/v1/access_token</c> issues it (the three-live-tokens rule applies).</summary>
    public string IssueDeveloperToken(string clientId) => IssueDeveloperTokenCore(clientId).AccessToken;

    /// <summary>The client's developer tokens that are neither expired nor kicked, oldest first.</summary>
    public IReadOnlyList<string> LiveDeveloperTokens(string clientId) => Tokens.LiveDeveloperTokens(clientId);

    /// <summary>Every access token issued so far (developer and OAuth) answers code 401 from now on.</summary>
    public void ExpireAccessTokensNow() => Tokens.ExpireAccessTokensNow();

    /// <summary>Every refresh token issued so far is refused by the relay.</summary>
    public void RevokeAllRefreshTokens() => Tokens.RevokeAllRefresh();

    /// <summary>The refresh token is refused by the relay from now on.</summary>
    public void RevokeRefreshToken(string refreshToken)
    {
        if (!Tokens.RevokeRefresh(refreshToken))
        {
            throw new ArgumentException("Unknown refresh token.", nameof(refreshToken));
        }
    }

    /// <summary>Every download_info link handed out so far answers 403.</summary>
    public void ExpireLinksNow() => DownloadLinks.InvalidateAll();

    /// <summary>
    /// The next <paramref name="count"/> uploads of slice number <paramref name="sliceNo"/> (any upload) fail before
    /// the slice is stored: <paramref name="status"/> ≥ 500 answers that HTTP status, anything else answers
    /// HTTP 200 with <c>code</c> = <paramref name="status"/>. Both carry the JSON envelope.
    /// </summary>
    public void FailSlice(int sliceNo, int count, int status = 500)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sliceNo, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (Gate)
        {
            sliceFailureRules.Add((sliceNo, count, status));
        }
    }

    /// <summary>
    /// Overrides the server QPS for one API path (e.g. "/api/v2/file/list"); null restores the documented
    /// default. Only applies when <see cref="FakeCloudOptions.EnforceRateLimits"/> is on. Buckets restart full.
    /// </summary>
    public void SetRateLimit(string apiPath, double? queriesPerSecond)
    {
        ArgumentException.ThrowIfNullOrEmpty(apiPath);
        if (queriesPerSecond is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(queriesPerSecond), "A rate limit must be positive.");
        }

        lock (Gate)
        {
            rateLimitOverrides[apiPath] = queriesPerSecond;
        }

        Limiter.Reset();
    }

    internal Open123Client? FindClient(string clientId)
    {
        lock (Gate)
        {
            return clients.GetValueOrDefault(clientId);
        }
    }

    internal Open123OAuthClient? FindOAuthClient(string clientId)
    {
        lock (Gate)
        {
            return oauthClients.GetValueOrDefault(clientId);
        }
    }

    /// <summary>The account the consent page acts for (null when there is none).</summary>
    internal Open123Account? DefaultAccount()
    {
        lock (Gate)
        {
            return AuthorizingAccount ?? accounts.FirstOrDefault();
        }
    }

    internal void CountOAuthToken() => Interlocked.Increment(ref oauthTokenCount);

    internal Open123Account? FindAccount(long uid)
    {
        lock (Gate)
        {
            return accounts.Find(a => a.Uid == uid);
        }
    }

    /// <summary>Call under <see cref="Gate"/>.</summary>
    internal IEnumerable<Open123Account> Accounts => accounts;

    /// <summary>Call under <see cref="Gate"/>.</summary>
    internal Open123Account? FindAccountLocked(long uid) => accounts.Find(a => a.Uid == uid);

    /// <summary>Call under <see cref="Gate"/>.</summary>
    internal long NewFileId() => ++nextFileId;

    internal Open123DeveloperToken IssueDeveloperTokenCore(string clientId)
    {
        var client = FindClient(clientId) ?? throw new ArgumentException($"Client '{clientId}' is not registered.", nameof(clientId));
        var issued = Tokens.IssueDeveloper(client, DeveloperTokenLifetime, MaxLiveDeveloperTokens, out var kicked);
        Interlocked.Increment(ref developerTokenCount);
        Interlocked.Add(ref developerTokensKicked, kicked);
        return issued;
    }

    internal void CountRelayRefresh() => Interlocked.Increment(ref relayRefreshCount);

    /// <summary>Takes a slice failure rule for the slice, if one is pending.</summary>
    internal int? TakeSliceFailure(int sliceNo)
    {
        lock (Gate)
        {
            var index = sliceFailureRules.FindIndex(r => r.SliceNo == sliceNo && r.Remaining > 0);
            if (index < 0)
            {
                return null;
            }

            var rule = sliceFailureRules[index];
            sliceFailureRules[index] = rule with { Remaining = rule.Remaining - 1 };
            return rule.Status;
        }
    }

    /// <summary>Applies the server QPS of <paramref name="apiPath"/> to <paramref name="key"/> (a uid or client id), or throws code 429.</summary>
    internal void TakeRateLimit(string key, string apiPath, bool vip)
    {
        if (!enforceRateLimits)
        {
            return;
        }

        double? qps;
        lock (Gate)
        {
            qps = rateLimitOverrides.TryGetValue(apiPath, out var overridden) && overridden is not null
                ? overridden
                : Open123RateLimits.Default(apiPath, vip);
        }

        if (qps is { } perSecond && !Limiter.TryTake(key, Provider, apiPath, perSecond, Math.Max(1, perSecond), out _))
        {
            throw Open123Errors.TooManyRequests();
        }
    }

    internal static string RandomToken(int bytes) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(bytes));

    internal sealed record Open123Client(string ClientId, string ClientSecret, Open123Account Owner);

    internal sealed record Open123OAuthClient(string Secret, IReadOnlyList<string> RedirectUris);
}

/// <summary>An OAuth token pair (relay mode, <c>/api/v1/oauth2/access_token</c>).</summary>
public sealed record Open123Tokens(string AccessToken, string RefreshToken, long ExpiresIn)
{
    /// <summary>The granted scope (comma-separated, as requested at <c>/auth</c>).</summary>
    public string Scope { get; init; } = Open123Fake.OAuthScope;
}

/// <summary>
/// The server's documented per-API QPS (specs/cloud-apis.md §3.7, free / VIP). APIs without a documented limit are not limited.
/// </summary>
internal static class Open123RateLimits
{
    public static double? Default(string apiPath, bool vip) => apiPath switch
    {
        "/api/v1/user/info" => 10,
        "/api/v1/file/move" => vip ? 10 : 3,
        "/api/v1/file/delete" => vip ? 10 : 1,
        "/api/v1/file/list" => vip ? 10 : 0.2,
        "/api/v2/file/list" => vip ? 10 : 5,
        "/upload/v1/file/mkdir" => vip ? 20 : 5,
        "/api/v1/access_token" => vip ? 10 : 8,
        _ => null,
    };
}
