using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using OpenList.DriverHost.WebDav.Properties;
using OpenList.DriverHost.WebDav.Store;

namespace OpenList.DriverHost.WebDav.Handlers;

/// <summary>GET on a collection from a browser: a plain HTML index. Every name is HTML-escaped; every link is percent-encoded.</summary>
internal static class HtmlListing
{
    public static async Task WriteAsync(DavRequest request, DavItem collection, bool isHead)
    {
        var response = request.Http.Response;
        response.StatusCode = 200;
        response.ContentType = "text/html; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        if (isHead)
        {
            return;
        }

        var ct = request.Aborted;
        var title = WebUtility.HtmlEncode(request.Prefix + collection.Path.Value);
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Index of ").Append(title)
          .Append("</title><style>body{font-family:sans-serif;margin:2em}td{padding:.2em 1em}td.n{text-align:right}</style></head><body>\n<h1>Index of ")
          .Append(title).Append("</h1>\n<table>\n<tr><th>Name</th><th>Size</th><th>Modified</th></tr>\n");
        if (!collection.Path.IsRoot)
        {
            sb.Append("<tr><td><a href=\"").Append(WebUtility.HtmlEncode(request.Href(collection.Path.Parent, true))).Append("\">../</a></td><td></td><td></td></tr>\n");
        }

        await response.WriteAsync(sb.ToString(), ct).ConfigureAwait(false);
        sb.Clear();
        var count = 0;
        await foreach (var item in request.Store.ListAsync(collection.Path, ct).ConfigureAwait(false))
        {
            var name = item.Path.Name + (item.IsCollection ? "/" : string.Empty);
            sb.Append("<tr><td><a href=\"").Append(WebUtility.HtmlEncode(request.Href(item.Path, item.IsCollection))).Append("\">")
              .Append(WebUtility.HtmlEncode(name)).Append("</a></td><td class=\"n\">")
              .Append(item.IsCollection ? "-" : item.Length.ToString("N0", CultureInfo.InvariantCulture)).Append("</td><td>")
              .Append(WebUtility.HtmlEncode(LiveProperties.Rfc1123(item.LastModified))).Append("</td></tr>\n");
            if (++count % 256 == 0)
            {
                await response.WriteAsync(sb.ToString(), ct).ConfigureAwait(false);
                sb.Clear();
            }
        }

        sb.Append("</table>\n</body></html>\n");
        await response.WriteAsync(sb.ToString(), ct).ConfigureAwait(false);
    }
}
