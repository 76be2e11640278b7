using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;
using OpenList.DriverHost.WebDav.Locks;
using OpenList.DriverHost.WebDav.Properties;
using OpenList.DriverHost.WebDav.Store;
using OpenList.DriverHost.WebDav.Xml;

namespace OpenList.DriverHost.WebDav.Handlers;

/// <summary>
/// LOCK (RFC 4918 §9.10): new locks, refreshes (no body + If token), shared and exclusive, depth 0 or infinity.
/// A LOCK on an unmapped URL creates an empty file and answers 201, so davfs2's next PUT behaves.
/// </summary>
internal static class LockHandler
{
    public static async Task HandleAsync(DavRequest request)
    {
        var ct = request.Aborted;
        var document = await XmlBodyReader.ReadAsync(request.Http.Request, request.Options.MaxXmlBodyBytes, ct).ConfigureAwait(false);
        var timeout = ParseTimeout(request.Header("Timeout"), request.Options);

        if (document is null)
        {
            await RefreshAsync(request, timeout).ConfigureAwait(false);
            return;
        }

        var info = document.Root;
        if (info is null || info.Name != DavNames.LockInfo)
        {
            throw new DavException(StatusCodes.Status400BadRequest, "LOCK body must be a DAV:lockinfo element");
        }

        var exclusive = info.Element(DavNames.LockScope)?.Element(DavNames.Shared) is null;
        if (info.Element(DavNames.LockType)?.Element(DavNames.Write) is null)
        {
            throw new DavException(StatusCodes.Status400BadRequest, "only write locks exist");
        }

        var owner = info.Element(DavNames.Owner);
        var depth = request.ParseDepth(fallback: -1);
        if (depth == 1)
        {
            throw new DavException(StatusCodes.Status400BadRequest, "LOCK takes Depth 0 or infinity");
        }

        var item = await request.Store.GetItemAsync(request.Path, ct).ConfigureAwait(false);
        request.RequireWritable(request.Path, item);
        if (item is null)
        {
            request.RequireAcceptableName(request.Path); // the LOCK would create it
            await request.RequireParentCollectionAsync(request.Path).ConfigureAwait(false);
        }

        var (created, conflicts) = request.Locks.TryLock(request.Path, depth < 0 && item is { IsCollection: true }, exclusive, owner, request.Principal, timeout);
        if (created is null)
        {
            throw new DavException(StatusCodes.Status423Locked, "the resource is already locked", "no-conflicting-lock")
            {
                Hrefs = conflicts.Select(l => request.Href(l.Root, isCollection: false)).Distinct().ToList(),
            };
        }

        var status = StatusCodes.Status200OK;
        if (item is null)
        {
            try
            {
                await request.Store.PutAsync(request.Path, Stream.Null, 0, null, null, ct).ConfigureAwait(false);
            }
            catch
            {
                request.Locks.Remove(created.Token);
                throw;
            }

            status = StatusCodes.Status201Created;
            created = request.Locks.MarkCreatedResource(created.Token) ?? created;
        }

        request.Http.Response.Headers["Lock-Token"] = "<" + created.Token + ">";
        await WriteLockBodyAsync(request, created, status).ConfigureAwait(false);
    }

    private static async Task RefreshAsync(DavRequest request, TimeSpan timeout)
    {
        var header = request.Header("If");
        if (header.Length == 0 || !IfHeader.TryParse(header, out var lists))
        {
            throw new DavException(StatusCodes.Status400BadRequest, "a LOCK refresh needs an If header with the lock token");
        }

        foreach (var token in lists.SelectMany(l => l.Conditions).Where(c => c.StateToken is not null && !c.Not).Select(c => c.StateToken!))
        {
            if (request.Locks.Refresh(token, request.Path, timeout) is { } refreshed)
            {
                await WriteLockBodyAsync(request, refreshed, StatusCodes.Status200OK).ConfigureAwait(false);
                return;
            }
        }

        throw new DavException(StatusCodes.Status412PreconditionFailed, "no lock with that token covers this resource", "lock-token-matches-request-uri");
    }

    private static async Task WriteLockBodyAsync(DavRequest request, DavLock l, int status)
    {
        var response = request.Http.Response;
        response.StatusCode = status;
        response.ContentType = "application/xml; charset=utf-8";
        using var buffer = new MemoryStream();
        using (var x = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false) }))
        {
            x.WriteStartDocument();
            x.WriteStartElement("D", "prop", DavNames.Dav.NamespaceName);
            x.WriteStartElement("D", "lockdiscovery", DavNames.Dav.NamespaceName);
            LiveProperties.WriteActiveLock(x, l, request.Href(l.Root, isCollection: false));
            x.WriteEndElement();
            x.WriteEndElement();
        }

        response.ContentLength = buffer.Length;
        await response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), request.Aborted).ConfigureAwait(false);
    }

    /// <summary>Picks the first acceptable value of <c>Timeout: Second-N, Infinite</c>, bounded by the options.</summary>
    internal static TimeSpan ParseTimeout(string header, WebDavOptions options)
    {
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (part.Equals("Infinite", StringComparison.OrdinalIgnoreCase))
            {
                return options.DefaultLockTimeout;
            }

            if (part.StartsWith("Second-", StringComparison.OrdinalIgnoreCase)
                && long.TryParse(part.AsSpan(7), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
            {
                return TimeSpan.FromSeconds(Math.Min(seconds, (long)options.MaxLockTimeout.TotalSeconds));
            }
        }

        return options.DefaultLockTimeout;
    }
}
