using Microsoft.AspNetCore.Http;
using OpenList.DriverHost.Auth;
using OpenList.DriverHost.Downloads;
using OpenList.DriverHost.Mounts;
using OpenList.DriverHost.WebDav.Store;

namespace OpenList.DriverHost.Hosting;

/// <summary>Gives each request the mount table as its user may see it.</summary>
public sealed class MountStoreResolver : IDavStoreResolver
{
    private readonly MountTableHolder _table;
    private readonly DownloadService _downloads;

    public MountStoreResolver(MountTableHolder table, DownloadService downloads)
    {
        _table = table;
        _downloads = downloads;
    }

    public IDavStore Resolve(HttpContext context)
    {
        var user = context.GetUser() ?? AuthenticatedUser.AnonymousReader;
        return new MountedStore(_table.Current, user.BasePath, user.CanWrite, _downloads, reload: WantsFreshListing(context.Request));
    }

    /// <summary>
    /// A PROPFIND with <c>Cache-Control: no-cache</c> (or HTTP/1.0's <c>Pragma: no-cache</c>) reloads the listings
    /// it reads: the one way a WebDAV client can see changes made behind the host's back before they expire. Other
    /// methods are left alone, since browsers and players send no-cache on plain downloads.
    /// </summary>
    internal static bool WantsFreshListing(HttpRequest request) =>
        string.Equals(request.Method, "PROPFIND", StringComparison.OrdinalIgnoreCase)
        && (HasNoCache(request.Headers.CacheControl) || HasNoCache(request.Headers.Pragma));

    private static bool HasNoCache(Microsoft.Extensions.Primitives.StringValues values)
    {
        foreach (var value in values)
        {
            foreach (var directive in (value ?? string.Empty).Split(','))
            {
                // no-cache may carry field names (no-cache="Set-Cookie"); any form asks for a fresh answer here.
                var name = directive.Split('=', 2)[0].Trim();
                if (name.Equals("no-cache", StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
