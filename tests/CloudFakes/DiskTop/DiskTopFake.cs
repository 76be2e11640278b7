using System.Globalization;
using OpenList.DriverHost.CloudFakes.DiskTop;
using OpenList.DriverHost.CloudFakes.Shared;

namespace OpenList.DriverHost.CloudFakes;

/// <summary>
/// The Disk.Top open-platform fake (seeds/disktop-open-platform.md, specs/cloud-apis.md §4): OAuth (authorization
/// code with PKCE, rotating refresh tokens, device flow), the <c>/v1</c> user and file API in the
/// <c>{errno, errmsg, data}</c> envelope, signed download links, and the chunk-upload service under
/// <see cref="UploadEndpoint"/>. Endpoints live in the DiskTop folder; the knobs tests turn are here.
/// </summary>
public sealed class DiskTopFake
{
    /// <summary>Folder ids and file ids both start here (just above 2^31, so 32-bit ids break, and the first file shares its id with the first folder).</summary>
    public const long FirstId = 2_147_484_648;

    /// <summary>The sandbox parent folder of files.app_data apps: "/我的应用数据/&lt;AppName&gt;".</summary>
    public const string AppDataFolder = "我的应用数据";

    internal const string Provider = "disktop";

    private readonly Dictionary<string, DiskTopClient> clients = new(StringComparer.Ordinal);
    private readonly List<DiskTopAccount> accounts = [];
    private readonly List<string> issued = [];
    private readonly List<ChunkFailure> chunkFailures = [];
    private long nextFolderId = FirstId;
    private long nextFileId = FirstId;
    private long nextUid = 10_017;
    private int refreshCount;
    private long chunkRequests;

    internal DiskTopFake(TimeProvider time, TempStorage temp, FaultInjector faults)
    {
        Time = time;
        Temp = temp;
        Faults = faults;
    }

    /// <summary>expires_in of the token responses (UNCERTAIN: the real lifetime is not documented).</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromSeconds(7200);

    /// <summary>Refresh tokens are single-use (rotation is documented); their lifetime is not documented.</summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The user the auto-approving <c>/oauth/authorize</c> and <c>/oauth/device</c> pages act for; null = the first account created.</summary>
    public DiskTopAccount? AuthorizingAccount { get; set; }

    /// <summary>When false, <c>/oauth/authorize</c> redirects with <c>error=access_denied</c> (the user clicked "deny").</summary>
    public bool AutoApproveAuthorization { get; set; } = true;

    /// <summary>The <c>interval</c> handed out by <c>/oauth/device-code</c> (documented: 5). 0 turns slow_down off.</summary>
    public int DeviceIntervalSeconds { get; set; } = 5;

    /// <summary>The device code's <c>expires_in</c> (documented: 600 s).</summary>
    public TimeSpan DeviceCodeLifetime { get; set; } = TimeSpan.FromSeconds(600);

    /// <summary>When set, a device code is approved (for <see cref="AuthorizingAccount"/>) on its Nth paced poll.</summary>
    public int? DeviceAutoApproveAfterPolls { get; set; }

    /// <summary>
    /// HTTP status of the device-token poll errors (authorization_pending, slow_down, access_denied, expired_token).
    /// Default 400 (RFC 8628 §3.5); the spec says a client must also cope with 200.
    /// </summary>
    public int DevicePollErrorStatus { get; set; } = 400;

    /// <summary>chunk_size handed out by precreate (the documented example: 5 MiB). Affects sessions created later.</summary>
    public long ChunkSize { get; set; } = 5 * 1024 * 1024;

    /// <summary>Upload session lifetime (documented default 86400 s).</summary>
    public TimeSpan UploadSessionLifetime { get; set; } = TimeSpan.FromSeconds(86_400);

    /// <summary>Download and stream links live this long (documented: 600 s).</summary>
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromSeconds(600);

    /// <summary>precreate answers instant_upload:true when any live file of any account has the same size and MD5.</summary>
    public bool InstantUpload { get; set; } = true;

    public DiskTopNameConflict NameConflict { get; set; } = DiskTopNameConflict.Reject;

    /// <summary>Robustness knob: API errors answer HTTP 200 with the non-zero errno (the docs do not say which status goes with an errno).</summary>
    public bool ErrorsAsHttp200 { get; set; }

    /// <summary>Robustness knob: success envelopes leave <c>errmsg</c> out, as several documented examples do.</summary>
    public bool OmitSuccessErrmsg { get; set; }

    /// <summary>Successful refresh_token grants.</summary>
    public int RefreshCount => Volatile.Read(ref refreshCount);

    /// <summary>Every access and refresh token ever issued (tests grep logs and files for them).</summary>
    public IReadOnlyCollection<string> AllIssuedTokens
    {
        get
        {
            lock (Gate)
            {
                return issued.ToArray();
            }
        }
    }

