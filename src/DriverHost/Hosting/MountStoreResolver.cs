using Microsoft.AspNetCore.Http;
using OpenList.DriverHost.Auth;
using OpenList.DriverHost.Downloads;
using OpenList.DriverHost.Mounts;
using OpenList.DriverHost.WebDav.Store;

namespace OpenList.DriverHost.Hosting;

/// <summary>Gives each request the mount table as its user may see it.</summary>
public sealed class MountStoreResolver : IDavStoreResolver
{
    private readonly MountTable _table;
    private readonly DownloadService _downloads;

    public MountStoreResolver(MountTable table, DownloadService downloads)
    {
        _table = table;
        _downloads = downloads;
    }

    public IDavStore Resolve(HttpContext context)
    {
        var user = context.GetUser() ?? AuthenticatedUser.AnonymousReader;
        return new MountedStore(_table, user.BasePath, user.CanWrite, _downloads);
    }
}
