using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using OpenList.DriverHost.Drivers.Capabilities;

namespace OpenList.DriverHost.Drivers.Http;

/// <summary>
/// The bytes of a file from <c>offset</c> to its end, read from its download link with upstream Range requests.
/// When the connection drops, stalls or ends early, or the link is refused (expired), it asks again from the current
/// offset, with a fresh link when the old one was refused, so the client sees one unbroken response.
/// It gives up after <see cref="ResumeOptions.MaxAttemptsWithoutProgress"/> attempts in a row that delivered nothing.
/// </summary>
public sealed class ResumableLinkStream : Stream
{
    private readonly HttpClient _http;
    private readonly Func<bool, CancellationToken, Task<StorageLink>> _getLink;
    private readonly long _length;
    private readonly ResumeOptions _options;
    private readonly TimeProvider _time;
    private readonly Action<string, long> _onRetry;
    private HttpResponseMessage? _response;
    private Stream? _body;
    private long _position;
    private int _failures;
    private bool _wantFreshLink;

    /// <param name="getLink">The file's link; its argument is true when the last one was refused and a new one is needed.</param>
    /// <param name="onRetry">Told why and at which offset the stream reconnects (for the log).</param>
    public ResumableLinkStream(
        HttpClient http,
        Func<bool, CancellationToken, Task<StorageLink>> getLink,
        long offset,
        long length,
        ResumeOptions options,
        TimeProvider time,
        Action<string, long> onRetry)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        _http = http;
        _getLink = getLink;
        _position = offset;
        _length = length;
        _options = options;
        _time = time;
        _onRetry = onRetry;
    }

    /// <summary>Upstream requests made so far (the first one included).</summary>
    public int Requests { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position >= _length || buffer.IsEmpty)
        {
            return 0;
        }

        var wanted = buffer[..(int)Math.Min(buffer.Length, _length - _position)];
        while (true)
        {
            if (_body is null)
            {
                await ConnectAsync(cancellationToken).ConfigureAwait(false);
            }

            int read;
            try
            {
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                idle.CancelAfter(_options.IdleTimeout);
                read = await _body!.ReadAsync(wanted, idle.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is IOException or HttpRequestException or OperationCanceledException)
            {
                await FailAsync(e is OperationCanceledException ? "no data for " + _options.IdleTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture) + " s" : "connection lost", cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (read == 0)
            {
                await FailAsync("upstream body ended early", cancellationToken).ConfigureAwait(false);
                continue;
            }

            _position += read;
            _failures = 0;
            return read;
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Disconnect();
        }

        base.Dispose(disposing);
    }

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var fresh = _wantFreshLink;
            var link = await _getLink(fresh, cancellationToken).ConfigureAwait(false);
            _wantFreshLink = false;
            using var request = new HttpRequestMessage(HttpMethod.Get, link.Url);
            foreach (var (name, value) in link.Headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            request.Headers.Range = new RangeHeaderValue(_position, _length - 1);
            Requests++;
            try
            {
                _response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is HttpRequestException or OperationCanceledException or IOException)
            {
                await FailAsync("cannot connect", cancellationToken).ConfigureAwait(false);
                continue;
            }

            var status = _response.StatusCode;
            if (status == HttpStatusCode.PartialContent && _response.Content.Headers.ContentRange is { From: { } from } && from == _position)
            {
                _body = await _response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                return;
            }

            if (status == HttpStatusCode.OK)
            {
                // The server ignored Range: read up to the offset and drop it (slow, but the response stays whole).
                _body = await _response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                if (await SkipAsync(_body, _position, cancellationToken).ConfigureAwait(false))
                {
                    return;
                }

                await FailAsync("upstream ignored Range and ended early", cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.Gone)
            {
                // The link expired or was revoked: the next attempt asks the driver for a new one.
                _wantFreshLink = true;
                if (fresh)
                {
                    await FailAsync("a fresh link was refused (HTTP " + ((int)status).ToString(CultureInfo.InvariantCulture) + ")", cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    _onRetry("link refused (HTTP " + ((int)status).ToString(CultureInfo.InvariantCulture) + "), fetching a new one", _position);
                    Disconnect();
                }

                continue;
            }

            if (status == HttpStatusCode.RequestedRangeNotSatisfiable)
            {
                Disconnect();
                throw new IOException($"upstream refused bytes {_position}-{_length - 1}: the file changed while it was read");
            }

            await FailAsync("upstream answered HTTP " + ((int)status).ToString(CultureInfo.InvariantCulture), cancellationToken, _response.Headers.RetryAfter?.Delta).ConfigureAwait(false);
        }
    }

    private async Task FailAsync(string reason, CancellationToken cancellationToken, TimeSpan? retryAfter = null)
    {
        Disconnect();
        _failures++;
        if (_failures >= _options.MaxAttemptsWithoutProgress)
        {
            throw new IOException($"download stopped at byte {_position}: {reason} ({_failures} attempts in a row)");
        }

        _onRetry(reason, _position);
        var delay = retryAfter ?? _options.RetryDelay * _failures;
        if (delay > _options.MaxRetryDelay)
        {
            delay = _options.MaxRetryDelay;
        }

        await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
    }

    private void Disconnect()
    {
        _body?.Dispose();
        _response?.Dispose();
        _body = null;
        _response = null;
    }

    private static async Task<bool> SkipAsync(Stream body, long count, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        while (count > 0)
        {
            var n = await body.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count)), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                return false;
            }

            count -= n;
        }

        return true;
    }
}

/// <summary>How hard <see cref="ResumableLinkStream"/> tries.</summary>
public sealed record ResumeOptions
{
    /// <summary>Attempts in a row that deliver no byte before the response is given up (and cut).</summary>
    public int MaxAttemptsWithoutProgress { get; init; } = 6;

    /// <summary>A connection that delivers nothing for this long is replaced.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Wait before the n-th retry in a row: n times this, at most <see cref="MaxRetryDelay"/> (Retry-After wins).</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(5);
}
