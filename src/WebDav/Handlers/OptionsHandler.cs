using Microsoft.AspNetCore.Http;

namespace OpenList.DriverHost.WebDav.Handlers;

/// <summary>
/// OPTIONS, on any path including the host root, without authentication: Windows probes <c>OPTIONS /</c> before
/// anything else and caches a failure. No resource is looked up, so nothing leaks to anonymous callers.
/// </summary>
internal static class OptionsHandler
{
    public const string AllowedMethods = "OPTIONS, GET, HEAD, PUT, DELETE, PROPFIND, PROPPATCH, MKCOL, COPY, MOVE, LOCK, UNLOCK";

    public static void Write(HttpResponse response)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.Headers["DAV"] = "1, 2";
        response.Headers["MS-Author-Via"] = "DAV";
        response.Headers.Allow = AllowedMethods;
        response.Headers["Accept-Ranges"] = "bytes";
        response.ContentLength = 0;
    }
}
