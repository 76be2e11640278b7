using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using OpenList.DriverHost.WebDav.Http;
using OpenList.DriverHost.WebDav.Properties;
using OpenList.DriverHost.WebDav.Store;

namespace OpenList.DriverHost.WebDav.Handlers;

/// <summary>
/// GET and HEAD. Files: a redirect, or the bytes through ASP.NET Core's file result (conditional requests,
/// If-Range, 206/416 and multi-range fallback are its rules, not ours). Collections: an HTML listing.
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
        switch (content)
        {
            case DavRedirectContent redirect:
                http.Response.StatusCode = StatusCodes.Status302Found;
                http.Response.Headers.Location = redirect.Location.AbsoluteUri;
                http.Response.Headers.CacheControl = "max-age=" + ((long)redirect.MaxAge.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                return;

            case DavStreamContent stream:
                var body = new OffsetOpeningStream(item.Length, stream.OpenAsync);
                EntityTagHeaderValue? etag = item.ETag is not null && EntityTagHeaderValue.TryParse(item.ETag, out var parsed) ? parsed : null;
                var result = Results.File(
                    body,
                    LiveProperties.ContentTypeOf(item),
                    fileDownloadName: null,
                    lastModified: item.LastModified,
                    entityTag: etag,
                    enableRangeProcessing: true);
                await result.ExecuteAsync(http).ConfigureAwait(false);
                return;

            default:
                throw new InvalidOperationException("unknown content kind");
        }
    }
}
