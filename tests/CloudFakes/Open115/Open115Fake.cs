using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using OpenList.DriverHost.CloudFakes.Open115;
using OpenList.DriverHost.CloudFakes.Shared;

namespace OpenList.DriverHost.CloudFakes;

/// <summary>
/// The 115 Open fake (specs/cloud-apis.md §1): proapi and passportapi on the fake's one base URL, accounts
/// with in-memory trees, rotating tokens with the two-authorizations-per-app rule, UA-bound download links,
/// rapid upload with the sign_check step, and an OSS-compatible multipart endpoint with callbacks.
/// Endpoints live in the Open115 folder.
/// </summary>
public sealed class Open115Fake
{
    /// <summary>The app tokens are issued to when the caller names none (OpenList's built-in app).</summary>
    public const string DefaultAppId = "openlist";

    internal const string Provider = "115";

    private readonly Dictionary<string, Open115Account> accounts = new(StringComparer.Ordinal);
    private readonly List<Open115Account> accountOrder = [];
    private readonly Dictionary<string, Open115Client> clients = new(StringComparer.Ordinal);
    private readonly bool enforceRateLimits;
    private Open115RateLimits rateLimits = new();
    private long nextId;
    private int refreshCount;
    private int callbackCount;

    internal Open115Fake(TimeProvider time, bool enforceRateLimits, TempStorage temp, FaultInjector faults)
    {
        Time = time;
        Temp = temp;
        Faults = faults;
        this.enforceRateLimits = enforceRateLimits;
        Tokens = new TokenRegistry(time, new JwtTokenFactory());
        Codes = new AuthorizationCodes(time);
        Limiter = new TokenBucketLimiter(time);
    }

    /// <summary>Lifetime of new access tokens; <c>expires_in</c> reports it. DESIGN: 7200 s (the doc's refresh mock says 2592000).</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromSeconds(7200);

    /// <summary>
    /// Lifetime of an authorization's refresh token, counted from <see cref="IssueTokens"/>: rotation does not
    /// extend it (documented), so a refreshed chain still ends then (40140119). UNCERTAIN: "1 year".
    /// </summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(365);

    /// <summary>Live authorizations per user and app (documented: 2); issuing one more ends the oldest (40140116).</summary>
    public int MaxAuthorizationsPerApp { get; set; } = 2;

    /// <summary>DESIGN (undocumented): false = a refresh ends the access tokens issued before it in that authorization (40140125).</summary>
    public bool OldAccessTokenSurvivesRefresh { get; set; }

    /// <summary>How long a <c>/open/ufile/downurl</c> link works (DESIGN: 2 hours; the real lifetime is not documented).</summary>
    public TimeSpan DownloadLinkLifetime { get; set; } = TimeSpan.FromHours(2);

