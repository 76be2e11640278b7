using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using OpenList.DriverHost.Drivers.Capabilities;
using OpenList.DriverHost.Drivers.Errors;
using OpenList.DriverHost.Drivers.Http;
using OpenList.DriverHost.Drivers.Open115.Models;
using OpenList.DriverHost.Drivers.PathIds;
using OpenList.DriverHost.Drivers.Resilience;
using OpenList.DriverHost.Drivers.Tokens;

namespace OpenList.DriverHost.Drivers.Open115;

/// <summary>
/// 115 网盘 through the 115 Open platform, the way OpenList's <c>115_open</c> driver uses it (cloud-apis.md §1):
/// id-addressed, so paths resolve through the listing (<see cref="PathIdCache"/>); download links are bound to the
/// User-Agent they were requested with (§5). Lookups are in <c>.Lookup.cs</c>, writes in <c>.Files.cs</c>, uploads
/// in <c>.Upload.cs</c>.
/// </summary>
public sealed partial class Open115Driver : IStorageDriver, IServerSideCopy, IServerSideMove, IQuotaProvider, ILinkProvider
{
    private static readonly DriverCapabilities DriverCapabilities = new()
    {
        CaseInsensitive = false,
        EmptyDirectories = true,
        ModTimePrecision = null, // the listing reports the server's upt, not the client's time
        Hashes = new HashSet<string>(StringComparer.Ordinal) { HashNames.Sha1 },
    };

    private readonly Open115Options _options;
    private readonly DriverContext _context;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly HttpClient _http;
    private readonly Open115ApiClient _api;
    private readonly PathIdCache _ids;

