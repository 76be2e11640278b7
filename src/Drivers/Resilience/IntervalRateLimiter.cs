namespace OpenList.DriverHost.Drivers.Resilience;

/// <summary>
/// A token bucket with a burst of one: calls are spaced at least 1/rate apart, as the providers' documented
/// per-second limits (and OpenList's limiters) expect. A rate of zero or less means no limit.
/// </summary>
public sealed class IntervalRateLimiter
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private readonly object _gate = new();
    private DateTimeOffset _next = DateTimeOffset.MinValue;

    public IntervalRateLimiter(double perSecond, TimeProvider time)
    {
        _time = time;
        PerSecond = perSecond;
        _interval = perSecond > 0 ? TimeSpan.FromSeconds(1 / perSecond) : TimeSpan.Zero;
    }

    public double PerSecond { get; }

    /// <summary>Waits for this caller's slot. The slot is taken at once, so a cancelled waiter leaves a gap, never a burst.</summary>
    public Task WaitAsync(CancellationToken cancellationToken)
    {
        if (_interval == TimeSpan.Zero)
        {
            return Task.CompletedTask;
        }

        TimeSpan wait;
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var slot = _next > now ? _next : now;
            _next = slot + _interval;
            wait = slot - now;
        }

        return wait <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(wait, _time, cancellationToken);
    }
}
