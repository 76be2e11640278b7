using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace OpenList.DriverHost.Relay.Pages;

public static class RelayPagesExtensions
{
    /// <summary>The flow store (a singleton on the registered <see cref="TimeProvider"/>).</summary>
    public static IServiceCollection AddRelayPages(this IServiceCollection services)
    {
        services.AddSingleton(sp => new RelayFlowStore(sp.GetService<TimeProvider>() ?? TimeProvider.System));
        return services;
    }

    /// <summary>The authorization pages under <c>/relay/</c>; register before authentication (they are public).</summary>
    public static IApplicationBuilder UseRelayPages(this IApplicationBuilder app) => app.UseMiddleware<RelayPagesMiddleware>();
}
