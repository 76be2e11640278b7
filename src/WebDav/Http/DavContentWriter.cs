using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using OpenList.DriverHost.WebDav.Properties;
using OpenList.DriverHost.WebDav.Store;

namespace OpenList.DriverHost.WebDav.Http;

/// <summary>
/// Writes a file's <see cref="DavContent"/> as the response: a 302, or the bytes through ASP.NET Core's file result
/// (conditional requests, If-Range, 206/416 and multi-range fallback are its rules, not ours). Public so the host's
/// signed download routes answer exactly as WebDAV GET does.
/// </summary>
public static class DavContentWriter
{
    public static async Task WriteAsync(HttpContext http, DavItem item, DavContent content)
    {
        switch (content)
        {
            case DavRedirectContent redirect:
                http.Response.StatusCode = StatusCodes.Status302Found;
                http.Response.Headers.Location = redirect.Location.AbsoluteUri;
                // private: the target is signed for whoever asked; max-age lets ffmpeg/mpv seek on the target
                // instead of coming back here without credentials (webdav-clients.md §0 item 9). max-age comes
                // first because ffmpeg reads the number at a fixed offset from the start of the header value.
                http.Response.Headers.CacheControl = redirect.MaxAge > TimeSpan.Zero
                    ? "max-age=" + ((long)redirect.MaxAge.TotalSeconds).ToString(CultureInfo.InvariantCulture) + ", private"
                    : "max-age=0, no-cache, no-store, must-revalidate";
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