    /// <summary>Lifetime of the STS credentials from <c>/open/upload/get_token</c> (DESIGN: 1 hour).</summary>
    public TimeSpan OssTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>OSS refuses requests whose <c>Date</c> is further than this from the fake's clock (403 RequestTimeTooSkewed, OSS: 15 min). Null disables the check.</summary>
    public TimeSpan? OssMaxClockSkew { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Check §1.6's part size: every part but the last must be exactly <see cref="PartSizeFor"/>(file_size) and
    /// the last no larger. Off, only OSS's own rules apply (parts 1..10000, ≥ 100 KiB except the last, ≤ 5 GiB).
    /// </summary>
    public bool EnforceSpecPartSize { get; set; } = true;

    /// <summary>
    /// Rapid-upload hits of at least this many bytes need the two-step sign_check (status 7) before status 2.
    /// DESIGN: 1, i.e. every non-empty hit; <see cref="long.MaxValue"/> answers status 2 at once.
    /// </summary>
    public long SignCheckMinSize { get; set; } = 1;

    /// <summary>Seed of the deterministic sign_check range (same seed, SHA1 and size → same range).</summary>
    public int SignCheckSeed { get; set; } = 115;

    /// <summary>Overrides the range: (sha1, size) → inclusive (start, end). Must lie inside the file.</summary>
    public Func<string, long, (long Start, long End)>? SignCheckRange { get; set; }

    /// <summary>
    /// <c>/open/folder/get_info</c> answers <c>data:[obj]</c> and, when nothing matches, <c>data:[]</c> (both
    /// shapes occur; §1.5). False (default): <c>data:obj</c>, and 430004 when nothing matches.
    /// </summary>
    public bool FolderInfoAsArray { get; set; }

    /// <summary>Settable at any time; buckets restart full when the limits change.</summary>
    public Open115RateLimits RateLimits
    {
        get => Volatile.Read(ref rateLimits);
        set
        {
            Volatile.Write(ref rateLimits, value ?? throw new ArgumentNullException(nameof(value)));
            Limiter.Reset();
        }
    }

    /// <summary>The user the auto-approving <c>/open/authorize</c> acts for; null = the first account created.</summary>
    public Open115Account? AuthorizingAccount { get; set; }

    /// <summary>When false, <c>/open/authorize</c> redirects with <c>error=access_denied</c> (the user clicked "deny").</summary>
    public bool AutoApproveAuthorization
    {
        get => Consent.AutoApprove;
        set => Consent.AutoApprove = value;
    }

    /// <summary>Successful <c>/open/refreshToken</c> calls.</summary>
    public int RefreshCount => Volatile.Read(ref refreshCount);

    /// <summary>OSS upload callbacks that created a file.</summary>
    public int CallbackCount => Volatile.Read(ref callbackCount);

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

    /// <summary>Set once the server listens; links, the OSS endpoint and the callback URL point here.</summary>
    internal Uri BaseUrl { get; set; } = new("http://127.0.0.1/");

    /// <summary>Upload state (sign keys, sessions, STS credentials, multipart uploads). Guarded by <see cref="Gate"/>.</summary>
    internal Open115UploadState Uploads { get; } = new();

    public Open115Account CreateAccount(string? name = null)
    {
        lock (Gate)
        {
            var userId = 340_000_000L + (++nextId * 7);
            var account = new Open115Account(this, userId, name ?? "user" + accounts.Count.ToString(CultureInfo.InvariantCulture), new FileTree(NewFileId, Time, Open115Account.RootId));
            accounts.Add(account.UserId.ToString(CultureInfo.InvariantCulture), account);
            accountOrder.Add(account);
            return account;
        }
    }

    /// <summary>
    /// Registers an app for the authorization-code flow (<c>/open/authorize</c>, <c>/open/authCodeToToken</c>; the
    /// relay's cloud115_uid / cloud115_key). <paramref name="redirectUris"/>: the exact redirect_uri values accepted
    /// (null or empty = any absolute http(s) URI). Tokens are issued to the app id, so refresh needs no secret.
    /// </summary>
    public void RegisterClient(string appId, string appSecret, IEnumerable<string>? redirectUris = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(appId);
        ArgumentException.ThrowIfNullOrEmpty(appSecret);
        lock (Gate)
        {
            clients[appId] = new Open115Client(appSecret, redirectUris?.ToList() ?? []);
        }
    }

    /// <summary>The next <c>/open/authorize</c> redirects with <c>error=access_denied</c> (once per call).</summary>
    public void DenyNextAuthorization() => Consent.DenyNext();

    /// <summary>
    /// The next token pair issued (code exchange, refresh or <see cref="IssueTokens"/>) uses these values (null keeps
    /// a random one); they then work as real tokens of that account. Values must be new.
    /// </summary>
    public void NextTokens(string? accessToken, string? refreshToken) => Tokens.SetNext(accessToken, refreshToken);

    /// <summary>
    /// A new authorization of <paramref name="account"/> for <paramref name="appId"/> (what the QR/device flow
    /// hands out). The third live one for the same user and app ends the oldest: its tokens answer 40140116 / 40140125.
    /// </summary>
    public Open115Tokens IssueTokens(Open115Account account, string appId = DefaultAppId)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentException.ThrowIfNullOrEmpty(appId);
        var tokens = Tokens.Issue(account.UserId.ToString(CultureInfo.InvariantCulture), appId, AccessTokenLifetime, RefreshTokenLifetime, MaxAuthorizationsPerApp);
        return ToPublic(tokens);
    }

    /// <summary>Every access token issued so far answers 40140125 from now on.</summary>
    public void ExpireAccessTokensNow() => Tokens.ExpireAccessTokensNow();

    /// <summary>The user ends this authorization: its refresh token answers 40140116 and its access tokens 40140125.</summary>
    public void RevokeRefreshToken(string refreshToken)
    {
        if (!Tokens.RevokeFamily(refreshToken))
        {
            throw new ArgumentException("Unknown refresh token.", nameof(refreshToken));
        }
    }

    /// <summary>The user revoked every authorization (device management): all tokens issued so far are refused.</summary>
    public void RevokeAllRefreshTokens() => Tokens.RevokeAll(includeAccessTokens: true);

    /// <summary>Every download link handed out so far answers 403.</summary>
    public void ExpireLinksNow() => DownloadLinks.InvalidateAll();