    public Open115Driver(Open115Options options, DriverContext context)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        _options = options;
        _context = context;
        _time = context.TimeProvider;
        _logger = context.LoggerFactory.CreateLogger<Open115Driver>();
        var plumbing = new CloudPlumbing(context, "115", _logger);
        _http = plumbing.Http;
        var refresher = new Open115TokenRefresher(options, _http, plumbing.Pipeline, _time);
        Tokens = plumbing.CreateTokenSource(o => o with
        {
            ConfiguredAccessToken = options.AccessToken,
            ConfiguredRefreshToken = options.RefreshToken,
            Refresher = refresher.RefreshAsync,
            ReauthorizeHint = Open115TokenRefresher.ReauthorizeHint,
        });
        _api = new Open115ApiClient(plumbing, Tokens, options);
        _ids = new PathIdCache(options.RootFolderId, FindChildNodeAsync);
    }

    public DriverCapabilities Capabilities => DriverCapabilities;

    /// <summary>§5: a 115 download URL only works for the User-Agent it was requested with.</summary>
    public bool LinksBoundToUserAgent => true;

    /// <summary>The mount's token source (tests read its refresh count).</summary>
    internal TokenSource Tokens { get; }

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        // §1.3: Init calls user/info, which also renews an expired token at once.
        var info = await _api.UserInfoAsync(cancellationToken).ConfigureAwait(false);
        _api.Account = info.UserId ?? string.Empty;
        if (_options.RootFolderId != "0")
        {
            var root = await _api.FolderInfoAsync(_options.RootFolderId, cancellationToken).ConfigureAwait(false);
            if (root is null)
            {
                throw new StorageException(
                    StorageErrorKind.NotFound,
                    $"root_folder_id {_options.RootFolderId} is not a folder of this 115 account; use the number after cid= in the 115 web URL, or 0");
            }

            if (root.FileCategory is { Length: > 0 } category && category != "0")
            {
                throw new StorageException(StorageErrorKind.IsFile, $"root_folder_id {_options.RootFolderId} is a file, not a folder");
            }
        }

        Open115Log.Ready(_logger, _context.MountPath, _options.RootFolderId);
    }

    public async Task<StorageEntry> StatAsync(StoragePath path, CancellationToken cancellationToken)
    {
        if (path.IsRoot)
        {
            return RootEntry;
        }

        return Remember(path, await FileAtAsync(path, cancellationToken).ConfigureAwait(false));
    }

    public IAsyncEnumerable<StorageEntry> ListAsync(StoragePath path, CancellationToken cancellationToken) =>
        ListCoreAsync(path, retryStale: !path.IsRoot, cancellationToken);

    private async IAsyncEnumerable<StorageEntry> ListCoreAsync(StoragePath path, bool retryStale, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var directory = await _ids.ResolveDirectoryAsync(path, cancellationToken).ConfigureAwait(false);
        var shown = new HashSet<string>(StringComparer.Ordinal);
        var first = true;
        var stale = false;
        await using (var pages = PagesAsync(directory.Id, path, cancellationToken).GetAsyncEnumerator(cancellationToken))
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await pages.MoveNextAsync().ConfigureAwait(false);
                }
                catch (StorageException e) when (first && retryStale && e.Kind == StorageErrorKind.NotFound)
                {
                    stale = true;
                    break;
                }

                if (!more)
                {
                    break;
                }

                first = false;
                foreach (var file in Collapse(pages.Current, shown, path))
                {
                    yield return Remember(path.Combine(file.Name!), file);
                }
            }
        }

        if (stale)
        {
            // The remembered id went stale (moved or removed elsewhere): look the path up afresh, once.
            _ids.Forget(path);
            await foreach (var entry in ListCoreAsync(path, retryStale: false, cancellationToken).ConfigureAwait(false))
            {
                yield return entry;
            }
        }
    }

    public async Task<StorageReadStream> OpenReadAsync(StoragePath path, ByteRange? range, CancellationToken cancellationToken)
    {
        var file = await FileAtAsync(path, cancellationToken).ConfigureAwait(false);
        var entry = Remember(path, file);
        if (entry.IsDirectory)
        {
            throw new StorageException(StorageErrorKind.IsDirectory, $"is a directory: {path}");
        }

        return await LinkRead.OpenAsync(
            _http,
            entry.Size,
            range,
            ct => LinkForAsync(file, path, Open115ApiClient.BrowserUserAgent, ct),
            _time,
            (reason, at) => Open115Log.ReadResumed(_logger, _context.MountPath, path, at, reason),
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<StorageLink> GetLinkAsync(StoragePath path, LinkRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var file = await FileAtAsync(path, cancellationToken).ConfigureAwait(false);
        if (file.IsFolder)
        {
            throw new StorageException(StorageErrorKind.IsDirectory, $"is a directory: {path}");
        }

        var userAgent = string.IsNullOrWhiteSpace(request.UserAgent) ? Open115ApiClient.BrowserUserAgent : request.UserAgent;
        return await LinkForAsync(file, path, userAgent, cancellationToken).ConfigureAwait(false);
    }

    public async Task<StorageQuota> GetQuotaAsync(CancellationToken cancellationToken)
    {
        var space = (await _api.UserInfoAsync(cancellationToken).ConfigureAwait(false)).Space;
        var total = space?.Total?.Size;
        var used = space?.Used?.Size;
        var remain = space?.Remain?.Size ?? (total is { } t && used is { } u ? t - u : null);
        return new StorageQuota(used is >= 0 ? used : null, remain is { } left ? Math.Max(0, left) : null);
    }

    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }

    private StorageEntry RootEntry => new(StoragePath.Root, true, 0, DateTimeOffset.UnixEpoch, Id: _options.RootFolderId);

    /// <summary>
    /// A fresh download link (§1.5, §5), requested with <paramref name="userAgent"/>: the URL works only for that
    /// User-Agent, so the link carries it in <see cref="StorageLink.Headers"/>. 115 names no expiry (OpenList: nil).
    /// </summary>
    private async Task<StorageLink> LinkForAsync(Open115File file, StoragePath path, string userAgent, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(file.PickCode))
        {
            throw new StorageException(StorageErrorKind.Unavailable, $"115 listed {path} without a pick code; it cannot be downloaded");
        }

        var url = await _api.DownloadUrlAsync(file.FileId!, file.PickCode, userAgent, cancellationToken).ConfigureAwait(false);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new StorageException(StorageErrorKind.Unavailable, $"115 returned no usable download URL for {path}");
        }

        return new StorageLink(uri, null)
        {
            Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["User-Agent"] = userAgent },
        };
    }
}
