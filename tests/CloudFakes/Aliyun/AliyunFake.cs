using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using OpenList.DriverHost.CloudFakes.Aliyun;
using OpenList.DriverHost.CloudFakes.Shared;

namespace OpenList.DriverHost.CloudFakes;

/// <summary>
/// The Aliyundrive Open fake (specs/cloud-apis.md §2): client registration, accounts with three drives each,
/// JWT tokens with rotation, and the knobs tests turn. Endpoints live in the Aliyun folder.
/// </summary>
public sealed class AliyunFake
{
    internal const string Provider = "aliyun";

    private readonly Dictionary<string, AliyunClient> clients = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AliyunDrive> drives = new(StringComparer.Ordinal);
    private readonly List<AliyunAccount> accounts = [];
    private readonly bool enforceRateLimits;
    private AliyunRateLimits rateLimits = new();
    private long nextId;
    private int refreshCount;

    internal AliyunFake(TimeProvider time, bool enforceRateLimits, TempStorage temp, FaultInjector faults)
    {
        Time = time;
        Faults = faults;
        Temp = temp;
        this.enforceRateLimits = enforceRateLimits;
        Tokens = new TokenRegistry(time, new JwtTokenFactory());
        Codes = new AuthorizationCodes(time);
        Limiter = new TokenBucketLimiter(time);
        RelayClientId = "relay" + RandomHex(16);
        RelayClientSecret = RandomHex(32);
        RegisterClient(RelayClientId, RelayClientSecret);
    }

    /// <summary>The online-API relay's built-in app (registered automatically); tokens for relay users are issued to it.</summary>
    public string RelayClientId { get; }

    public string RelayClientSecret { get; }

    public RelayErrorShape RelayErrorShape { get; set; } = RelayErrorShape.TextString;

    /// <summary>The user the auto-approving <c>/oauth/authorize</c> acts for; null = the first account created.</summary>
    public AliyunAccount? AuthorizingAccount { get; set; }

    /// <summary>When false, <c>/oauth/authorize</c> redirects with <c>error=access_denied</c> (the user clicked "deny").</summary>
    public bool AutoApproveAuthorization
    {
        get => Consent.AutoApprove;
        set => Consent.AutoApprove = value;
    }

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromSeconds(7200);

    /// <summary>Refresh tokens are single-use and valid 90 days (documented).</summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Settable at any time; buckets restart full when the limits change.</summary>
    public AliyunRateLimits RateLimits
    {
        get => Volatile.Read(ref rateLimits);
        set
        {
            Volatile.Write(ref rateLimits, value ?? throw new ArgumentNullException(nameof(value)));
            Limiter.Reset();
        }
    }

    /// <summary>Successful refreshes, through /oauth/access_token or the relay.</summary>
    public int RefreshCount => Volatile.Read(ref refreshCount);

    /// <summary>Every access and refresh token ever issued (tests grep logs and files for them).</summary>
    public IReadOnlyCollection<string> AllIssuedTokens => Tokens.AllIssued;

    internal Lock Gate { get; } = new();

    internal TimeProvider Time { get; }

    internal TempStorage Temp { get; }

    internal FaultInjector Faults { get; }

    internal TokenRegistry Tokens { get; }

    internal AuthorizationCodes Codes { get; }

    internal ConsentPage Consent { get; } = new();

    internal TokenBucketLimiter Limiter { get; }

    internal LinkSigner DownloadLinks { get; } = new();

    internal LinkSigner UploadLinks { get; } = new();

    /// <summary>Set once the server listens; signed links point here.</summary>
    internal Uri BaseUrl { get; set; } = new("http://127.0.0.1/");

    /// <summary>
    /// Registers an app. <paramref name="redirectUris"/>: the exact redirect_uri values <c>/oauth/authorize</c>
    /// accepts (null or empty = any absolute http(s) URI).
    /// </summary>
    public void RegisterClient(string clientId, string clientSecret, IEnumerable<string>? redirectUris = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        ArgumentException.ThrowIfNullOrEmpty(clientSecret);
        lock (Gate)
        {
            clients[clientId] = new AliyunClient(clientSecret, redirectUris?.ToList() ?? []);
        }
    }

    /// <summary>The next <c>/oauth/authorize</c> redirects with <c>error=access_denied</c> (once per call).</summary>
    public void DenyNextAuthorization() => Consent.DenyNext();

    /// <summary>
    /// The next token pair issued (code exchange, refresh, relay or <see cref="IssueTokens"/>) uses these values
    /// (null keeps a random one); they then work as real tokens of that account. Values must be new.
    /// </summary>
    public void NextTokens(string? accessToken, string? refreshToken) => Tokens.SetNext(accessToken, refreshToken);

