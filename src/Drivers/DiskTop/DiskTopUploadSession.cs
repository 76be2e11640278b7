using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using OpenList.DriverHost.Drivers.DiskTop.Models;
using OpenList.DriverHost.Drivers.Errors;
using OpenList.DriverHost.Drivers.Resilience;

namespace OpenList.DriverHost.Drivers.DiskTop;

/// <summary>
/// One chunked upload after a precreate miss (cloud-apis.md §4.5): parts of the server's <c>chunk_size</c> posted in
/// order to <c>{endpoint}/u?upload_id=…&amp;part_seq=N</c> (N from 1), then <c>complete</c>. A failed part is not
/// retried blindly and the upload never starts over: the session asks <c>/parts</c> which parts arrived (a part may
/// have arrived although its answer was lost) and sends only the missing ones. <c>complete</c> answering
/// <c>425 incomplete</c> sends the missing parts and completes again; <c>502 complete failed</c> is retried.
/// <see cref="AbortAsync"/> releases the session when the upload is given up or the client went away.
/// </summary>
internal sealed class DiskTopUploadSession
{
    /// <summary>Rounds of "complete answered 425, send what is missing" before the upload is given up.</summary>
    private const int MaxIncompleteRounds = 3;

    private readonly DiskTopApiClient _api;
    private readonly ILogger _logger;
    private readonly string _mountPath;
    private readonly StoragePath _path;
    private readonly DiskTopUploadBody _body;
    private readonly string _uploadId;
    private readonly string _endpoint;
    private readonly long _chunkSize;
    private readonly int _attemptsWithoutProgress;
    private readonly TimeSpan _retryDelay;
    private readonly HashSet<int> _received = [];

    public DiskTopUploadSession(
        DiskTopApiClient api, ILogger logger, string mountPath, StoragePath path, DiskTopUploadBody body, DiskTopPrecreate session, int attemptsWithoutProgress, TimeSpan retryDelay)
    {
        _api = api;
        _logger = logger;
        _mountPath = mountPath;
        _path = path;
        _body = body;
        _uploadId = session.UploadId ?? throw new StorageException(StorageErrorKind.Unavailable, $"Disk.Top answered precreate of {path} without an upload_id");
        _endpoint = (session.Endpoint ?? "").TrimEnd('/');
        if (!Uri.TryCreate(_endpoint, UriKind.Absolute, out var endpoint) || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
        {
            throw new StorageException(StorageErrorKind.Unavailable, $"Disk.Top answered precreate of {path} without a usable upload endpoint");
        }

        _chunkSize = session.ChunkSize ?? 0;
        if (_chunkSize <= 0)
        {
            throw new StorageException(StorageErrorKind.Unavailable, $"Disk.Top answered precreate of {path} without a chunk_size");
        }

        var computed = body.Length == 0 ? 0 : (body.Length + _chunkSize - 1) / _chunkSize;
        var announced = session.TotalParts;
        if (body.Length > 0 && announced is { } total && total != computed)
        {
            throw new StorageException(
                StorageErrorKind.Unavailable,
                $"Disk.Top expects {total} parts of {_chunkSize} bytes for the {body.Length}-byte upload of {path}, which makes {computed}");
        }

        // An empty file: as many (empty) parts as the server asks for, usually none or one.
        PartCount = checked((int)(body.Length == 0 ? Math.Clamp(announced ?? 0, 0, 1) : computed));
        _attemptsWithoutProgress = Math.Max(1, attemptsWithoutProgress);
        _retryDelay = retryDelay;
    }

    public int PartCount { get; }

    /// <summary>Parts sent in this session (a resumed upload sends fewer than <see cref="PartCount"/> once parts arrived before).</summary>
    public int PartsSent { get; private set; }

    /// <summary>
    /// Sends every part and completes; returns what complete answered. A refusal by the upload service (a session
    /// that expired, a part it will not take) is Unavailable: it says nothing about the client's path or name.
    /// </summary>
    public async Task<DiskTopCompleted> RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await RunCoreAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (StorageException e) when (e.Kind is StorageErrorKind.NotFound or StorageErrorKind.AlreadyExists or StorageErrorKind.InvalidName
            or StorageErrorKind.PermissionDenied or StorageErrorKind.IsDirectory or StorageErrorKind.IsFile or StorageErrorKind.NotEmpty)
        {
            throw new StorageException(StorageErrorKind.Unavailable, $"the Disk.Top upload service refused the upload of {_path} ({e.Message}); nothing was kept", inner: e);
        }
    }

