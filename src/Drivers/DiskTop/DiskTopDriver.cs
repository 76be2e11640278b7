using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using OpenList.DriverHost.Drivers.Capabilities;
using OpenList.DriverHost.Drivers.DiskTop.Models;
using OpenList.DriverHost.Drivers.Errors;
using OpenList.DriverHost.Drivers.Http;
using OpenList.DriverHost.Drivers.Resilience;
using OpenList.DriverHost.Drivers.Tokens;

namespace OpenList.DriverHost.Drivers.DiskTop;

/// <summary>
/// Disk.Top through its open platform (cloud-apis.md §4): listing, folder creation and upload are addressed by path
/// (under <c>root_folder_path</c>, itself under the app's sandbox with <c>files.app_data</c>); downloads and
/// rename/move/copy/delete by integer id, file ids and folder ids being separate namespaces. Every lookup lists the
/// parent folder afresh (the host caches listings). Lookups are in <c>.Lookup.cs</c>, writes in <c>.Files.cs</c>,
/// uploads in <c>.Upload.cs</c>.
/// </summary>
public sealed partial class DiskTopDriver : IStorageDriver, IServerSideCopy, IServerSideMove, IQuotaProvider, ILinkProvider
{
    /// <summary>Documented lifetime of a download URL when the answer leaves <c>expires_in</c> out.</summary>
    internal static readonly TimeSpan DefaultLinkLifetime = TimeSpan.FromSeconds(600);

    private static readonly DriverCapabilities DriverCapabilities = new()
    {
        CaseInsensitive = false, // UNCERTAIN: the docs do not say; names are compared as sent
        EmptyDirectories = true,
        ModTimePrecision = null, // the listing carries no time at all
        Hashes = new HashSet<string>(StringComparer.Ordinal) { HashNames.Md5 },
    };

    private readonly DiskTopOptions _options;
    private readonly DriverContext _context;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly HttpClient _http;
    private readonly DiskTopApiClient _api;

