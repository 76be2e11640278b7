using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using OpenList.DriverHost.Drivers.Capabilities;
using OpenList.DriverHost.Drivers.Errors;
using OpenList.DriverHost.Drivers.Http;
using OpenList.DriverHost.Drivers.PathIds;
using OpenList.DriverHost.Drivers.Resilience;
using OpenList.DriverHost.Drivers.Tokens;

namespace OpenList.DriverHost.Drivers.Open123;

/// <summary>
/// 123 Open (123云盘开放平台), the way OpenList's <c>123_open</c> driver uses it (cloud-apis.md §3): id-addressed,
/// so paths resolve through the listing (<see cref="PathIdCache"/>). Lookups are in <c>.Lookup.cs</c>, writes in
/// <c>.Files.cs</c>, uploads in <c>.Upload.cs</c>.
/// </summary>
public sealed partial class Open123Driver : IStorageDriver, IServerSideCopy, IServerSideMove, IQuotaProvider, ILinkProvider
{
    /// <summary>OpenList keeps unsigned direct links for a year: they do not expire.</summary>
    internal static readonly TimeSpan UnsignedDirectLinkLifetime = TimeSpan.FromDays(365);

    private static readonly DriverCapabilities DriverCapabilities = new()
    {
        CaseInsensitive = false,
        EmptyDirectories = true,
        ModTimePrecision = null, // the listing reports the server's updateAt, not the client's time
        Hashes = new HashSet<string>(StringComparer.Ordinal) { HashNames.Md5 },
    };

    private readonly Open123Options _options;
    private readonly DriverContext _context;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly HttpClient _http;
    private readonly Open123ApiClient _api;
    private readonly PathIdCache _ids;
    private ulong? _uid;