    private async Task<DiskTopCompleted> RunCoreAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        var incompleteRounds = 0;
        while (true)
        {
            failures = await SendMissingAsync(failures, cancellationToken).ConfigureAwait(false);
            try
            {
                var data = await _api.CallAsync(HttpMethod.Post, Url("/complete"), null, "upload complete", idempotent: false, bearer: false, cancellationToken, body: EmptyBody, longRunning: true).ConfigureAwait(false);
                return DiskTopApiClient.Read(data, DiskTopJsonContext.Default.DiskTopCompleted, "upload complete") ?? new DiskTopCompleted();
            }
            catch (Exception e) when (DiskTopApiClient.CodeOf(e) == 425 && !cancellationToken.IsCancellationRequested)
            {
                // §4.5: "425 incomplete: N/M" — ask which parts are missing and send them.
                DiskTopLog.UploadIncomplete(_logger, _mountPath, _path, Reason(e));
                if (++incompleteRounds > MaxIncompleteRounds)
                {
                    throw new StorageException(StorageErrorKind.Unavailable, $"Disk.Top kept answering complete of {_path} with 425 incomplete; the upload is given up", inner: e);
                }

                await ReloadReceivedAsync(cancellationToken).ConfigureAwait(false);
                if (_received.Count >= PartCount)
                {
                    // /parts says every part arrived: the server lost one behind it; send them all once more.
                    _received.Clear();
                }
            }
            catch (StorageException e) when (DiskTopApiClient.CodeOf(e) == 400)
            {
                // The server would not assemble the parts (an MD5 that does not match precreate's): not the client's name.
                throw new StorageException(StorageErrorKind.Unavailable, $"Disk.Top refused to assemble the upload of {_path} ({e.Message}); nothing was kept", inner: e);
            }
            catch (Exception e) when (IsRetryable(e) && !cancellationToken.IsCancellationRequested)
            {
                // §4.5: "502 complete failed" (or a lost answer): complete again after a pause.
                if (++failures >= _attemptsWithoutProgress)
                {
                    throw GiveUp(e, "complete");
                }

                await DelayAsync(e, failures, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Releases the session on the server (best effort: failures are logged; the session expires anyway).</summary>
    public async Task AbortAsync(string reason)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30), _api.Time);
        try
        {
            await _api.CallAsync(HttpMethod.Post, Url("/abort"), null, "upload abort", idempotent: true, bearer: false, timeout.Token, body: EmptyBody).ConfigureAwait(false);
            DiskTopLog.UploadAborted(_logger, _mountPath, _path, reason);
        }
        catch (Exception e) when (e is StorageException or OperationCanceledException or HttpRequestException or TransientCloudException or ThrottledCloudException)
        {
            DiskTopLog.AbortFailed(_logger, _mountPath, _path, e);
        }
    }

    /// <summary>Sends every part /parts has not confirmed, in order; returns the failures in a row left over.</summary>
    private async Task<int> SendMissingAsync(int failures, CancellationToken cancellationToken)
    {
        for (var part = 1; part <= PartCount; part++)
        {
            if (_received.Contains(part))
            {
                continue;
            }

            try
            {
                await SendPartAsync(part, cancellationToken).ConfigureAwait(false);
                _received.Add(part);
                failures = 0;
            }
            catch (Exception e) when (IsRetryable(e) && !cancellationToken.IsCancellationRequested)
            {
                if (++failures >= _attemptsWithoutProgress)
                {
                    throw GiveUp(e, $"part {part.ToString(CultureInfo.InvariantCulture)}");
                }

                DiskTopLog.UploadResuming(_logger, _mountPath, _path, part, Reason(e));
                await DelayAsync(e, failures, cancellationToken).ConfigureAwait(false);
                await ReloadReceivedAsync(cancellationToken).ConfigureAwait(false);
                DiskTopLog.UploadResumed(_logger, _mountPath, _path, _received.Count, PartCount);
                part = 0; // start again from the first missing part
            }
        }

        return failures;
    }

