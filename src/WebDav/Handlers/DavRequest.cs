using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OpenList.DriverHost.WebDav.Http;
using OpenList.DriverHost.WebDav.Locks;
using OpenList.DriverHost.WebDav.Properties;
using OpenList.DriverHost.WebDav.Store;

namespace OpenList.DriverHost.WebDav.Handlers;

/// <summary>Everything one WebDAV request needs: the target, the store, locks, properties and helpers.</summary>
internal sealed class DavRequest
{
    public DavRequest(HttpContext http, IDavStore store, DavPath path, WebDavOptions options, LockManager locks, IDeadPropertyStore deadProperties, ILogger logger)
    {
        Http = http;
        Store = store;
        Path = path;
        Options = options;
        Locks = locks;
        DeadProperties = deadProperties;
        Logger = logger;
        Prefix = options.Prefix.TrimEnd('/');
    }

    public HttpContext Http { get; }

    public IDavStore Store { get; }

    public DavPath Path { get; }

    public WebDavOptions Options { get; }

    public LockManager Locks { get; }

    public IDeadPropertyStore DeadProperties { get; }

    public ILogger Logger { get; }

    /// <summary>The URL prefix without a trailing slash (empty for the host root).</summary>
    public string Prefix { get; }

    public CancellationToken Aborted => Http.RequestAborted;

    public string Principal => Http.User.Identity is ClaimsIdentity { IsAuthenticated: true, Name: { } name } ? name : string.Empty;

    public string Href(DavPath path, bool isCollection) => PathCodec.Href(Prefix, path, isCollection);

    public string Header(string name) => Http.Request.Headers[name].ToString();

    /// <summary>
    /// Resolves a URL from a Destination or If header (absolute URL or absolute path) to a path in this DAV space.
    /// </summary>
    /// <returns>The path; null with <paramref name="foreignHost"/> true when the URL names another server.</returns>
    public DavPath? ResolveUrl(string url, out bool foreignHost)
    {
        foreignHost = false;
        string rawPath;
        if (url.StartsWith('/'))
        {
            rawPath = url;
        }
        else if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            if (!string.Equals(uri.Authority, Http.Request.Host.Value, StringComparison.OrdinalIgnoreCase)
                && !(uri.IsDefaultPort && string.Equals(uri.Host, Http.Request.Host.Host, StringComparison.OrdinalIgnoreCase)))
            {
                foreignHost = true;
                return null;
            }

            rawPath = uri.GetComponents(UriComponents.Path | UriComponents.KeepDelimiter, UriFormat.UriEscaped);
        }
        else
        {
            return null;
        }

        if (!PathCodec.TryDecodeSegments(rawPath, out var segments, out _))
        {
            return null;
        }

        var prefixSegments = Prefix.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Count < prefixSegments.Length || !prefixSegments.SequenceEqual(segments.Take(prefixSegments.Length), StringComparer.Ordinal))
        {
            return null;
        }

        return DavPath.FromSegments(segments.Skip(prefixSegments.Length));
    }

    /// <summary>The Depth header: 0, 1, or -1 for infinity; <paramref name="fallback"/> when absent.</summary>
    public int ParseDepth(int fallback)
    {
        var value = Header("Depth").Trim();
        return value switch
        {
            "" => fallback,
            "0" => 0,
            "1" => 1,
            _ when value.Equals("infinity", StringComparison.OrdinalIgnoreCase) => -1,
            _ => throw new DavException(StatusCodes.Status400BadRequest, $"invalid Depth header '{value}'"),
        };
    }

    /// <summary>Throws 403 when this request may not write at <paramref name="path"/>.</summary>
    public void RequireWritable(DavPath path, DavItem? item = null)
    {
        if (!Store.CanWrite(path) || item?.IsReadOnly == true)
        {
            throw new DavException(StatusCodes.Status403Forbidden, $"{path} is read-only");
        }
    }

    /// <summary>Throws 403 when the store refuses to create or write a resource of that name (<see cref="IDavStore.RefusesName"/>).</summary>
    public void RequireAcceptableName(DavPath path)
    {
        if (Store.RefusesName(path) is { } reason)
        {
            throw new DavException(StatusCodes.Status403Forbidden, reason);
        }
    }

    /// <summary>Throws 409 unless the parent of <paramref name="path"/> is an existing collection.</summary>
    public async Task RequireParentCollectionAsync(DavPath path)
    {
        if (path.IsRoot)
        {
            throw new DavException(StatusCodes.Status403Forbidden, "the root cannot be replaced");
        }

        var parent = await Store.GetItemAsync(path.Parent, Aborted).ConfigureAwait(false);
        if (parent is not { IsCollection: true })
        {
            throw new DavException(StatusCodes.Status409Conflict, $"parent collection {path.Parent} does not exist");
        }
    }
}
