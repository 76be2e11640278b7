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

        request.RequireAcceptableName(request.Path); // before the look-up: a refused name costs no storage call
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

        CheckPreconditions(http.Request, IsPlaceholderOfSubmittedLock(request, existing) ? null : existing);
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

        if (mtime is { } requested && KeptModTime(saved, requested))
        {
            // Only when the stored file carries the time: a storage that keeps its own upload time (every cloud
            // mount) must not claim it, or rclone believes the mtime set and skips its follow-up PROPPATCH.
            http.Response.Headers["X-OC-Mtime"] = "accepted";
        }

        if (existing is null)
        {
            http.Response.Headers.Location = request.Href(request.Path, isCollection: false);
        }

        http.Response.StatusCode = existing is null ? StatusCodes.Status201Created : StatusCodes.Status204NoContent;
    }

    /// <summary>
    /// True when <paramref name="existing"/> is the empty file a LOCK on an unmapped URL made and the client submits
    /// that lock's token. davfs2 creates files as <c>LOCK</c> (201) then <c>PUT If-None-Match: *</c> with the token in
    /// If; to the lock holder the placeholder is not yet a file (RFC 4918 §7.3 keeps lock-null semantics for it), so
    /// answering 412 there would fail every file davfs2 creates.
    /// </summary>
    private static bool IsPlaceholderOfSubmittedLock(DavRequest request, DavItem? existing)
    {
        if (existing is not { IsCollection: false, Length: 0 } || request.Header("If") is not { Length: > 0 } header
            || !Locks.IfHeader.TryParse(header, out var lists))
        {
            return false;
        }

        var submitted = lists.SelectMany(l => l.Conditions).Where(c => c.StateToken is not null && !c.Not).Select(c => c.StateToken!).ToHashSet(StringComparer.Ordinal);
        return request.Locks.Covering(request.Path).Any(l => l.CreatedResource && l.Root == request.Path && submitted.Contains(l.Token));
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

    /// <summary>True when <paramref name="saved"/>'s modification time is <paramref name="requested"/> to the second.</summary>
    internal static bool KeptModTime(DavItem saved, DateTimeOffset requested) =>
        (saved.LastModified - requested).Duration() < TimeSpan.FromSeconds(1);

    /// <summary>X-OC-Mtime: Unix seconds; old rclone sent a fraction, which we accept instead of dropping.</summary>
    internal static DateTimeOffset? ParseUnixTime(string? value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 0 and < 253402300800
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000))
            : null;
}
