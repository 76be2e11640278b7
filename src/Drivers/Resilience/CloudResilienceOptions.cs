namespace OpenList.DriverHost.Drivers.Resilience;

/// <summary>How a driver instance's calls to its provider are timed out, retried and cut off.</summary>
public sealed record CloudResilienceOptions
{
    /// <summary>One attempt's limit (OpenList's HTTP client uses 30 s).</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Retries after the first attempt, for transient failures of idempotent calls and for throttling. Six attempts let
    /// a call through a provider failing a third of its answers all but always (0.3^6 &lt; 0.1 %), as rclone's low-level
    /// retries do; a dead provider is cut short by the circuit breaker instead.
    /// </summary>
    public int MaxRetries { get; init; } = 5;

    /// <summary>First backoff step; later steps grow exponentially with jitter.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Longest backoff step.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>A throttled call is retried after the provider's Retry-After only up to this wait; longer waits are handed to the client.</summary>
    public TimeSpan MaxThrottleWait { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Wait after a throttled call that did not say how long (the provider's documented window).</summary>
    public TimeSpan DefaultThrottleWait { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Share of failed attempts within <see cref="BreakerSampling"/> that opens the circuit. Attempts, not calls, are
    /// counted, so a flaky provider (a third of attempts failing, each call still succeeding on retry) must stay well
    /// below it while a dead one (every attempt failing) reaches it within a few calls.
    /// </summary>
    public double BreakerFailureRatio { get; init; } = 0.8;

    /// <summary>Attempts needed within <see cref="BreakerSampling"/> before the ratio counts.</summary>
    public int BreakerMinimumThroughput { get; init; } = 10;

    public TimeSpan BreakerSampling { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long an open circuit answers at once before one probe call is let through.</summary>
    public TimeSpan BreakDuration { get; init; } = TimeSpan.FromSeconds(5);
}
