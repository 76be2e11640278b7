using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenList.DriverHost.CloudFakes.Aliyun;
using OpenList.DriverHost.CloudFakes.Open115;
using OpenList.DriverHost.CloudFakes.DiskTop;
using OpenList.DriverHost.CloudFakes.Open123;
using OpenList.DriverHost.CloudFakes.Shared;

namespace OpenList.DriverHost.CloudFakes;

/// <summary>
/// The cloud fakes on one Kestrel server bound to 127.0.0.1 (DESIGN.md §10). Each provider keeps its
/// real URL paths, so a driver only needs its base URL pointed at <see cref="BaseUrl"/>.
/// </summary>
public sealed class FakeCloud : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly TempStorage temp;

    private FakeCloud(WebApplication app, TempStorage temp, AliyunFake aliyun, Open115Fake open115, FaultInjector faults, RequestLog requests, Uri baseUrl)
    {
        this.app = app;
        this.temp = temp;
        Aliyun = aliyun;
        Open115 = open115;
        Faults = faults;
        Requests = requests;
        BaseUrl = baseUrl;
    }

    /// <summary>e.g. http://127.0.0.1:41234/ (always with a trailing slash).</summary>
    public Uri BaseUrl { get; }

    public AliyunFake Aliyun { get; }

    /// <summary>115 Open: proapi and passportapi paths, download links and the OSS endpoint, all on <see cref="BaseUrl"/>.</summary>
    public Open115Fake Open115 { get; }

    /// <summary>Disk.Top: OAuth, the /v1 API, signed links and the chunk-upload service (<see cref="DiskTopFake.UploadEndpoint"/>), all on <see cref="BaseUrl"/>.</summary>
    public DiskTopFake DiskTop { get; private init; } = null!;

    /// <summary>123 Open: the open API, the relay, download and direct links and the slice-upload server, all on <see cref="BaseUrl"/>.</summary>
    public Open123Fake Open123 { get; private init; } = null!;

    /// <summary>Shared by all providers.</summary>
    public FaultInjector Faults { get; }

    public RequestLog Requests { get; }

    /// <summary>Starts the fake on 127.0.0.1 with a free port.</summary>
    public static Task<FakeCloud> StartAsync(FakeCloudOptions? options = null, CancellationToken ct = default) =>
        StartAsync(options ?? new FakeCloudOptions(), new IPEndPoint(IPAddress.Loopback, 0), configureLogging: null, ct);

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        temp.Dispose();
    }

    /// <summary>Starts on a given loopback endpoint; the standalone program adds console logging.</summary>
    internal static async Task<FakeCloud> StartAsync(FakeCloudOptions options, IPEndPoint endpoint, Action<ILoggingBuilder>? configureLogging, CancellationToken ct)
    {
        if (!IPAddress.IsLoopback(endpoint.Address))
        {
            throw new ArgumentException("The fake only binds loopback addresses.", nameof(endpoint));
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            EnvironmentName = Environments.Production,
            ApplicationName = typeof(FakeCloud).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        configureLogging?.Invoke(builder.Logging);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(endpoint);
            kestrel.Limits.MaxRequestBodySize = null; // upload parts can be large
        });

        // A one-byte write buffer makes a response flush complete only once the socket has taken the bytes, so a
        // deliberately dropped download (FaultInjector.DropDownloadAfter) delivers its prefix before the abort
        // instead of losing it in Kestrel's buffer.
        builder.WebHost.UseSockets(sockets => sockets.MaxWriteBufferSize = 1);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(2));

        var app = builder.Build();
        var temp = new TempStorage();
        var faults = new FaultInjector();
        var requests = new RequestLog();
        var aliyun = new AliyunFake(options.Time, options.EnforceRateLimits, temp, faults);
        var open115 = new Open115Fake(options.Time, options.EnforceRateLimits, temp, faults);
        var disktop = new DiskTopFake(options.Time, temp, faults);
        var open123 = new Open123Fake(options.Time, options.EnforceRateLimits, temp, faults);
        try
        {
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("OpenList.DriverHost.CloudFakes");
            app.UseRouting();
            app.Use(next => new FakeRequestMiddleware(next, faults, requests, options.Time, logger).InvokeAsync);
            AliyunRoutes.Map(app, aliyun);
            Open115Routes.Map(app, open115);
            AdminEndpoints.Map(app, faults, requests, aliyun, open115);
            DiskTopRoutes.Map(app, disktop);
            OAuthAuthorizeRoute.Map(app, aliyun, disktop);
            OAuthAdminEndpoints.Map(app, "aliyun", aliyun.NextTokens, aliyun.DenyNextAuthorization);
            OAuthAdminEndpoints.Map(app, "115", open115.NextTokens, open115.DenyNextAuthorization);
            OAuthAdminEndpoints.Map(app, "123", open123.NextTokens, open123.DenyNextAuthorization);
            OAuthAdminEndpoints.Map(app, "disktop", disktop.NextTokens, disktop.DenyNextAuthorization);
            Open123Routes.Map(app, open123);
            app.MapFallback(context => JsonErrorWriter.Instance.WriteAsync(context, new InjectedFailure(404, "NotFound", "No such API.")));

            await app.StartAsync(ct);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var baseUrl = new Uri(address.TrimEnd('/') + "/");
            aliyun.BaseUrl = baseUrl;
            open115.BaseUrl = baseUrl;
            disktop.BaseUrl = baseUrl;
            open123.BaseUrl = baseUrl;
            return new FakeCloud(app, temp, aliyun, open115, faults, requests, baseUrl) { DiskTop = disktop, Open123 = open123 };
        }
        catch
        {
            await app.DisposeAsync();
            temp.Dispose();
            throw;
        }
    }

    /// <summary>Completes when the host is asked to stop (Ctrl+C, SIGTERM).</summary>
    internal Task WaitForShutdownAsync() => app.WaitForShutdownAsync();
}
