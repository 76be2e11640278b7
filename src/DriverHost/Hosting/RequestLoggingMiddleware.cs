using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using OpenList.DriverHost.Config;
using OpenList.DriverHost.Drivers.Diagnostics;
using OpenList.DriverHost.Mounts;

namespace OpenList.DriverHost.Hosting;

/// <summary>
/// One line per request with its id, method, path (no query: signed links carry secrets there), the mount it
/// reached, status, bytes sent and time; and the request counters (<see cref="DriverHostMetrics"/>). Headers are
/// never logged, so an Authorization header cannot leak.
/// </summary>
public sealed partial class RequestLoggingMiddleware
{
    private readonly RequestDelegate _next;
    private readonly ILogger<RequestLoggingMiddleware> _logger;
    private readonly MountTableHolder? _mounts;
    private readonly string _davPrefix;

    public RequestLoggingMiddleware(RequestDelegate next, ILogger<RequestLoggingMiddleware> logger, DriverHostConfig config, MountTableHolder? mounts = null)
    {
        _next = next;
        _logger = logger;
        _mounts = mounts;
        _davPrefix = config.Server.DavPrefix == "/" ? string.Empty : config.Server.DavPrefix;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        context.Response.Headers["X-Request-Id"] = context.TraceIdentifier;
        var body = context.Features.Get<IHttpResponseBodyFeature>()!;
        var counting = new CountingResponseStream(body.Stream);
        context.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(counting, body));
        var upload = HttpMethods.IsPut(context.Request.Method);
        if (upload)
        {
            DriverHostMetrics.OpenUploads.Add(1);
        }

        try
        {
            await _next(context).ConfigureAwait(false);
        }
        catch (Exception ex) when (LogUnhandled(context, ex))
        {
            throw;
        }
        finally
        {
            context.Features.Set(body);
            if (upload)
            {
                DriverHostMetrics.OpenUploads.Add(-1);
            }

            var status = context.Response.StatusCode;
            DriverHostMetrics.Requests.Add(1, new KeyValuePair<string, object?>("method", context.Request.Method), new KeyValuePair<string, object?>("status", status));
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            LogRequest(_logger, context.TraceIdentifier, context.Request.Method, LoggedPath(context.Request.Path.Value), MountOf(context.Request.Path.Value), status, counting.Written, elapsed);
        }
    }

    /// <summary>
    /// The path as logged: the relay's phone link <c>/relay/&lt;provider&gt;/go/&lt;id&gt;</c> carries a one-time id in the
    /// path that starts someone's authorization, so the id is masked.
    /// </summary>
    internal static string LoggedPath(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return "/";
        }

        if (!path.StartsWith("/relay/", StringComparison.Ordinal))
        {
            return path; // every other request: no split, no allocation
        }

        var parts = path.Split('/');
        if (parts.Length >= 5 && parts[0].Length == 0 && parts[1] == "relay" && parts[3] == "go" && parts[4].Length > 0)
        {
            parts[4] = "***";
            return string.Join('/', parts);
        }

        return path;
    }

    /// <summary>The mount path a WebDAV request reached ("-" for anything else).</summary>
    private string MountOf(string? path)
    {
        if (_mounts is null || string.IsNullOrEmpty(path))
        {
            return "-";
        }

        string inner;
        if (_davPrefix.Length == 0)
        {
            inner = path;
        }
        else if (path.StartsWith(_davPrefix, StringComparison.Ordinal) && (path.Length == _davPrefix.Length || path[_davPrefix.Length] == '/'))
        {
            inner = path.Length == _davPrefix.Length ? "/" : path[_davPrefix.Length..];
        }
        else if (path.StartsWith("/d/", StringComparison.Ordinal) || path.StartsWith("/p/", StringComparison.Ordinal))
        {
            inner = path[2..];
        }
        else
        {
            return "-";
        }

        return _mounts.Current.Resolve(inner.Length > 1 ? inner.TrimEnd('/') : inner) is { } hit ? hit.Mount.MountPath : "-";
    }

    private bool LogUnhandled(HttpContext context, Exception ex)
    {
        LogFailure(_logger, ex, context.TraceIdentifier, context.Request.Method, LoggedPath(context.Request.Path.Value));
        return false;
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "[{RequestId}] {Method} {Path} ({Mount}) → {Status}, {BytesSent} bytes in {ElapsedMs:0.0} ms")]
    private static partial void LogRequest(ILogger logger, string requestId, string method, string path, string mount, int status, long bytesSent, double elapsedMs);

    [LoggerMessage(EventId = 21, Level = LogLevel.Error, Message = "[{RequestId}] {Method} {Path} failed")]
    private static partial void LogFailure(ILogger logger, Exception exception, string requestId, string method, string path);

    /// <summary>Passes writes to the response and counts them.</summary>
    private sealed class CountingResponseStream : Stream
    {
        private readonly Stream _inner;
        private long _written;

        public CountingResponseStream(Stream inner) => _inner = inner;

        public long Written => Interlocked.Read(ref _written);

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Flush() => _inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            _inner.Write(buffer, offset, count);
            Interlocked.Add(ref _written, count);
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await _inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
            Interlocked.Add(ref _written, buffer.Length);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }
}