    public Open123Driver(Open123Options options, DriverContext context)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        _options = options;
        _context = context;
        _time = context.TimeProvider;
        _logger = context.LoggerFactory.CreateLogger<Open123Driver>();
        var plumbing = new CloudPlumbing(context, "123", _logger);
        _http = plumbing.Http;
        var refresher = new Open123TokenRefresher(options, _http, plumbing.Pipeline, plumbing.Limiters, _time);
        var mode = options.TokenMode;
        Tokens = plumbing.CreateTokenSource(o => o with
        {
            ConfiguredAccessToken = options.AccessToken,
            ConfiguredRefreshToken = mode == Open123TokenMode.OnlineApi ? options.RefreshToken : null,
            Refresher = refresher.Refresher,
            RenewsWithoutRefreshToken = refresher.RenewsWithoutRefreshToken,
            ReauthorizeHint = Open123ApiClient.ReauthorizeHint(options),
        });
        _api = new Open123ApiClient(plumbing, Tokens, options);
        _ids = new PathIdCache(options.RootFolderId, FindChildNodeAsync);
    }

    public DriverCapabilities Capabilities => DriverCapabilities;

    /// <summary>Download links carry their own signature; any client may follow them.</summary>
    public bool LinksBoundToUserAgent => false;

    /// <summary>The mount's token source (tests read its refresh count).</summary>
    internal TokenSource Tokens { get; }

    /// <summary>
    /// Learns the account's uid (direct-link signatures, shared rate limits). A token or network failure does not
    /// fail the mount: OpenList blocks a storage after one failed refresh until it is reloaded; here each request
    /// reports the error and tries again once the token source's backoff has passed.
    /// </summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await UidAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (StorageException e) when (e.Kind is StorageErrorKind.AuthExpired or StorageErrorKind.Unavailable or StorageErrorKind.RateLimited)
        {
            Open123Log.NotReadyYet(_logger, _context.MountPath, e.Message);
        }

        Open123Log.Ready(_logger, _context.MountPath, _options.RootFolderId, _options.TokenMode);
    }

    public async Task<StorageEntry> StatAsync(StoragePath path, CancellationToken cancellationToken)
    {
        if (path.IsRoot)
        {
            return RootEntry;
        }

        var (_, found) = await LookupAsync(path, cancellationToken).ConfigureAwait(false);
        if (found is null)
        {
            _ids.Forget(path); // removed elsewhere: its remembered id (and those below it) would go stale
            throw StorageException.NotFound(path);
        }

        return Remember(path, found);
    }

    public async IAsyncEnumerable<StorageEntry> ListAsync(StoragePath path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var directory = await _ids.ResolveDirectoryAsync(path, cancellationToken).ConfigureAwait(false);
        var shown = new HashSet<string>(StringComparer.Ordinal);
        var seen = new HashSet<long>();
        var lastFileId = 0L;
        var first = true;
        do
        {
            Models.Open123FileList page;
            try
            {
                page = await _api.ListAsync(ParseId(directory.Id), lastFileId, cancellationToken).ConfigureAwait(false);
            }
            catch (StorageException e) when (first && e.Kind == StorageErrorKind.NotFound && !path.IsRoot)
            {
                // The remembered id went stale (moved or removed elsewhere): look the path up afresh, once.
                _ids.Forget(path);
                directory = await _ids.ResolveDirectoryAsync(path, cancellationToken).ConfigureAwait(false);
                page = await _api.ListAsync(ParseId(directory.Id), lastFileId, cancellationToken).ConfigureAwait(false);
            }

            first = false;
            foreach (var file in Usable(page.FileList, path))
            {
                if (shown.Add(file.FileName!))
                {
                    yield return Remember(path.Combine(file.FileName!), file);
                }
            }

            lastFileId = NextPage(page, seen);
        }
        while (lastFileId != Open123ApiClient.LastPage);
    }

    public async Task<StorageReadStream> OpenReadAsync(StoragePath path, ByteRange? range, CancellationToken cancellationToken)
    {
        var entry = await StatAsync(path, cancellationToken).ConfigureAwait(false);
        if (entry.IsDirectory)
        {
            throw new StorageException(StorageErrorKind.IsDirectory, $"is a directory: {path}");
        }

        return await LinkRead.OpenAsync(
            _http,
            entry.Size,
            range,
            ct => LinkForAsync(entry, ct),
            _time,
            (reason, offset) => Open123Log.ReadRetry(_logger, _context.MountPath, path, reason, offset),
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<StorageLink> GetLinkAsync(StoragePath path, LinkRequest request, CancellationToken cancellationToken)
    {
        var entry = await StatAsync(path, cancellationToken).ConfigureAwait(false);
        if (entry.IsDirectory)
        {
            throw new StorageException(StorageErrorKind.IsDirectory, $"is a directory: {path}");
        }

        return await LinkForAsync(entry, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Quota from user/info (§3.5): total = spacePermanent + spaceTemp, used = spaceUsed.</summary>
    public async Task<StorageQuota> GetQuotaAsync(CancellationToken cancellationToken)
    {
        var info = await _api.GetUserInfoAsync(cancellationToken).ConfigureAwait(false);
        RememberUid(info.Uid);
        var total = info.SpacePermanent + info.SpaceTemp;
        return new StorageQuota(Math.Max(0, info.SpaceUsed), total > 0 ? Math.Max(0, total - info.SpaceUsed) : null);
    }

    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }

    private StorageEntry RootEntry => new(StoragePath.Root, true, 0, DateTimeOffset.UnixEpoch, Id: _options.RootFolderId);

    /// <summary>
    /// A fresh download link (§3.5, §5): <c>download_info</c>'s <c>downloadUrl</c> (its expiry read from its
    /// <c>auth_key</c> when it has one, otherwise unknown), or with <c>DirectLink</c> the direct-link URL: signed
    /// for <c>DirectLinkValidDuration</c> minutes when a private key is set, otherwise kept as OpenList keeps it (a year).
    /// </summary>
    private async Task<StorageLink> LinkForAsync(StorageEntry entry, CancellationToken cancellationToken)
    {
        var fileId = ParseId(entry.Id!);
        if (!_options.DirectLink)
        {
            var info = await _api.GetDownloadInfoAsync(fileId, cancellationToken).ConfigureAwait(false);
            var url = UsableUrl(info.DownloadUrl, entry.Path);
            return new StorageLink(url, Open123DirectLinkSigner.ExpiryOf(url));
        }

        var direct = UsableUrl((await _api.GetDirectLinkAsync(fileId, cancellationToken).ConfigureAwait(false)).Url, entry.Path);
        if (!_options.SignsDirectLinks)
        {
            return new StorageLink(direct, _time.GetUtcNow() + UnsignedDirectLinkLifetime);
        }

        var uid = await UidAsync(cancellationToken).ConfigureAwait(false);
        var expires = _time.GetUtcNow().AddMinutes(_options.DirectLinkValidDuration);
        var signed = Open123DirectLinkSigner.Sign(direct, _options.DirectLinkPrivateKey!, uid, expires, Guid.NewGuid().ToString("N"));
        return new StorageLink(signed, DateTimeOffset.FromUnixTimeSeconds(expires.ToUnixTimeSeconds()));
    }

    private static Uri UsableUrl(string? url, StoragePath path) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new StorageException(StorageErrorKind.Unavailable, $"123 returned no usable download URL for {path}");

    /// <summary>The account's uid, asked once (user/info) and remembered; it also keys the shared rate limiters.</summary>
    private async Task<ulong> UidAsync(CancellationToken cancellationToken)
    {
        if (_uid is { } known)
        {
            return known;
        }

        var info = await _api.GetUserInfoAsync(cancellationToken).ConfigureAwait(false);
        RememberUid(info.Uid);
        return info.Uid;
    }

    private void RememberUid(ulong uid)
    {
        _uid = uid;
        _api.Account = uid.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>A path-cache id as the API's number.</summary>
    internal static long ParseId(string id) =>
        long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new StorageException(StorageErrorKind.NotFound, $"\"{id}\" is not a 123 file id");
}
