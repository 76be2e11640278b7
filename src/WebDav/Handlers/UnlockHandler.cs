using Microsoft.AspNetCore.Http;
using OpenList.DriverHost.WebDav.Store;

namespace OpenList.DriverHost.WebDav.Handlers;

/// <summary>UNLOCK (RFC 4918 §9.11): 204; 400 without a token; 409 when the token does not lock this resource; 403 for another user's lock.</summary>
internal static class UnlockHandler
{
    public static Task HandleAsync(DavRequest request)
    {
        var header = request.Header("Lock-Token").Trim();
        if (header.Length < 3 || header[0] != '<' || header[^1] != '>')
        {
            throw new DavException(StatusCodes.Status400BadRequest, "UNLOCK needs a Lock-Token header");
        }

        var token = header[1..^1];
        var existing = request.Locks.Find(token);
        if (existing is null || !existing.Covers(request.Path))
        {
            throw new DavException(StatusCodes.Status409Conflict, "the lock token does not lock this resource", "lock-token-matches-request-uri");
        }

        if (existing.Principal.Length > 0 && existing.Principal != request.Principal)
        {
            throw new DavException(StatusCodes.Status403Forbidden, "the lock belongs to another user");
        }

        request.Locks.Remove(token);
        request.Http.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }
}
