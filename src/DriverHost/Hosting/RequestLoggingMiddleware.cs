using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace OpenList.DriverHost.Hosting;

/// <summary>
/// One line per request with its id, method, path (no query: signed links carry secrets there), status and time.
/// Headers are never logged, so an Authorization header cannot leak.
/// </summary>
public sealed partial class RequestLoggingMiddleware
{
    private readonly RequestDelegate _next;
    private readonly ILogger<RequestLoggingMiddleware> _logger;

    public RequestLoggingMiddleware(RequestDelegate next, ILogger<RequestLoggingMiddleware> logger)
    {
        _next = next;
        _logger = logger;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        context.Response.Headers["X-Request-Id"] = context.TraceIdentifier;
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
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            LogRequest(_logger, context.TraceIdentifier, context.Request.Method, context.Request.Path.Value ?? "/", context.Response.StatusCode, elapsed);
        }
    }

    private bool LogUnhandled(HttpContext context, Exception ex)
    {
        LogFailure(_logger, ex, context.TraceIdentifier, context.Request.Method, context.Request.Path.Value ?? "/");
        return false;
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "[{RequestId}] {Method} {Path} → {Status} in {ElapsedMs:0.0} ms")]
    private static partial void LogRequest(ILogger logger, string requestId, string method, string path, int status, double elapsedMs);

    [LoggerMessage(EventId = 21, Level = LogLevel.Error, Message = "[{RequestId}] {Method} {Path} failed")]
    private static partial void LogFailure(ILogger logger, Exception exception, string requestId, string method, string path);
}