    /// <summary>Upload sessions neither completed, aborted nor expired.</summary>
    public int OpenUploadSessions
    {
        get
        {
            lock (Gate)
            {
                PurgeExpiredUploads();
                return Uploads.Count;
            }
        }
    }

    /// <summary>Chunk files the fake holds for open sessions (0 once every upload is completed or aborted).</summary>
    public int StoredChunks
    {
        get
        {
            lock (Gate)
            {
                PurgeExpiredUploads();
                return Uploads.Values.Sum(u => u.Parts.Count);
            }
        }
    }

    /// <summary>User codes of device codes still waiting for approval.</summary>
    public IReadOnlyList<string> PendingUserCodes
    {
        get
        {
            lock (Gate)
            {
                var now = Time.GetUtcNow();
                return Devices.Values.Where(d => d.State == DeviceState.Pending && now < d.ExpiresAt).Select(d => d.UserCode).ToList();
            }
        }
    }

    /// <summary>The <c>endpoint</c> precreate returns (no trailing slash); chunks go to <c>{endpoint}/u?…</c>.</summary>
    public string UploadEndpoint => new Uri(BaseUrl, DiskTopUploadEndpoints.BasePath.TrimStart('/')).ToString();

    internal Lock Gate { get; } = new();

    internal TimeProvider Time { get; }

    internal TempStorage Temp { get; }

    internal FaultInjector Faults { get; }

    internal LinkSigner Links { get; } = new();

    /// <summary>Set once the server listens; links and verification URIs point here.</summary>
    internal Uri BaseUrl { get; set; } = new("http://127.0.0.1/");

    internal Dictionary<string, DiskTopAccessGrant> AccessTokens { get; } = new(StringComparer.Ordinal);

    internal Dictionary<string, DiskTopRefreshGrant> RefreshTokens { get; } = new(StringComparer.Ordinal);

    internal Dictionary<string, DiskTopAuthCode> Codes { get; } = new(StringComparer.Ordinal);

    /// <summary>One-shot denials (<see cref="DenyNextAuthorization"/>); the persistent switch is <see cref="AutoApproveAuthorization"/>.</summary>
    internal ConsentPage Consent { get; } = new();

    internal NextTokenOverride Next { get; } = new();

    internal Dictionary<string, DiskTopDeviceGrant> Devices { get; } = new(StringComparer.Ordinal);

    internal Dictionary<string, DiskTopUploadSession> Uploads { get; } = new(StringComparer.Ordinal);

    internal IEnumerable<DiskTopAccount> Accounts => accounts;

    /// <summary>
    /// Registers an app. <paramref name="redirectUris"/>: the exact redirect_uri values /oauth/authorize accepts
    /// (null or empty = any absolute URI). <paramref name="appName"/> names the sandbox folder (default: the client id).
    /// <paramref name="allowedScopes"/>: default <see cref="DiskTopScopes.SandboxOnly"/> ("new apps default to sandbox-only");
    /// pass <see cref="DiskTopScopes.All"/> for an app whose sensitive scopes were approved.
    /// </summary>
    public void RegisterClient(string clientId, string clientSecret, IEnumerable<string>? redirectUris = null, string? appName = null, IEnumerable<string>? allowedScopes = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        ArgumentException.ThrowIfNullOrEmpty(clientSecret);
        var name = appName ?? clientId;
        if (name.Length == 0 || name.Contains('/', StringComparison.Ordinal) || name is "." or "..")
        {
            throw new ArgumentException("The app name must be a valid folder name.", nameof(appName));
        }

        var scopes = (allowedScopes ?? DiskTopScopes.SandboxOnly).ToHashSet(StringComparer.Ordinal);
        if (scopes.FirstOrDefault(s => !DiskTopScopes.All.Contains(s)) is { } unknown)
        {
            throw new ArgumentException($"Unknown scope '{unknown}'.", nameof(allowedScopes));
        }

        lock (Gate)
        {
            clients[clientId] = new DiskTopClient(clientId, clientSecret, redirectUris?.ToList() ?? [], name, scopes);
        }
    }

    /// <summary>A new user with an empty disk (uids count up from 10017).</summary>
    public DiskTopAccount CreateAccount(string? username = null)
    {
        lock (Gate)
        {
            var uid = nextUid++;
            var account = new DiskTopAccount(this, uid, username ?? "user" + uid.ToString(CultureInfo.InvariantCulture), Time.GetUtcNow());
            accounts.Add(account);
            return account;
        }
    }

