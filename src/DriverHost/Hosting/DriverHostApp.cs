using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenList.DriverHost.Auth;
using OpenList.DriverHost.Caching;
using OpenList.DriverHost.Config;
using OpenList.DriverHost.Downloads;
using OpenList.DriverHost.Drivers;
using OpenList.DriverHost.Mounts;
using OpenList.DriverHost.Operations;
using OpenList.DriverHost.Relay;
using OpenList.DriverHost.Relay.Pages;
using OpenList.DriverHost.State;
using OpenList.DriverHost.WebDav;
using OpenList.DriverHost.WebDav.Properties;
using OpenList.DriverHost.WebDav.Store;

namespace OpenList.DriverHost.Hosting;

/// <summary>Builds the web application for a validated configuration: mounts, state store, auth, WebDAV.</summary>
public static class DriverHostApp
{
    public static async Task<WebApplication> BuildAsync(
        DriverHostConfig config,
        ILoggerFactory loggerFactory,
        IReadOnlyDictionary<string, IDriverFactory>? drivers = null,
        TimeProvider? time = null,
        ConfigReloadSource? reload = null,
        CancellationToken cancellationToken = default)
    {
        time ??= TimeProvider.System;
        var state = StateStoreFactory.Open(config.Server.State, config.ConfigDirectory);
        // One pool for every driver's API and link calls; connections are recycled so DNS changes are seen.
        var http = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        var listings = new ListingCache(time, loggerFactory);
        var loader = new MountLoader(drivers ?? DriverRegistry.Default, loggerFactory, time, state, http) { Listings = listings };
        var mounts = new MountTableHolder(await loader.LoadAsync(config, cancellationToken).ConfigureAwait(false));
        var users = new UserDirectory(config.Users, time);
        var reloader = reload is null ? null : new ConfigReloader(reload, config, mounts, loader, users, loggerFactory);
        var metrics = new MetricsExporter();
        var signKey = config.Server.SignKey.Length > 0
            ? config.Server.SignKey
            : await state.GetOrCreateSecretAsync("sign_key", DownloadSigner.NewKey, cancellationToken).ConfigureAwait(false);
        // Link fetches for streaming: the shared pool, a deadline for the response headers only (bodies run long).
        var linkClient = new HttpClient(http, disposeHandler: false) { Timeout = TimeSpan.FromSeconds(30) };
        // Provider token calls of the self-hosted relay: the shared pool, and a deadline for the whole answer.
        var relayClient = new HttpClient(http, disposeHandler: false) { Timeout = TimeSpan.FromSeconds(30) };
        var relay = RelayUpstreamCatalog.BuildDirectory(config.Relay, relayClient, time);
        var downloads = new DownloadService(linkClient, new DownloadSigner(signKey, time), time, loggerFactory.CreateLogger<DownloadService>());

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<ILoggerFactory>(new QueryFreeLoggerFactory(loggerFactory));
        builder.Services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        builder.WebHost.UseUrls(config.Server.Listen);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = null; // uploads are streamed; Kestrel's 30 MB cap would cut them
            kestrel.Limits.MinRequestBodyDataRate = null; // slow Finder and Windows uploads must not be dropped
        });

        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(config.Server.ShutdownTimeout));
        builder.Services.AddSingleton(time);
        builder.Services.AddSingleton(metrics);
        if (reloader is not null)
        {
            builder.Services.AddSingleton(reloader);
        }

        builder.Services.AddSingleton(config);
        builder.Services.AddSingleton(mounts);
        builder.Services.AddSingleton(downloads);
        builder.Services.AddSingleton(relay);
        builder.Services.AddRelayPages();
        builder.Services.AddSingleton<IStateStore>(state);
        builder.Services.AddSingleton<IDeadPropertyStore>(state);
        builder.Services.AddSingleton<IDavStoreResolver, MountStoreResolver>();
        builder.Services.AddSingleton(users);
        builder.Services.AddSingleton(sp => new LoginLockout(time));
        builder.Services.AddWebDav(o =>
        {
            o.Prefix = config.Server.DavPrefix == "/" ? string.Empty : config.Server.DavPrefix;
            o.AllowPropfindInfinity = config.Server.PropfindInfinity;
        });

        var app = builder.Build();
        if (config.Server.TrustedProxies.Count > 0)
        {
            app.UseForwardedHeaders(ForwardedHeadersFrom(config.Server.TrustedProxies)); // before anything reads the client address
        }

        app.UseMiddleware<RequestLoggingMiddleware>();
        app.Use(OperationsEndpoints.Health(mounts)); // no credentials: probes and orchestrators
        app.UseMiddleware<SignedDownloadMiddleware>(); // the sign is the credential
        app.UseMiddleware<RelayRenewMiddleware>(); // the refresh token is the credential; rate limited per IP and token
        app.UseRelayPages(); // the relay's public authorization pages (flow cookie, state); rate limited per IP
        app.UseBasicAuthentication();
        app.Use(OperationsEndpoints.Metrics(metrics)); // the same credentials as WebDAV
        app.UseWebDav();
        app.Run(context =>
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
        if (reloader is not null)
        {
            app.Lifetime.ApplicationStarted.Register(reloader.Start);
        }

        // After the server has stopped (in-flight requests finished or cancelled at server.shutdown_timeout).
        app.Lifetime.ApplicationStopped.Register(() =>
        {
            reloader?.DisposeAsync().AsTask().GetAwaiter().GetResult();
            foreach (var mount in mounts.Current.Mounts)
            {
                mount.Driver.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }

            state.DisposeAsync().AsTask().GetAwaiter().GetResult();
            linkClient.Dispose();
            relayClient.Dispose();
            http.Dispose();
            listings.Dispose();
            metrics.Dispose();
        });
        return app;
    }
    /// <summary>
    /// Believes X-Forwarded-For and X-Forwarded-Proto only from the configured proxies, walking the chain from the
    /// right until an address that is not a trusted proxy: that is the client the relay's budgets and the login
    /// lockout count, and the scheme that makes the relay's flow cookie Secure.
    /// </summary>
    private static ForwardedHeadersOptions ForwardedHeadersFrom(IEnumerable<string> trustedProxies)
    {
        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto,
            ForwardLimit = null,
        };
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in trustedProxies)
        {
            if (System.Net.IPAddress.TryParse(proxy, out var address))
            {
                options.KnownProxies.Add(address);
            }
            else
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(proxy));
            }
        }

        return options;
    }
}
