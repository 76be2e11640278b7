using Microsoft.AspNetCore.Http;
using OpenList.DriverHost.WebDav.Store;

namespace OpenList.DriverHost.WebDav.Handlers;

/// <summary>MKCOL (RFC 4918 §9.3): 201, 405 when anything is there, 409 without a parent, 415 with a body.</summary>
internal static class MkColHandler
{
    public static async Task HandleAsync(DavRequest request)
    {
        var ct = request.Aborted;
        if (await HasBodyAsync(request.Http.Request, ct).ConfigureAwait(false))
        {
            throw new DavException(StatusCodes.Status415UnsupportedMediaType, "MKCOL with a body is not supported");
        }

        request.RequireAcceptableName(request.Path);
        if (await request.Store.GetItemAsync(request.Path, ct).ConfigureAwait(false) is not null)
        {
            throw new DavException(StatusCodes.Status405MethodNotAllowed, $"{request.Path} already exists");
        }

        request.RequireWritable(request.Path);
        await request.RequireParentCollectionAsync(request.Path).ConfigureAwait(false);
        await WriteGuard.CheckAsync(request, new WriteTarget(request.Path, Subtree: false, ChangesParentMembership: true)).ConfigureAwait(false);
        await request.Store.CreateCollectionAsync(request.Path, ct).ConfigureAwait(false);
        request.Http.Response.StatusCode = StatusCodes.Status201Created;
    }

    private static async Task<bool> HasBodyAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength is { } length)
        {
            return length > 0;
        }

        if (request.Headers.TransferEncoding.Count == 0)
        {
            return false;
        }

        var one = new byte[1];
        return await request.Body.ReadAsync(one, ct).ConfigureAwait(false) > 0;
    }
}
