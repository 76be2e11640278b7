using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using OpenList.DriverHost.Mounts;
using OpenList.DriverHost.WebDav.Http;
using OpenList.DriverHost.WebDav.Store;

namespace OpenList.DriverHost.Downloads;

/// <summary>
/// OpenList's signed download routes (DESIGN.md §5): <c>/d/&lt;path&gt;?sign=</c> answers as the storage's policy says and
/// <c>/p/&lt;path&gt;?sign=</c> always streams. The signature is the credential, so these run before Basic auth; the
/// path is the full virtual path, so a signed link reaches exactly one file whoever holds it.
/// </summary>
public sealed partial class SignedDownloadMiddleware
{
    private readonly RequestDelegate _next;
    private readonly MountTableHolder _table;
    private readonly DownloadService _downloads;
    private readonly ILogger<SignedDownloadMiddleware> _logger;

    public SignedDownloadMiddleware(RequestDelegate next, MountTableHolder table, DownloadService downloads, ILogger<SignedDownloadMiddleware> logger)
    {
        _next = next;
        _table = table;
        _downloads = downloads;
        _logger = logger;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "/";
        var route = rawTarget.StartsWith("/d/", StringComparison.Ordinal) ? DownloadRoute.SignedDirect
            : rawTarget.StartsWith("/p/", StringComparison.Ordinal) ? DownloadRoute.SignedProxy
            : (DownloadRoute?)null;
        if (route is not { } chosen)
        {
            await _next(context).ConfigureAwait(false);
            return;
        }

        try
        {
            await ServeAsync(context, rawTarget[2..], chosen).ConfigureAwait(false);
        }
        catch (Exception ex) when (context.RequestAborted.IsCancellationRequested && ex is OperationCanceledException or DavException or IOException)
        {
            context.Abort();
        }
        catch (DavException ex)
        {
            if (ex.StatusCode >= 500)
            {
                LogServerError(_logger, context.TraceIdentifier, context.Request.Method, ex.StatusCode, ex.Message);
            }

            await WriteErrorAsync(context, ex.StatusCode, ex.Message, ex.RetryAfter).ConfigureAwait(false);
        }
    }

    private async Task ServeAsync(HttpContext context, string rawPath, DownloadRoute route)
    {
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            context.Response.Headers.Allow = "GET, HEAD";
            throw new DavException(StatusCodes.Status405MethodNotAllowed, "signed downloads answer GET and HEAD only");
        }

        if (!PathCodec.TryDecodeSegments(rawPath, out var segments, out var error))
        {
            throw new DavException(StatusCodes.Status400BadRequest, error!);
        }

        var path = DavPath.FromSegments(segments);
        if (_downloads.Signer.Check(path.Value, context.Request.Query["sign"].ToString()) is { } refused)
        {
            throw new DavException(StatusCodes.Status403Forbidden, refused);
        }

        // The whole table as the signer saw it; nothing is writable through these routes.
        var store = new MountedStore(_table.Current, "/", canWrite: false, _downloads);
        var item = await store.GetItemAsync(path, context.RequestAborted).ConfigureAwait(false)
            ?? throw new DavException(StatusCodes.Status404NotFound, $"{path} not found");
        if (item.IsCollection)
        {
            throw new DavException(StatusCodes.Status405MethodNotAllowed, $"{path} is a folder");
        }

        var request = new DavRequestInfo(
            context.Request.Headers.UserAgent.ToString(),
            HttpMethods.IsHead(context.Request.Method),
            context.Request.IsHttps,
            new Dictionary<string, string>());
        var content = await store.GetContentAsync(item, request, route, context.RequestAborted).ConfigureAwait(false);
        await DavContentWriter.WriteAsync(context, item, content).ConfigureAwait(false);
    }

    private static async Task WriteErrorAsync(HttpContext context, int status, string message, TimeSpan? retryAfter)
    {
        if (context.Response.HasStarted)
        {
            context.Abort();
            return;
        }

        context.Response.StatusCode = status;
        if (retryAfter is { } retry)
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(retry.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        context.Response.ContentType = "text/plain; charset=utf-8";
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.WriteAsync(message + "\n", context.RequestAborted).ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 41, Level = LogLevel.Error, Message = "[{RequestId}] signed {Method} answered {Status}: {Reason}")]
    private static partial void LogServerError(ILogger logger, string requestId, string method, int status, string reason);
}
