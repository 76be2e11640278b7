using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;
using OpenList.DriverHost.WebDav.Store;

namespace OpenList.DriverHost.WebDav.Handlers;

/// <summary>PUT: streamed to the store, chunked bodies included; 201 for new, 204 for overwrite.</summary>
internal static class PutHandler
{
    public static async Task HandleAsync(DavRequest request)
    {
        var ct = request.Aborted;
        var http = request.Http;
        if (http.Request.Headers.ContainsKey(HeaderNames.ContentRange))
        {
            throw new DavException(StatusCodes.Status400BadRequest, "partial PUT (Content-Range) is not supported");
        }

        var existing = await request.Store.GetItemAsync(request.Path, ct).ConfigureAwait(false);
        if (existing is { IsCollection: true })
        {
            throw new DavException(StatusCodes.Status405MethodNotAllowed, "cannot PUT to a collection");
        }

        request.RequireWritable(request.Path, existing);
        if (existing is null)
        {
            await request.RequireParentCollectionAsync(request.Path).ConfigureAwait(false);
        }

        CheckPreconditions(http.Request, existing);
        await WriteGuard.CheckAsync(request, new WriteTarget(request.Path, Subtree: false, ChangesParentMembership: existing is null)).ConfigureAwait(false);

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = null; // Kestrel's 30 MB default would cut real uploads
        }

        var length = http.Request.ContentLength ?? ParseLength(http.Request.Headers["X-Expected-Entity-Length"]) ?? ParseLength(http.Request.Headers["X-File-Size"]);
        var mtime = ParseUnixTime(http.Request.Headers["X-OC-Mtime"]);
        var saved = await request.Store.PutAsync(request.Path, http.Request.Body, length, mtime, ContentTypeOf(http.Request), ct).ConfigureAwait(false);

        if (saved.ETag is not null)
        {
            http.Response.Headers.ETag = saved.ETag;
        }

        if (mtime is not null)
        {
            http.Response.Headers["X-OC-Mtime"] = "accepted";
        }

        if (existing is null)
        {
            http.Response.Headers.Location = request.Href(request.Path, isCollection: false);
        }

        http.Response.StatusCode = existing is null ? StatusCodes.Status201Created : StatusCodes.Status204NoContent;
    }

    /// <summary>If-Match / If-None-Match / If-Unmodified-Since on PUT (RFC 9110 §13).</summary>
    private static void CheckPreconditions(HttpRequest request, DavItem? existing)
    {
        var headers = request.GetTypedHeaders();
        if (headers.IfMatch is { Count: > 0 } ifMatch)
        {
            var ok = existing is not null && ifMatch.Any(t => t.Equals(EntityTagHeaderValue.Any) || (existing.ETag is not null && t.Compare(EntityTagHeaderValue.Parse(existing.ETag), useStrongComparison: true)));
            if (!ok)
            {
                throw new DavException(StatusCodes.Status412PreconditionFailed, "If-Match failed");
            }
        }
        else if (headers.IfUnmodifiedSince is { } since && existing is not null && existing.LastModified > since.AddSeconds(1))
        {
            throw new DavException(StatusCodes.Status412PreconditionFailed, "If-Unmodified-Since failed");
        }

        if (headers.IfNoneMatch is { Count: > 0 } ifNoneMatch && existing is not null)
        {
            var matches = ifNoneMatch.Any(t => t.Equals(EntityTagHeaderValue.Any) || (existing.ETag is not null && t.Compare(EntityTagHeaderValue.Parse(existing.ETag), useStrongComparison: false)));
            if (matches)
            {
                throw new DavException(StatusCodes.Status412PreconditionFailed, "If-None-Match failed: the resource exists");
            }
        }
    }

    private static string? ContentTypeOf(HttpRequest request) => string.IsNullOrEmpty(request.ContentType) ? null : request.ContentType;

    private static long? ParseLength(string? value) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>X-OC-Mtime: Unix seconds; old rclone sent a fraction, which we accept instead of dropping.</summary>
    internal static DateTimeOffset? ParseUnixTime(string? value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 0 and < 253402300800
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000))
            : null;
}