    private async Task SendPartAsync(int part, CancellationToken cancellationToken)
    {
        var offset = (part - 1) * _chunkSize;
        var length = Math.Max(0, Math.Min(_chunkSize, _body.Length - offset));
        var url = new Uri(_endpoint + "/u?upload_id=" + Uri.EscapeDataString(_uploadId) + "&part_seq=" + part.ToString(CultureInfo.InvariantCulture));
        PartsSent++;
        await _api.CallAsync(
            HttpMethod.Post,
            url,
            null,
            "upload chunk",
            idempotent: true,
            bearer: false,
            cancellationToken,
            body: () =>
            {
                var content = _body.Segment(offset, length);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                return content;
            },
            longRunning: true).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>GET {endpoint}/u/{upload_id}/parts</c>: <c>received_parts</c> is an array of part numbers there (in a chunk
    /// answer it is a count); the keys of <c>parts</c> are read when the array is absent. A failure keeps what is known.
    /// </summary>
    private async Task ReloadReceivedAsync(CancellationToken cancellationToken)
    {
        JsonElement data;
        try
        {
            data = await _api.CallAsync(HttpMethod.Get, Url("/parts"), null, "upload parts", idempotent: true, bearer: false, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsRetryable(e) && !cancellationToken.IsCancellationRequested)
        {
            return;
        }

        var parts = new HashSet<int>();
        if (data.ValueKind == JsonValueKind.Object && data.TryGetProperty("received_parts", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var n in list.EnumerateArray())
            {
                if (n.ValueKind == JsonValueKind.Number && n.TryGetInt32(out var seq))
                {
                    parts.Add(seq);
                }
                else if (n.ValueKind == JsonValueKind.String && int.TryParse(n.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out seq))
                {
                    parts.Add(seq);
                }
            }
        }
        else if (data.ValueKind == JsonValueKind.Object && data.TryGetProperty("parts", out var map) && map.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in map.EnumerateObject())
            {
                if (int.TryParse(property.Name, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seq))
                {
                    parts.Add(seq);
                }
            }
        }
        else
        {
            return;
        }

        _received.Clear();
        _received.UnionWith(parts.Where(p => p >= 1 && p <= PartCount));
    }

    private Uri Url(string action) => new(_endpoint + "/u/" + Uri.EscapeDataString(_uploadId) + action);

    private static HttpContent EmptyBody() => new ByteArrayContent([]);

    private Task DelayAsync(Exception e, int failures, CancellationToken cancellationToken)
    {
        var wait = e is ThrottledCloudException { RetryAfter: { } after } ? after : _retryDelay * failures;
        return wait <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(wait, _api.Time, cancellationToken);
    }

    private static bool IsRetryable(Exception e) =>
        e is TransientCloudException or ThrottledCloudException or HttpRequestException or IOException
        || (e is StorageException s && s.Kind is StorageErrorKind.Unavailable or StorageErrorKind.RateLimited && DiskTopApiClient.CodeOf(e) is null or >= 500 or 429);

    private static string Reason(Exception e) => e switch
    {
        TransientCloudException or StorageException or ThrottledCloudException => e.Message,
        _ => "connection failed",
    };

    private StorageException GiveUp(Exception e, string step) => new(
        StorageErrorKind.Unavailable,
        $"Disk.Top upload of {_path} failed at {step} {_attemptsWithoutProgress.ToString(CultureInfo.InvariantCulture)} times in a row ({Reason(e)}); nothing was kept",
        TimeSpan.FromSeconds(10),
        e);
}
