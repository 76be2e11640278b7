using Microsoft.Extensions.Logging;
using OpenList.DriverHost.Drivers.Resilience;
using OpenList.DriverHost.Drivers.Tokens;

namespace OpenList.DriverHost.Drivers.Http;

/// <summary>
/// What one mount's calls to a cloud go through, whatever the cloud: its HTTP client, a resilience pipeline of its
/// own, the rate limiters shared by every mount of one account (the host's, or the mount's own without a host), and
/// its token source, which saves rotated tokens to the host's store.
/// </summary>
internal sealed class CloudPlumbing
{
    private readonly DriverContext _context;

    /// <param name="provider">The provider's name as users know it, for the pipeline's and the token source's messages.</param>
    public CloudPlumbing(DriverContext context, string provider, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        Provider = provider;
        Time = context.TimeProvider;
        Logger = logger;
        MountPath = context.MountPath;
        Http = context.CreateHttpClient();
        Pipeline = new CloudCallPipeline(provider, new CloudResilienceOptions(), Time);
        Limiters = context.RateLimiters ?? new SharedRateLimiters(Time);
    }

    public string Provider { get; }

    public HttpClient Http { get; }

    public CloudCallPipeline Pipeline { get; }

    public SharedRateLimiters Limiters { get; }

    public TimeProvider Time { get; }

    public ILogger Logger { get; }

    public string MountPath { get; }

    /// <summary>The mount's token source; <paramref name="configure"/> adds the driver's tokens, refresher and hints.</summary>
    public TokenSource CreateTokenSource(Func<TokenSourceOptions, TokenSourceOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var options = configure(new TokenSourceOptions { MountPath = MountPath, Provider = Provider, Store = _context.Tokens });
        return new TokenSource(options, Time, _context.LoggerFactory.CreateLogger<TokenSource>());
    }
}

/// <summary>
/// The part every cloud API client shares: the mount's plumbing, its token source, and the account id the shared
/// limiters are keyed by. Each cloud's client adds only its wire format, envelope and error codes.
/// </summary>
internal abstract class CloudApiClient
{
    private string _account = string.Empty;

    protected CloudApiClient(CloudPlumbing plumbing, TokenSource tokens)
    {
        ArgumentNullException.ThrowIfNull(plumbing);
        Http = plumbing.Http;
        Time = plumbing.Time;
        Tokens = tokens;
        Pipeline = plumbing.Pipeline;
        Limiters = plumbing.Limiters;
        Logger = plumbing.Logger;
        MountPath = plumbing.MountPath;
    }

    public HttpClient Http { get; }

    public TimeProvider Time { get; }

    /// <summary>The provider's id of the account, which keys the limiters its mounts share; "" until the driver learned it.</summary>
    public string Account
    {
        get => Volatile.Read(ref _account);
        set => Volatile.Write(ref _account, value);
    }

    protected TokenSource Tokens { get; }

    protected CloudCallPipeline Pipeline { get; }

    protected SharedRateLimiters Limiters { get; }

    protected ILogger Logger { get; }

    protected string MountPath { get; }
}