    /// <summary>A new user with its default, resource and backup drives, each an empty tree.</summary>
    public AliyunAccount CreateAccount(string? name = null)
    {
        lock (Gate)
        {
            var userId = Hash("user", ++nextId)[..32];
            var driveByType = new Dictionary<string, AliyunDrive>(StringComparer.Ordinal);
            var account = new AliyunAccount(this, userId, name ?? "user" + accounts.Count.ToString(CultureInfo.InvariantCulture), driveByType);
            foreach (var driveType in AliyunAccount.DriveTypes)
            {
                var driveId = (100_000 + drives.Count + 1).ToString(CultureInfo.InvariantCulture);
                var drive = new AliyunDrive(driveId, driveType, account, new FileTree(NewFileId, Time));
                driveByType.Add(driveType, drive);
                drives.Add(driveId, drive);
            }

            accounts.Add(account);
            return account;
        }
    }

    public AliyunTokens IssueTokens(AliyunAccount account, string clientId)
    {
        ArgumentNullException.ThrowIfNull(account);
        lock (Gate)
        {
            if (!clients.ContainsKey(clientId))
            {
                throw new ArgumentException($"Client '{clientId}' is not registered.", nameof(clientId));
            }
        }

        return ToPublic(Tokens.Issue(account.UserId, clientId, AccessTokenLifetime, RefreshTokenLifetime));
    }

    /// <summary>Every access token issued so far answers AccessTokenExpired from now on.</summary>
    public void ExpireAccessTokensNow() => Tokens.ExpireAccessTokensNow();

    /// <summary>The refresh token answers RefreshTokenExpired from now on.</summary>
    public void RevokeRefreshToken(string refreshToken)
    {
        if (!Tokens.Revoke(refreshToken))
        {
            throw new ArgumentException("Unknown refresh token.", nameof(refreshToken));
        }
    }

    /// <summary>Every refresh token issued so far is refused (the user revoked the app's access).</summary>
    public void RevokeAllRefreshTokens() => Tokens.RevokeAll();

    /// <summary>Every download link handed out so far answers 403.</summary>
    public void ExpireLinksNow() => DownloadLinks.InvalidateAll();

    /// <summary>Every upload part URL handed out so far answers 403 (drivers must call getUploadUrl).</summary>
    public void ExpireUploadUrlsNow() => UploadLinks.InvalidateAll();

    internal bool TryGetClientSecret(string clientId, out string secret)
    {
        lock (Gate)
        {
            var found = clients.TryGetValue(clientId, out var client);
            secret = client?.Secret ?? "";
            return found;
        }
    }

    /// <summary>The app's registered redirect URIs, or null when the client is unknown.</summary>
    internal IReadOnlyList<string>? RedirectUrisOf(string clientId)
    {
        lock (Gate)
        {
            return clients.GetValueOrDefault(clientId)?.RedirectUris;
        }
    }

    /// <summary>The account the consent page acts for (null when there is none).</summary>
    internal AliyunAccount? DefaultAccount()
    {
        lock (Gate)
        {
            return AuthorizingAccount ?? accounts.FirstOrDefault();
        }
    }

    internal AliyunAccount? FindAccount(string userId)
    {
        lock (Gate)
        {
            return accounts.Find(a => a.UserId == userId);
        }
    }

    /// <summary>Call under <see cref="Gate"/>.</summary>
    internal AliyunDrive? FindDrive(string driveId) => drives.GetValueOrDefault(driveId);

    internal void CountRefresh() => Interlocked.Increment(ref refreshCount);

    /// <summary>Applies the per-user-per-app server limit for one call, or throws 429 TooManyRequests.</summary>
    internal void TakeRateLimit(string userId, string clientId, AliyunRateClass rateClass)
    {
        if (!enforceRateLimits)
        {
            return;
        }

        var limits = RateLimits;
        var perSecond = rateClass switch
        {
            AliyunRateClass.List => limits.ListPerSecond,
            AliyunRateClass.Link => limits.LinkPerSecond,
            _ => limits.OtherPerSecond,
        };
        if (!Limiter.TryTake(userId, clientId, rateClass.ToString(), perSecond, limits.Burst(perSecond), out var retryAfter))
        {
            throw AliyunErrors.TooManyRequests(retryAfter);
        }
    }

    internal string NewUploadId()
    {
        lock (Gate)
        {
            return Hash("upload", ++nextId)[..32].ToUpperInvariant();
        }
    }

    private sealed record AliyunClient(string Secret, IReadOnlyList<string> RedirectUris);

    internal static AliyunTokens ToPublic(IssuedTokens tokens) =>
        new(tokens.AccessToken, tokens.RefreshToken, (int)tokens.AccessLifetime.TotalSeconds);

    // Called by the trees under Gate. 40 lowercase hex characters, like the real file ids.
    private string NewFileId() => Hash("file", ++nextId);

    private static string Hash(string kind, long counter) =>
        Convert.ToHexStringLower(SHA1.HashData(Encoding.ASCII.GetBytes(kind + counter.ToString(CultureInfo.InvariantCulture))));

    private static string RandomHex(int length) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(length / 2));
}
