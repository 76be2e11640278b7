using Microsoft.AspNetCore.Http;
using OpenList.DriverHost.WebDav.Http;
using OpenList.DriverHost.WebDav.Store;

namespace OpenList.DriverHost.WebDav.Handlers;

/// <summary>
/// GET and HEAD. Files: what the store chooses (a redirect or the bytes, <see cref="DavContentWriter"/>).
/// Collections: an HTML listing.
/// </summary>
internal static class GetHandler
{
    public static async Task HandleAsync(DavRequest request)
    {
        var ct = request.Aborted;
        var http = request.Http;
        var isHead = HttpMethods.IsHead(http.Request.Method);
        var item = await request.Store.GetItemAsync(request.Path, ct).ConfigureAwait(false)
            ?? throw new DavException(StatusCodes.Status404NotFound, $"{request.Path} not found");

        if (item.IsCollection)
        {
            await HtmlListing.WriteAsync(request, item, isHead).ConfigureAwait(false);
            return;
        }

        var info = new DavRequestInfo(
            http.Request.Headers.UserAgent.ToString(),
            isHead,
            http.Request.IsHttps,
            http.Request.Headers.Where(h => h.Key is "Range" or "If-Range").ToDictionary(h => h.Key, h => h.Value.ToString()));
        var content = await request.Store.GetContentAsync(item, info, ct).ConfigureAwait(false);
        await DavContentWriter.WriteAsync(http, item, content).ConfigureAwait(false);
    }
}
