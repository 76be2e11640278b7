using Microsoft.Extensions.Logging;
using OpenList.DriverHost.Drivers.Resilience;
using OpenList.DriverHost.Drivers.Tokens;

namespace OpenList.DriverHost.Drivers.Http;

/// <summary>
/// What one mount's calls to a cloud go through, whatever the cloud: its HTTP client, a resilience pipeline of its
/// own, and the rate limiters shared by every mount of one account (the host's, or the mount's own without a host).
/// </summary>
internal sealed record CloudPlumbing(HttpClient Http, CloudCallPipeline Pipeline, SharedRateLimiters Limiters, TimeProvider Time, ILogger Logger, string MountPath)
{
    /// <param name="provider">The provider's name as users know it, for the pipeline's messages.</param>
    public static CloudPlumbing For(DriverContext context, string provider, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(context);
        var time = context.TimeProvider;
        return new CloudPlumbing(
            context.CreateHttpClient(),
            new CloudCallPipeline(provider, new CloudResilienceOptions(), time),
            context.RateLimiters ?? new SharedRateLimiters(time),
            time,
            logger,
            context.MountPath);
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
