using Microsoft.AspNetCore.Http;
using OpenList.DriverHost.WebDav.Store;

namespace OpenList.DriverHost.WebDav.Handlers;

/// <summary>DELETE (RFC 4918 §9.6): recursive for collections; dead properties and locks go with the resource.</summary>
internal static class DeleteHandler
{
    public static async Task HandleAsync(DavRequest request)
    {
        var ct = request.Aborted;
        var item = await request.Store.GetItemAsync(request.Path, ct).ConfigureAwait(false)
            ?? throw new DavException(StatusCodes.Status404NotFound, $"{request.Path} not found");
        if (item.IsCollection && request.ParseDepth(fallback: -1) != -1)
        {
            throw new DavException(StatusCodes.Status400BadRequest, "DELETE of a collection requires Depth: infinity");
        }

        if (request.Path.IsRoot)
        {
            throw new DavException(StatusCodes.Status403Forbidden, "the root cannot be deleted");
        }

        request.RequireWritable(request.Path, item);
        await WriteGuard.CheckAsync(request, new WriteTarget(request.Path, Subtree: true, ChangesParentMembership: true)).ConfigureAwait(false);
        await RemoveAsync(request, item.Path, ct).ConfigureAwait(false);
        request.Http.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary>Deletes a resource with its dead properties and the locks rooted in it (also used to overwrite).</summary>
    public static async Task RemoveAsync(DavRequest request, DavPath path, CancellationToken ct)
    {
        await request.Store.DeleteAsync(path, ct).ConfigureAwait(false);
        await request.DeadProperties.DeleteAsync(path.Value, ct).ConfigureAwait(false);
        request.Locks.RemoveAtOrBelow(path);
    }
}