    /// <summary>
    /// A token pair as if <paramref name="account"/> had authorized the app for <paramref name="scope"/> (space-separated;
    /// must be within the app's allowed scopes). A files.app_data grant creates the app's sandbox folder.
    /// </summary>
    public DiskTopTokens IssueTokens(DiskTopAccount account, string clientId, string scope = DiskTopScopes.Default)
    {
        ArgumentNullException.ThrowIfNull(account);
        lock (Gate)
        {
            var client = FindClient(clientId) ?? throw new ArgumentException($"Client '{clientId}' is not registered.", nameof(clientId));
            var scopes = ParseScopes(scope, client) ?? throw new ArgumentException($"Scope '{scope}' is not allowed for '{clientId}'.", nameof(scope));
            return Issue(account, client, scopes, publicClient: false);
        }
    }

    /// <summary>The next <c>/oauth/authorize</c> redirects with <c>error=access_denied</c> (once per call).</summary>
    public void DenyNextAuthorization() => Consent.DenyNext();

    /// <summary>
    /// The next token pair issued (code exchange, refresh, device poll or <see cref="IssueTokens"/>) uses these values
    /// (null keeps a random one); they then work as real tokens of that account. Values must be new.
    /// </summary>
    public void NextTokens(string? accessToken, string? refreshToken)
    {
        lock (Gate)
        {
            Next.Set(accessToken, refreshToken, t => AccessTokens.ContainsKey(t) || RefreshTokens.ContainsKey(t));
        }
    }

    /// <summary>The absolute path of the app's sandbox: "/我的应用数据/&lt;AppName&gt;".</summary>
    public string SandboxPath(string clientId)
    {
        lock (Gate)
        {
            var client = FindClient(clientId) ?? throw new ArgumentException($"Client '{clientId}' is not registered.", nameof(clientId));
            return "/" + AppDataFolder + "/" + client.AppName;
        }
    }

    /// <summary>Every access token issued so far answers 401 from now on; tokens issued later are unaffected.</summary>
    public void ExpireAccessTokensNow()
    {
        var now = Time.GetUtcNow();
        lock (Gate)
        {
            foreach (var grant in AccessTokens.Values)
            {
                grant.ExpiresAt = now;
            }
        }
    }

    /// <summary>Every refresh token issued so far is refused (invalid_grant).</summary>
    public void RevokeAllRefreshTokens()
    {
        lock (Gate)
        {
            foreach (var grant in RefreshTokens.Values)
            {
                grant.Revoked = true;
            }
        }
    }

    /// <summary>The user revoked the app at disk.top/user/apps: its access and refresh tokens for that user stop working.</summary>
    public void RevokeApp(DiskTopAccount account, string clientId)
    {
        lock (Gate)
        {
            foreach (var grant in AccessTokens.Values.Where(g => g.Account == account && g.ClientId == clientId))
            {
                grant.Revoked = true;
            }

            foreach (var grant in RefreshTokens.Values.Where(g => g.Account == account && g.ClientId == clientId))
            {
                grant.Revoked = true;
            }
        }
    }

    /// <summary>The user approves the device code on the verification page (for <paramref name="account"/>, default <see cref="AuthorizingAccount"/>).</summary>
    public void ApproveDevice(string userCode, DiskTopAccount? account = null)
    {
        lock (Gate)
        {
            var device = PendingDevice(userCode);
            device.State = DeviceState.Approved;
            device.Account = account ?? DefaultAccount() ?? throw new InvalidOperationException("No account to approve for: create one first.");
        }
    }

    /// <summary>The user denies the device code: the next poll answers access_denied.</summary>
    public void DenyDevice(string userCode)
    {
        lock (Gate)
        {
            PendingDevice(userCode).State = DeviceState.Denied;
        }
    }

    /// <summary>Every download and stream link handed out so far answers 403.</summary>
    public void ExpireLinksNow() => Links.InvalidateAll();

    /// <summary>
    /// The next <paramref name="times"/> chunk requests for part <paramref name="partSeq"/> fail with
    /// <paramref name="status"/> (0 = the connection is cut without an answer). With <paramref name="storeFirst"/>
    /// the chunk is stored before the failure is answered (it shows in <c>/parts</c>: "arrived, but the client never heard").
    /// </summary>
    public void FailChunk(int partSeq, int times = 1, int status = 500, bool storeFirst = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(partSeq);
        ArgumentOutOfRangeException.ThrowIfNegative(times);
        lock (Gate)
        {
            chunkFailures.Add(new ChunkFailure(partSeq, null, times, status, storeFirst));
        }
    }

    /// <summary>
    /// The <paramref name="nth"/> chunk request from now on (1 = the next one, whatever its part) fails with
    /// <paramref name="status"/> (0 = the connection is cut). Use it to interrupt an upload half way.
    /// </summary>
    public void FailChunkRequest(int nth, int status = 500, bool storeFirst = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(nth);
        lock (Gate)
        {
            chunkFailures.Add(new ChunkFailure(null, chunkRequests + nth, 1, status, storeFirst));
        }
    }