    /// <summary>Every STS credential handed out so far answers 403 SecurityTokenExpired.</summary>
    public void ExpireOssTokensNow()
    {
        var now = Time.GetUtcNow();
        lock (Gate)
        {
            foreach (var credential in Uploads.Credentials.Values)
            {
                credential.ExpiresAt = now;
            }
        }
    }

    /// <summary>The next <paramref name="count"/> calls of <paramref name="operation"/> answer HTTP 200 <c>state:false</c> with <paramref name="code"/> (e.g. 40140125, 99).</summary>
    public void FailNextWithCode(string operation, long code, int count = 1) =>
        Faults.FailNext(operation, count, StatusCodes.Status200OK, code.ToString(CultureInfo.InvariantCulture));

    /// <summary>§1.6 part size for a file of <paramref name="fileSize"/> bytes (20 MiB up to 128 GiB, then larger).</summary>
    public static long PartSizeFor(long fileSize)
    {
        const long GiB = 1L << 30;
        return fileSize switch
        {
            > 1024 * GiB => 5 * GiB,
            > 768 * GiB => 109951163,
            > 512 * GiB => 82463373,
            > 384 * GiB => 54975582,
            > 256 * GiB => 41231687,
            > 128 * GiB => 27487791,
            _ => 20L << 20,
        };
    }

    /// <summary>The inclusive range a sign_check for this content names (<see cref="SignCheckRange"/> or the seeded choice).</summary>
    public (long Start, long End) SignCheckRangeFor(string sha1, long size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        if (SignCheckRange is { } custom)
        {
            var (start, end) = custom(sha1, size);
            if (start < 0 || end < start || end >= size)
            {
                throw new InvalidOperationException("SignCheckRange must return 0 <= start <= end < size.");
            }

            return (start, end);
        }

        var hash = SHA256.HashData(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{SignCheckSeed}/{sha1}/{size}")));
        var first = (long)(BitConverter.ToUInt64(hash, 0) % (ulong)size);
        var length = 1 + (long)(BitConverter.ToUInt64(hash, 8) % (128UL * 1024));
        return (first, Math.Min(size - 1, first + length - 1));
    }

    /// <summary>The app's secret and redirect URIs, or null when unknown.</summary>
    internal Open115Client? FindClient(string appId)
    {
        lock (Gate)
        {
            return clients.GetValueOrDefault(appId);
        }
    }

    /// <summary>The account the consent page acts for (null when there is none).</summary>
    internal Open115Account? DefaultAccount()
    {
        lock (Gate)
        {
            return AuthorizingAccount ?? accountOrder.FirstOrDefault();
        }
    }

    internal Open115Account? FindAccount(string userId)
    {
        lock (Gate)
        {
            return accounts.GetValueOrDefault(userId);
        }
    }

    /// <summary>Call under <see cref="Gate"/>.</summary>
    internal Open115Account? FindAccountUnlocked(string userId) => accounts.GetValueOrDefault(userId);

    /// <summary>Call under <see cref="Gate"/>.</summary>
    internal IEnumerable<Open115Account> Accounts => accounts.Values;

    internal void CountRefresh() => Interlocked.Increment(ref refreshCount);

    internal void CountCallback() => Interlocked.Increment(ref callbackCount);

    internal bool RateLimited(string key, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (!enforceRateLimits)
        {
            return false;
        }

        var limits = RateLimits;
        return !Limiter.TryTake(key, "", "refresh", limits.RefreshesPerMinute / 60.0, Math.Max(1, limits.RefreshBurst), out retryAfter);
    }

    /// <summary>Call under <see cref="Gate"/>. 17 lowercase letters and digits, like the real pick codes.</summary>
    internal string NewPickCode()
    {
        const string Alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        var hash = SHA1.HashData(Encoding.ASCII.GetBytes("pick" + (++nextId).ToString(CultureInfo.InvariantCulture)));
        var chars = new char[17];
        chars[0] = Alphabet[hash[0] % 26];
        for (var i = 1; i < chars.Length; i++)
        {
            chars[i] = Alphabet[hash[i] % Alphabet.Length];
        }

        return new string(chars);
    }

    internal sealed record Open115Client(string Secret, IReadOnlyList<string> RedirectUris);

    internal static Open115Tokens ToPublic(IssuedTokens tokens) =>
        new(tokens.AccessToken, tokens.RefreshToken, (long)tokens.AccessLifetime.TotalSeconds);

    // Called by the trees under Gate. 19-digit ids above 2^53, like the real ones: a driver must keep them as strings or int64.
    private string NewFileId() => (3_100_000_000_000_000_000L + (++nextId * 7_919_321L)).ToString(CultureInfo.InvariantCulture);
}
