using Microsoft.Extensions.Logging;
using OpenList.DriverHost.Caching;
using OpenList.DriverHost.Config;
using OpenList.DriverHost.Drivers;
using OpenList.DriverHost.Drivers.Errors;
using OpenList.DriverHost.Drivers.Resilience;
using OpenList.DriverHost.Mounts;
using OpenList.DriverHost.State;

namespace OpenList.DriverHost.Hosting;

/// <summary>
/// Creates and initialises the drivers of every enabled storage, all at once with a per-driver timeout (OpenList
/// does them one by one and a hanging init delays the whole server). A failed driver stays mounted with its error.
/// </summary>
public sealed partial class MountLoader
{
    private readonly IReadOnlyDictionary<string, IDriverFactory> _drivers;
    private readonly ILoggerFactory _loggerFactory;
    private readonly TimeProvider _time;
    private readonly IMountTokenStore _tokens;
    private readonly HttpMessageHandler _http;
    private readonly SharedRateLimiters _limiters;
    private readonly ILogger<MountLoader> _logger;

    /// <param name="tokens">Where every mount's tokens are kept (the state store).</param>
    /// <param name="http">The connection pool all drivers share.</param>
    public MountLoader(IReadOnlyDictionary<string, IDriverFactory> drivers, ILoggerFactory loggerFactory, TimeProvider time, IMountTokenStore tokens, HttpMessageHandler http)
    {
        _drivers = drivers;
        _loggerFactory = loggerFactory;
        _time = time;
        _tokens = tokens;
        _http = http;
        _limiters = new SharedRateLimiters(time);
        _logger = loggerFactory.CreateLogger<MountLoader>();
    }

    public TimeSpan InitTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The listing cache all mounts share; null caches no listings.</summary>
    public ListingCache? Listings { get; init; }

    public async Task<MountTable> LoadAsync(DriverHostConfig config, CancellationToken cancellationToken)
    {
        var mounts = await Task.WhenAll(config.Storages.Where(s => !s.Disabled).Select(s => CreateAsync(s, config, cancellationToken))).ConfigureAwait(false);
        return new MountTable(mounts);
    }

    /// <summary>
    /// The driver of <paramref name="record"/>, not yet initialised, wired to the state store, the shared connection
    /// pool and rate limiters exactly as the server wires it (also used by <c>driverhost check</c>).
    /// </summary>
    public IStorageDriver CreateDriver(StorageRecord record, DriverHostConfig config)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(config);
        var factory = _drivers[record.Driver];
        var context = new DriverContext(record.MountPath, config.ConfigDirectory, _loggerFactory, _time)
        {
            Tokens = new MountTokenStore(_tokens, record.MountPath),
            HttpHandler = _http,
            RateLimiters = _limiters,
            TempDirectory = config.Server.TempDir.Length > 0 ? config.Server.TempDir : Path.GetTempPath(),
        };
        return factory.Create(record.Addition, context);
    }

    /// <summary>Creates and initialises one storage's mount (a failed driver comes back marked failed).</summary>
    public async Task<Mount> CreateAsync(StorageRecord record, DriverHostConfig config, CancellationToken cancellationToken)
    {
        var driver = CreateDriver(record, config);
        var error = await InitializeAsync(record, driver, cancellationToken).ConfigureAwait(false);

        // After initialisation: a driver may refine its capabilities then (case sensitivity, listing cache opt-out).
        var listings = Listings?.ForMount(record.MountPath, driver, TimeSpan.FromMinutes(record.CacheExpiration));
        var mount = new Mount(record, driver, listings, _time);
        if (error is not null)
        {
            mount.MarkFailed(error);
        }

        return mount;
    }

    /// <summary>Null when the driver came up; otherwise why it did not.</summary>
    private async Task<string?> InitializeAsync(StorageRecord record, IStorageDriver driver, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(InitTimeout);
        try
        {
            await driver.InitializeAsync(timeout.Token).ConfigureAwait(false);
            LogMounted(_logger, record.MountPath, record.Driver);
            return null;
        }
        catch (StorageException ex)
        {
            LogFailed(_logger, record.MountPath, record.Driver, ex.Message);
            return ex.Message;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var error = $"driver did not start within {InitTimeout.TotalSeconds:0} s";
            LogFailed(_logger, record.MountPath, record.Driver, error);
            return error;
        }
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "mounted {MountPath} ({Driver})")]
    private static partial void LogMounted(ILogger logger, string mountPath, string driver);

    [LoggerMessage(EventId = 11, Level = LogLevel.Error, Message = "{MountPath} ({Driver}) failed to start: {Reason}")]
    private static partial void LogFailed(ILogger logger, string mountPath, string driver, string reason);
}
