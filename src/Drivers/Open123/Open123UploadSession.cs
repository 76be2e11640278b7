using System.Globalization;
using Microsoft.Extensions.Logging;
using OpenList.DriverHost.Drivers.Errors;

namespace OpenList.DriverHost.Drivers.Open123;

/// <summary>
/// The slices of one upload (cloud-apis.md §3.6 step 3): <c>sliceSize</c> bytes each, posted as multipart
/// (<c>preuploadID</c>, <c>sliceNo</c> from 1, <c>sliceMD5</c>, file part <c>slice</c>) to the first upload server
/// of create, <c>UploadThread</c> at a time. Each slice is tried up to four times, with back-off from one second.
/// </summary>
internal sealed class Open123UploadSession
{
    private const int Retries = 3;
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);

    private readonly Open123ApiClient _api;
    private readonly Open123UploadBody _body;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _mountPath;
    private readonly StoragePath _path;
    private readonly string _preuploadId;
    private readonly long _sliceSize;
    private readonly Uri _server;
    private readonly int _threads;

    public Open123UploadSession(
        Open123ApiClient api,
        Open123UploadBody body,
        TimeProvider time,
        ILogger logger,
        string mountPath,
        StoragePath path,
        string preuploadId,
        long sliceSize,
        Uri server,
        int threads)
    {
        _api = api;
        _body = body;
        _time = time;
        _logger = logger;
        _mountPath = mountPath;
        _path = path;
        _preuploadId = preuploadId;
        _sliceSize = sliceSize;
        _server = server;
        _threads = threads;
    }

    public int SliceCount => (int)((_body.Length + _sliceSize - 1) / _sliceSize);

    /// <summary>Sends every slice; the first slice that fails for good stops the others.</summary>
    public Task UploadAsync(CancellationToken cancellationToken)
    {
        var count = SliceCount;
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Clamp(_threads, 1, Math.Max(count, 1)), CancellationToken = cancellationToken };
        return Parallel.ForEachAsync(Enumerable.Range(1, count), options, async (number, ct) => await SendAsync(number, ct).ConfigureAwait(false));
    }

    private async Task SendAsync(int number, CancellationToken cancellationToken)
    {
        var offset = (number - 1) * _sliceSize;
        var length = Math.Min(_sliceSize, _body.Length - offset);
        var md5 = await _body.SliceMd5Async(offset, length, cancellationToken).ConfigureAwait(false);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await _api.UploadSliceAsync(_server, () => Multipart(number, md5, offset, length), cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (StorageException e) when (e.Kind is StorageErrorKind.Unavailable or StorageErrorKind.RateLimited && attempt <= Retries)
            {
                Open123Log.SliceRetry(_logger, _mountPath, _path, number, attempt, e.Message);
            }

            await Task.Delay(FirstBackoff * Math.Pow(2, attempt - 1), _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private MultipartFormDataContent Multipart(int number, string md5, long offset, long length)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent(_preuploadId), "preuploadID" },
            { new StringContent(number.ToString(CultureInfo.InvariantCulture)), "sliceNo" },
            { new StringContent(md5), "sliceMD5" },
        };
        form.Add(_body.Slice(offset, length), "slice", _path.Name + ".part" + number.ToString(CultureInfo.InvariantCulture));
        return form;
    }
}
