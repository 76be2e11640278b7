using Microsoft.AspNetCore.Http;
using OpenList.DriverHost.WebDav.Store;

namespace OpenList.DriverHost.WebDav.Handlers;

/// <summary>
/// COPY and MOVE (RFC 4918 §9.8–9.9): Destination as absolute URL or path, Overwrite T/F (absent = T),
/// overwrite replaces rather than merges, 201 vs 204, dead properties travel, locks never do.
/// </summary>
internal static class CopyMoveHandler
{
    public static async Task HandleAsync(DavRequest request, bool isMove)
    {
        var ct = request.Aborted;
        var http = request.Http;
        var destination = ParseDestination(request);
        var depth = request.ParseDepth(fallback: -1);
        if (isMove && depth != -1)
        {
            throw new DavException(StatusCodes.Status400BadRequest, "MOVE requires Depth: infinity");
        }

        if (depth == 1)
        {
            throw new DavException(StatusCodes.Status400BadRequest, "COPY takes Depth 0 or infinity");
        }

        var overwrite = request.Header("Overwrite").Trim() switch
        {
            "" or "T" or "t" => true,
            "F" or "f" => false,
            _ => throw new DavException(StatusCodes.Status400BadRequest, "Overwrite must be T or F"),
        };

        var source = await request.Store.GetItemAsync(request.Path, ct).ConfigureAwait(false)
            ?? throw new DavException(StatusCodes.Status404NotFound, $"{request.Path} not found");

        if (destination == source.Path || destination.IsSameOrUnder(source.Path) || (isMove && source.Path.IsRoot))
        {
            throw new DavException(StatusCodes.Status403Forbidden, "the destination is the source or lies inside it");
        }

        request.RequireWritable(destination);
        request.RequireAcceptableName(destination);
        if (isMove)
        {
            request.RequireWritable(source.Path, source);
        }

        await request.RequireParentCollectionAsync(destination).ConfigureAwait(false);
        var existing = await request.Store.GetItemAsync(destination, ct).ConfigureAwait(false);
        if (existing is not null && !overwrite)
        {
            throw new DavException(StatusCodes.Status412PreconditionFailed, "the destination exists and Overwrite is F");
        }

        if (existing is not null)
        {
            request.RequireWritable(destination, existing);
        }

        var targets = new List<WriteTarget> { new(destination, Subtree: existing is not null, ChangesParentMembership: true) };
        if (isMove)
        {
            targets.Add(new WriteTarget(source.Path, Subtree: true, ChangesParentMembership: true));
        }

        await WriteGuard.CheckAsync(request, [.. targets]).ConfigureAwait(false);

        if (existing is not null)
        {
            await DeleteHandler.RemoveAsync(request, destination, ct).ConfigureAwait(false);
        }

        if (isMove)
        {
            await request.Store.MoveAsync(source, destination, ct).ConfigureAwait(false);
            await request.DeadProperties.MoveAsync(source.Path.Value, destination.Value, ct).ConfigureAwait(false);
            request.Locks.RemoveAtOrBelow(source.Path);
        }
        else
        {
            var recursive = depth != 0;
            await request.Store.CopyAsync(source, destination, recursive, ct).ConfigureAwait(false);
            await request.DeadProperties.CopyAsync(source.Path.Value, destination.Value, recursive, ct).ConfigureAwait(false);
        }

        if (PutHandler.ParseUnixTime(request.Header("X-OC-Mtime")) is { } mtime
            && await request.Store.SetLastModifiedAsync(destination, mtime, ct).ConfigureAwait(false))
        {
            http.Response.Headers["X-OC-Mtime"] = "accepted"; // rclone then skips its follow-up PROPPATCH
        }

        http.Response.StatusCode = existing is null ? StatusCodes.Status201Created : StatusCodes.Status204NoContent;
    }

    private static DavPath ParseDestination(DavRequest request)
    {
        var header = request.Header("Destination");
        if (header.Length == 0)
        {
            throw new DavException(StatusCodes.Status400BadRequest, "Destination header is required");
        }

        var path = request.ResolveUrl(header, out var foreignHost);
        if (foreignHost)
        {
            throw new DavException(StatusCodes.Status502BadGateway, "the Destination is on another server");
        }

        return path ?? throw new DavException(StatusCodes.Status403Forbidden, "the Destination is outside this WebDAV space or malformed");
    }
}
