using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using OpenList.DriverHost.Drivers.AliyundriveOpen.Models;
using OpenList.DriverHost.Drivers.Capabilities;
using OpenList.DriverHost.Drivers.Errors;
using OpenList.DriverHost.Drivers.Http;
using OpenList.DriverHost.Drivers.PathIds;
using OpenList.DriverHost.Drivers.Resilience;
using OpenList.DriverHost.Drivers.Tokens;

namespace OpenList.DriverHost.Drivers.AliyundriveOpen;

/// <summary>
/// Aliyundrive Open (阿里云盘 Open), the way OpenList's <c>aliyundrive_open</c> driver uses it (cloud-apis.md §2):
/// id-addressed, so paths resolve through the listing (<see cref="PathIdCache"/>); several entries may share a name
/// in one folder, and the driver shows only the newest. Lookups are in <c>.Lookup.cs</c>, writes in <c>.Files.cs</c>,
/// uploads in <c>.Upload.cs</c>.
/// </summary>
public sealed partial class AliyundriveOpenDriver : IStorageDriver, IServerSideCopy, IServerSideMove, IQuotaProvider, ILinkProvider
{
    private static readonly DriverCapabilities DriverCapabilities = new()
    {
        CaseInsensitive = false,
        EmptyDirectories = true,
        ModTimePrecision = null, // the listing reports the server's updated_at, not the client's time
        Hashes = new HashSet<string>(StringComparer.Ordinal) { HashNames.Sha1 },
    };

    private readonly AliyundriveOpenOptions _options;
    private readonly DriverContext _context;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly HttpClient _http;
    private readonly AliyundriveOpenApiClient _api;
    private readonly PathIdCache _ids;
    private string? _driveId;

    public AliyundriveOpenDriver(AliyundriveOpenOptions options, DriverContext context)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        _options = options;
        _context = context;
        _time = context.TimeProvider;
        _logger = context.LoggerFactory.CreateLogger<AliyundriveOpenDriver>();
        var plumbing = new CloudPlumbing(context, "Aliyun", _logger);
        _http = plumbing.Http;
        AliyundriveOpenApiClient? api = null;
        var refresher = new AliyundriveOpenTokenRefresher(options, _http, plumbing.Pipeline, () => api!.Limiter(AliyunCallClass.Other), _time);
        Tokens = plumbing.CreateTokenSource(o => o with
        {
            ConfiguredAccessToken = options.AccessToken,
            ConfiguredRefreshToken = options.RefreshToken,
            Refresher = refresher.RefreshAsync,
            ReadExpiry = AliyundriveOpenTokenRefresher.ReadExpiry,
            ReauthorizeHint = "re-authorize and paste a new refresh token",
        });
        api = new AliyundriveOpenApiClient(plumbing, Tokens, options);
        _api = api;
        _ids = new PathIdCache(options.RootFolderId, FindChildNodeAsync);
    }

    public DriverCapabilities Capabilities => DriverCapabilities;

    /// <summary>Download links carry their own signature; any client may follow them.</summary>
    public bool LinksBoundToUserAgent => false;

    /// <summary>The mount's token source (tests read its refresh count).</summary>
    internal TokenSource Tokens { get; }

    private string DriveId => _driveId ?? throw new InvalidOperationException("InitializeAsync has not completed");

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        _api.Account = string.Empty; // getDriveInfo waits on the shared "initial" limiter
        var info = await _api.GetDriveInfoAsync(cancellationToken).ConfigureAwait(false);
        var driveId = info.DriveId(_options.DriveType);
        if (string.IsNullOrEmpty(driveId))
        {
            throw new StorageException(
                StorageErrorKind.NotFound,
                $"getDriveInfo returned no {_options.DriveType}_drive_id: this account has no \"{_options.DriveType}\" drive; "
                + $"set {AliyundriveOpenOptions.Keys.DriveType} to one of {string.Join(", ", AliyundriveOpenOptions.DriveTypes)} that it has");
        }

        _driveId = driveId;
        _api.Account = info.UserId ?? string.Empty;
        AliyundriveOpenLog.Ready(_logger, _context.MountPath, _options.DriveType, _options.RootFolderId);
    }

    public async Task<StorageEntry> StatAsync(StoragePath path, CancellationToken cancellationToken)
    {
        if (path.IsRoot)
        {
            return RootEntry;
        }

        var (_, lookup) = await LookupAsync(path, wantAll: false, cancellationToken).ConfigureAwait(false);
        return lookup.Visible is { } file ? Remember(path, file) : throw StorageException.NotFound(path);
    }

    public async IAsyncEnumerable<StorageEntry> ListAsync(StoragePath path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var directory = await _ids.ResolveDirectoryAsync(path, cancellationToken).ConfigureAwait(false);
        var shown = new HashSet<string>(StringComparer.Ordinal);
        var markers = new HashSet<string>(StringComparer.Ordinal);
        var marker = string.Empty;
        var first = true;
        do
        {
            AliyunListResponse page;
            try
            {
                page = await _api.ListAsync(DriveId, directory.Id, marker, cancellationToken).ConfigureAwait(false);
            }
            catch (StorageException e) when (first && e.Kind == StorageErrorKind.NotFound && !path.IsRoot)
            {
                // The remembered id went stale (moved or removed elsewhere): look the path up afresh, once.
                _ids.Forget(path);
                directory = await _ids.ResolveDirectoryAsync(path, cancellationToken).ConfigureAwait(false);
                page = await _api.ListAsync(DriveId, directory.Id, marker, cancellationToken).ConfigureAwait(false);
            }

            first = false;
            foreach (var file in Collapse(page.Items, shown, path))
            {
                yield return Remember(path.Combine(file.DisplayName), file);
            }

            marker = NextMarker(page, markers);
        }
        while (marker.Length > 0);
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
            (reason, offset) => AliyundriveOpenLog.ReadResumed(_logger, _context.MountPath, path, offset, reason),
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

    public async Task<StorageQuota> GetQuotaAsync(CancellationToken cancellationToken)
    {
        var info = await _api.GetSpaceInfoAsync(cancellationToken).ConfigureAwait(false);
        var used = info.PersonalSpaceInfo?.UsedSize;
        var total = info.PersonalSpaceInfo?.TotalSize;
        return new StorageQuota(
            used is >= 0 ? used : null,
            total is { } t && used is { } u ? Math.Max(0, t - u) : null);
    }

    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }

    private StorageEntry RootEntry => new(StoragePath.Root, true, 0, DateTimeOffset.UnixEpoch, Id: _options.RootFolderId);

    /// <summary>A fresh download link for a file (§2.5, §5): <c>url</c>, or a live photo's chosen stream.</summary>
    private async Task<StorageLink> LinkForAsync(StorageEntry entry, CancellationToken cancellationToken)
    {
        var answer = await _api.GetDownloadUrlAsync(DriveId, entry.Id!, cancellationToken).ConfigureAwait(false);
        var url = answer.Url;
        if (string.IsNullOrEmpty(url) && entry.Name.EndsWith(".livp", StringComparison.OrdinalIgnoreCase)
            && answer.StreamsUrl is { } streams && streams.TryGetValue(_options.LivpDownloadFormat, out var stream))
        {
            url = stream;
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new StorageException(StorageErrorKind.Unavailable, $"Aliyun returned no usable download URL for {entry.Path}");
        }

        var expires = AliyunFile.ParseTime(answer.Expiration)
            ?? _time.GetUtcNow().AddSeconds(AliyundriveOpenApiClient.LinkLifetimeSeconds);
        return new StorageLink(uri, expires);
    }
}
