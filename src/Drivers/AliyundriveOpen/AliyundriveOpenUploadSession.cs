using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using OpenList.DriverHost.Drivers.AliyundriveOpen.Models;
using OpenList.DriverHost.Drivers.Errors;

namespace OpenList.DriverHost.Drivers.AliyundriveOpen;

/// <summary>
/// The part URLs of one multipart upload and the PUTs to them (cloud-apis.md §2.6 step 5): raw bytes, no
/// Authorization and no Content-Type; 200 or 409 is success; each part is tried up to four times with back-off
/// from one second; the URLs are fetched again (getUploadUrl) once they are 50 minutes old or the storage refuses one.
/// </summary>
internal sealed class AliyundriveOpenUploadSession
{
    /// <summary>Part URLs are re-fetched when they are this old (OpenList's rule).</summary>
    public static readonly TimeSpan UrlLifetime = TimeSpan.FromMinutes(50);

    private const string PublicUploadPrefix = "https://cn-beijing-data.aliyundrive.net/";
    private const string InternalUploadPrefix = "http://ccp-bj29-bj-1592982087.oss-cn-beijing-internal.aliyuncs.com/";
    private const int Retries = 3;
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromMinutes(10);

    private readonly AliyundriveOpenApiClient _api;
    private readonly HttpClient _http;
    private readonly AliyundriveOpenOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _mountPath;
    private readonly StoragePath _path;
    private readonly string _driveId;
    private readonly string _fileId;
    private readonly string _uploadId;
    private readonly int _count;
    private Dictionary<int, string> _urls = new();
    private DateTimeOffset _fetchedAt;

    public AliyundriveOpenUploadSession(
        AliyundriveOpenApiClient api,
        HttpClient http,
        AliyundriveOpenOptions options,
        TimeProvider time,
        ILogger logger,
        string mountPath,
        StoragePath path,
        string driveId,
        string fileId,
        string uploadId,
        int count,
        List<AliyunPartInfo>? parts)
    {
        _api = api;
        _http = http;
        _options = options;
        _time = time;
        _logger = logger;
        _mountPath = mountPath;
        _path = path;
        _driveId = driveId;
        _fileId = fileId;
        _uploadId = uploadId;
        _count = count;
        Accept(parts);
    }

    public async Task PutPartAsync(AliyundriveOpenPart part, CancellationToken cancellationToken)
    {
        if (_time.GetUtcNow() - _fetchedAt >= UrlLifetime || !_urls.ContainsKey(part.Number))
        {
            await RefreshAsync(cancellationToken).ConfigureAwait(false);
        }

        var refreshedAfterRefusal = false;
        for (var attempt = 1; ; attempt++)
        {
            string failure;
            try
            {
                var status = await SendAsync(part, cancellationToken).ConfigureAwait(false);
                if (status is HttpStatusCode.OK or HttpStatusCode.Conflict)
                {
                    return;
                }

                failure = "HTTP " + ((int)status).ToString(CultureInfo.InvariantCulture);
                if (status == HttpStatusCode.Forbidden && !refreshedAfterRefusal)
                {
                    // The pre-signed URL expired early: fetch new ones; this try does not count.
                    refreshedAfterRefusal = true;
                    await RefreshAsync(cancellationToken).ConfigureAwait(false);
                    attempt--;
                    continue;
                }
            }
            catch (Exception e) when (e is HttpRequestException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                failure = e is OperationCanceledException ? "timed out" : "connection failed";
            }

            if (attempt > Retries)
            {
                throw new StorageException(
                    StorageErrorKind.Unavailable,
                    $"uploading part {part.Number} of {_count} of {_path} failed {attempt} times ({failure}); nothing was kept",
                    TimeSpan.FromSeconds(10));
            }

            AliyundriveOpenLog.PartRetry(_logger, _mountPath, _path, part.Number, attempt, failure);
            await Task.Delay(FirstBackoff * Math.Pow(2, attempt - 1), _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<HttpStatusCode> SendAsync(AliyundriveOpenPart part, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(AttemptTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        using var request = new HttpRequestMessage(HttpMethod.Put, _urls[part.Number]) { Content = part.CreateContent() };
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
        return response.StatusCode;
    }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var fresh = await _api.GetUploadUrlAsync(_driveId, _fileId, _uploadId, _count, cancellationToken).ConfigureAwait(false);
        Accept(fresh.PartInfoList);
        AliyundriveOpenLog.UploadUrlsRefreshed(_logger, _mountPath, _path);
    }

    private void Accept(List<AliyunPartInfo>? parts)
    {
        var urls = new Dictionary<int, string>(_urls);
        foreach (var part in parts ?? [])
        {
            if (part is { UploadUrl.Length: > 0 } && Rewrite(part.UploadUrl) is var url && Uri.TryCreate(url, UriKind.Absolute, out _))
            {
                urls[part.PartNumber] = url; // as signed: never re-encoded
            }
        }

        _urls = urls;
        _fetchedAt = _time.GetUtcNow();
    }

    /// <summary><c>internal_upload</c> (§2.1): the public OSS endpoint becomes the Beijing internal one.</summary>
    private string Rewrite(string url) =>
        _options.InternalUpload && url.StartsWith(PublicUploadPrefix, StringComparison.Ordinal)
            ? InternalUploadPrefix + url[PublicUploadPrefix.Length..]
            : url;
}
