namespace OpenList.DriverHost.Drivers.Resilience;

/// <summary>How a driver instance's calls to its provider are timed out, retried and cut off.</summary>
public sealed record CloudResilienceOptions
{
    /// <summary>One attempt's limit (OpenList's HTTP client uses 30 s).</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries after the first attempt, for transient failures of idempotent calls and for throttling.</summary>
    public int MaxRetries { get; init; } = 3;

    /// <summary>First backoff step; later steps grow exponentially with jitter.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Longest backoff step.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>A throttled call is retried after the provider's Retry-After only up to this wait; longer waits are handed to the client.</summary>
    public TimeSpan MaxThrottleWait { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Wait after a throttled call that did not say how long (the provider's documented window).</summary>
    public TimeSpan DefaultThrottleWait { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Share of failed calls within <see cref="BreakerSampling"/> that opens the circuit.</summary>
    public double BreakerFailureRatio { get; init; } = 0.5;

    /// <summary>Calls needed within <see cref="BreakerSampling"/> before the ratio counts.</summary>
    public int BreakerMinimumThroughput { get; init; } = 4;

    public TimeSpan BreakerSampling { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long an open circuit answers at once before one probe call is let through.</summary>
    public TimeSpan BreakDuration { get; init; } = TimeSpan.FromSeconds(5);
}