    /// <summary>Counts a chunk request and returns the injected failure it gets, if any.</summary>
    internal ChunkFailure? TakeChunkFailure(int partSeq)
    {
        lock (Gate)
        {
            var number = ++chunkRequests;
            var rule = chunkFailures.Find(r => r.Remaining > 0 && (r.PartSeq == partSeq || r.RequestNumber == number));
            if (rule is null)
            {
                return null;
            }

            rule.Remaining--;
            return rule;
        }
    }

    internal bool KnowsClient(string? clientId)
    {
        lock (Gate)
        {
            return FindClient(clientId) is not null;
        }
    }

    /// <summary>Call under the lock.</summary>
    internal DiskTopClient? FindClient(string? clientId) =>
        clientId is { Length: > 0 } ? clients.GetValueOrDefault(clientId) : null;

    /// <summary>Call under the lock.</summary>
    internal DiskTopAccount? DefaultAccount() => AuthorizingAccount ?? accounts.FirstOrDefault();

    /// <summary>
    /// Space-separated scopes (a missing or empty value means <see cref="DiskTopScopes.Default"/>); null when a scope is
    /// unknown or not allowed for the client.
    /// </summary>
    internal static List<string>? ParseScopes(string? scope, DiskTopClient client)
    {
        var scopes = (string.IsNullOrWhiteSpace(scope) ? DiskTopScopes.Default : scope)
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return scopes.All(client.AllowedScopes.Contains) ? scopes : null;
    }

    /// <summary>Mints a token pair. Call under the lock.</summary>
    internal DiskTopTokens Issue(DiskTopAccount account, DiskTopClient client, IReadOnlyList<string> scopes, bool publicClient)
    {
        var now = Time.GetUtcNow();
        var (nextAccess, nextRefresh) = Next.Take();
        var access = nextAccess ?? DiskTopSecrets.Opaque(32);
        var refresh = nextRefresh ?? DiskTopSecrets.Opaque(32);
        AccessTokens.Add(access, new DiskTopAccessGrant(account, client.ClientId, scopes, now + AccessTokenLifetime));
        RefreshTokens.Add(refresh, new DiskTopRefreshGrant(account, client.ClientId, scopes, now + RefreshTokenLifetime, publicClient));
        issued.Add(access);
        issued.Add(refresh);
        if (scopes.Contains(DiskTopScopes.AppData))
        {
            Sandbox(account, client.ClientId);
        }

        return new DiskTopTokens(access, refresh, (int)AccessTokenLifetime.TotalSeconds, string.Join(' ', scopes));
    }

    /// <summary>The app's sandbox folder, created when missing. Call under the lock.</summary>
    internal DiskTopNode Sandbox(DiskTopAccount account, string clientId)
    {
        var client = FindClient(clientId) ?? throw new InvalidOperationException("Unknown client.");
        return account.EnsureFolder([AppDataFolder, client.AppName]);
    }

    internal void CountRefresh() => Interlocked.Increment(ref refreshCount);

    /// <summary>Call under the lock.</summary>
    internal long NewFolderId() => nextFolderId++;

    /// <summary>Call under the lock.</summary>
    internal long NewFileId() => nextFileId++;

    /// <summary>Drops sessions past their lifetime, with their chunk files. Call under the lock.</summary>
    internal void PurgeExpiredUploads()
    {
        var now = Time.GetUtcNow();
        foreach (var session in Uploads.Values.Where(u => now >= u.ExpiresAt && !u.Completing).ToList())
        {
            DropUpload(session);
        }
    }

    /// <summary>Forgets the session and deletes its chunk files. Call under the lock.</summary>
    internal void DropUpload(DiskTopUploadSession session)
    {
        Uploads.Remove(session.UploadId);
        foreach (var part in session.Parts.Values)
        {
            TempStorage.TryDelete(part.Path);
        }

        session.Parts.Clear();
    }

    private DiskTopDeviceGrant PendingDevice(string userCode)
    {
        var normalized = DiskTopSecrets.NormalizeUserCode(userCode ?? "");
        var now = Time.GetUtcNow();
        return Devices.Values.FirstOrDefault(d => DiskTopSecrets.NormalizeUserCode(d.UserCode) == normalized && d.State == DeviceState.Pending && now < d.ExpiresAt)
            ?? throw new ArgumentException($"No pending device code with user code '{userCode}'.", nameof(userCode));
    }

    internal sealed class ChunkFailure(int? partSeq, long? requestNumber, int remaining, int status, bool storeFirst)
    {
        public int? PartSeq { get; } = partSeq;

        public long? RequestNumber { get; } = requestNumber;

        public int Remaining { get; set; } = remaining;

        public int Status { get; } = status;

        public bool StoreFirst { get; } = storeFirst;
    }
}
