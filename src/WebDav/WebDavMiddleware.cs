using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenList.DriverHost.WebDav.Handlers;
using OpenList.DriverHost.WebDav.Http;
using OpenList.DriverHost.WebDav.Locks;
using OpenList.DriverHost.WebDav.Properties;
using OpenList.DriverHost.WebDav.Store;

namespace OpenList.DriverHost.WebDav;

/// <summary>
/// Serves WebDAV below <see cref="WebDavOptions.Prefix"/>. Decodes the raw request target itself, dispatches by
/// method, and turns <see cref="DavException"/> into its status with a DAV:error body. A client that goes away
/// mid-request is an abort, never a 500.
/// </summary>
public sealed partial class WebDavMiddleware
{
    private readonly RequestDelegate _next;
    private readonly WebDavOptions _options;
    private readonly LockManager _locks;
    private readonly IDeadPropertyStore _deadProperties;
    private readonly IDavStoreResolver _stores;
    private readonly ILogger<WebDavMiddleware> _logger;
    private readonly string[] _prefixSegments;

    public WebDavMiddleware(RequestDelegate next, IOptions<WebDavOptions> options, LockManager locks, IDeadPropertyStore deadProperties, IDavStoreResolver stores, ILogger<WebDavMiddleware> logger)
    {
        _next = next;
        _options = options.Value;
        _locks = locks;
        _deadProperties = deadProperties;
        _stores = stores;
        _logger = logger;
        _prefixSegments = _options.Prefix.Split('/', StringSplitOptions.RemoveEmptyEntries);
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "/";
        var method = context.Request.Method;
        if (!PathCodec.TryDecodeSegments(rawTarget, out var segments, out var error))
        {
            await WriteErrorAsync(context, new DavException(StatusCodes.Status400BadRequest, error!)).ConfigureAwait(false);
            return;
        }

        var underPrefix = segments.Count >= _prefixSegments.Length
            && _prefixSegments.SequenceEqual(segments.Take(_prefixSegments.Length), StringComparer.Ordinal);
        if (HttpMethods.IsOptions(method) && (underPrefix || segments.Count == 0))
        {
            OptionsHandler.Write(context.Response);
            return;
        }

        if (!underPrefix)
        {
            await _next(context).ConfigureAwait(false);
            return;
        }

        var path = DavPath.FromSegments(segments.Skip(_prefixSegments.Length));
        try
        {
            var request = new DavRequest(context, _stores.Resolve(context), path, _options, _locks, _deadProperties, _logger);
            await DispatchAsync(request, method).ConfigureAwait(false);
        }
        catch (Exception ex) when (context.RequestAborted.IsCancellationRequested && ex is OperationCanceledException or DavException or IOException)
        {
            // The client went away: whatever failed after that (a cancelled read, an upload the store refused as
            // incomplete) is an abort, not an error to answer on a closed connection.
            LogAborted(_logger, method, path.Value);
            context.Abort();
        }
        catch (DavException ex)
        {
            if (ex.StatusCode >= 500)
            {
                LogServerError(_logger, method, path.Value, ex.StatusCode, ex.Message);
            }

            await WriteErrorAsync(context, ex).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex)
        {
            await WriteErrorAsync(context, new DavException(ex.StatusCode, ex.Message)).ConfigureAwait(false);
        }
    }

    private static Task DispatchAsync(DavRequest request, string method) => method switch
    {
        "GET" or "HEAD" => GetHandler.HandleAsync(request),
        "PUT" => PutHandler.HandleAsync(request),
        "PROPFIND" => PropFindHandler.HandleAsync(request),
        "PROPPATCH" => PropPatchHandler.HandleAsync(request),
        "MKCOL" => MkColHandler.HandleAsync(request),
        "DELETE" => DeleteHandler.HandleAsync(request),
        "COPY" => CopyMoveHandler.HandleAsync(request, isMove: false),
        "MOVE" => CopyMoveHandler.HandleAsync(request, isMove: true),
        "LOCK" => LockHandler.HandleAsync(request),
        "UNLOCK" => UnlockHandler.HandleAsync(request),
        _ => throw new DavException(StatusCodes.Status405MethodNotAllowed, $"method {method} is not supported"),
    };

    private static async Task WriteErrorAsync(HttpContext context, DavException ex)
    {
        var response = context.Response;
        if (response.HasStarted)
        {
            context.Abort(); // a streamed 207 cannot change its status any more
            return;
        }

        response.Clear();
        response.StatusCode = ex.StatusCode;
        if (ex.RetryAfter is { } retry)
        {
            response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(retry.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (ex.StatusCode == StatusCodes.Status405MethodNotAllowed)
        {
            response.Headers.Allow = OptionsHandler.AllowedMethods;
        }

        if (HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }

        string body;
        if (ex.Precondition is not null)
        {
            response.ContentType = "application/xml; charset=utf-8";
            var hrefs = string.Concat(ex.Hrefs.Select(h => "<D:href>" + System.Security.SecurityElement.Escape(h) + "</D:href>"));
            body = $"<?xml version=\"1.0\" encoding=\"utf-8\"?><D:error xmlns:D=\"DAV:\"><D:{ex.Precondition}>{hrefs}</D:{ex.Precondition}></D:error>";
        }
        else
        {
            response.ContentType = "text/plain; charset=utf-8";
            body = ex.Message + "\n";
        }

        await response.WriteAsync(body, Encoding.UTF8).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "{Method} {Path} answered {Status}: {Reason}")]
    private static partial void LogServerError(ILogger logger, string method, string path, int status, string reason);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "{Method} {Path} aborted by the client")]
    private static partial void LogAborted(ILogger logger, string method, string path);
}