    public DiskTopDriver(DiskTopOptions options, DriverContext context)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        _options = options;
        _context = context;
        _time = context.TimeProvider;
        _logger = context.LoggerFactory.CreateLogger<DiskTopDriver>();
        var plumbing = new CloudPlumbing(context, "Disk.Top", _logger);
        _http = plumbing.Http;
        var refresher = new DiskTopTokenRefresher(options, _http, plumbing.Pipeline, _time);
        var hint = DiskTopTokenRefresher.ReauthorizeHint(context.MountPath);
        Tokens = plumbing.CreateTokenSource(o => o with
        {
            ConfiguredAccessToken = options.AccessToken,
            ConfiguredRefreshToken = options.RefreshToken,
            Refresher = refresher.RefreshAsync,
            ReauthorizeHint = hint,
            MissingTokenHint = hint,
        });
        _api = new DiskTopApiClient(plumbing, Tokens, options);
    }

    public DriverCapabilities Capabilities => DriverCapabilities;

    /// <summary>Disk.Top links are signed URLs that any client may fetch (§5: no header binding documented).</summary>
    public bool LinksBoundToUserAgent => false;

    /// <summary>The mount's token source (tests read its refresh count).</summary>
    internal TokenSource Tokens { get; }

    /// <summary>How many parts an upload may fail in a row without progress before it is given up (tests lower it).</summary>
    internal int UploadAttemptsWithoutProgress { get; set; } = 5;

    /// <summary>Wait before the n-th resume of an upload in a row: n times this.</summary>
    internal TimeSpan UploadRetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Checks the token and that <c>root_folder_path</c> is a folder, with one small listing.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _api.ListPageAsync(_options.RootFolderPath, 1, 1, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageException e) when (DiskTopApiClient.CodeOf(e) is 400 or 404)
        {
            throw new StorageException(
                StorageErrorKind.NotFound,
                $"root_folder_path {_options.RootFolderPath} is not a folder of this Disk.Top app (paths start at the app's own folder with the files.app_data scope)",
                inner: e);
        }

        DiskTopLog.Ready(_logger, _context.MountPath, _options.RootFolderPath);
    }

    public async Task<StorageEntry> StatAsync(StoragePath path, CancellationToken cancellationToken) =>
        path.IsRoot ? RootEntry : ToEntry(path, await ItemAtAsync(path, cancellationToken).ConfigureAwait(false));

    public async IAsyncEnumerable<StorageEntry> ListAsync(StoragePath path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var shown = new HashSet<string>(StringComparer.Ordinal);
        var any = false;
        var missing = false;
        await using (var pages = PagesAsync(path, cancellationToken).GetAsyncEnumerator(cancellationToken))
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await pages.MoveNextAsync().ConfigureAwait(false);
                }
                catch (StorageException e) when (!any && !path.IsRoot && DiskTopApiClient.CodeOf(e) is 400 or 404)
                {
                    missing = true;
                    break;
                }

                if (!more)
                {
                    break;
                }

                foreach (var item in Distinct(pages.Current, shown, path))
                {
                    any = true;
                    yield return ToEntry(path.Combine(item.Name!), item);
                }
            }
        }

        if ((missing || !any) && !path.IsRoot)
        {
            // A failed or empty listing: tell a file (IsFile) and a missing path (NotFound) from an empty folder.
            var item = await FindAsync(path, cancellationToken).ConfigureAwait(false);
            if (item is { IsFolder: false })
            {
                throw new StorageException(StorageErrorKind.IsFile, $"not a directory: {path}");
            }

            if (item is null || missing)
            {
                throw StorageException.NotFound(path);
            }
        }
    }

    public async Task<StorageReadStream> OpenReadAsync(StoragePath path, ByteRange? range, CancellationToken cancellationToken)
    {
        var item = await FileAtAsync(path, cancellationToken).ConfigureAwait(false);
        var size = Math.Max(0, item.Size ?? 0);
        return await LinkRead.OpenAsync(
            _http,
            size,
            range,
            ct => LinkForAsync(item, path, ct),
            _time,
            (reason, at) => DiskTopLog.ReadResumed(_logger, _context.MountPath, path, at, reason),
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<StorageLink> GetLinkAsync(StoragePath path, LinkRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var item = await FileAtAsync(path, cancellationToken).ConfigureAwait(false);
        return await LinkForAsync(item, path, cancellationToken).ConfigureAwait(false);
    }

    public async Task<StorageQuota> GetQuotaAsync(CancellationToken cancellationToken)
    {
        var quota = await _api.QuotaAsync(cancellationToken).ConfigureAwait(false);
        var used = quota.UsedBytes;
        var free = quota.FreeBytes ?? (quota.TotalBytes is { } total && used is { } u ? total - u : null);
        return new StorageQuota(used is >= 0 ? used : null, free is { } left ? Math.Max(0, left) : null);
    }

    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }

    private static StorageEntry RootEntry => new(StoragePath.Root, true, 0, DateTimeOffset.UnixEpoch);

    /// <summary>
    /// A fresh signed URL (§4.5 download), valid <c>expires_in</c> seconds (600 by default); the host caches it for less.
    /// </summary>
    private async Task<StorageLink> LinkForAsync(DiskTopItem item, StoragePath path, CancellationToken cancellationToken)
    {
        var download = await _api.DownloadAsync(item.Id!.Value, cancellationToken).ConfigureAwait(false);
        if (!Uri.TryCreate(download.Url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new StorageException(StorageErrorKind.Unavailable, $"Disk.Top returned no usable download URL for {path}");
        }

        var lifetime = download.ExpiresIn is > 0 ? TimeSpan.FromSeconds(download.ExpiresIn.Value) : DefaultLinkLifetime;
        return new StorageLink(uri, _time.GetUtcNow() + lifetime);
    }
}
