using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenList.DriverHost.WebDav.Locks;
using OpenList.DriverHost.WebDav.Properties;

namespace OpenList.DriverHost.WebDav;

public static class WebDavServiceCollectionExtensions
{
    /// <summary>
    /// Registers the WebDAV protocol services. The host must also register an
    /// <see cref="Store.IDavStoreResolver"/>; without an <see cref="IDeadPropertyStore"/> properties live in memory.
    /// </summary>
    public static IServiceCollection AddWebDav(this IServiceCollection services, Action<WebDavOptions>? configure = null)
    {
        services.AddOptions<WebDavOptions>().Configure(o => configure?.Invoke(o));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new LockManager(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IDeadPropertyStore, InMemoryDeadPropertyStore>();
        return services;
    }

    /// <summary>Adds the WebDAV middleware; requests outside the prefix pass through.</summary>
    public static IApplicationBuilder UseWebDav(this IApplicationBuilder app) => app.UseMiddleware<WebDavMiddleware>();
}
