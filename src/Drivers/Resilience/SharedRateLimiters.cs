using System.Collections.Concurrent;

namespace OpenList.DriverHost.Drivers.Resilience;

/// <summary>
/// The host's one registry of rate limiters, so every mount of the same cloud account shares the account's
/// budget (the providers count per user and app, not per connection).
/// </summary>
public sealed class SharedRateLimiters
{
    private readonly ConcurrentDictionary<string, IntervalRateLimiter> _limiters = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    public SharedRateLimiters(TimeProvider time) => _time = time;

    /// <summary>
    /// The limiter for one class of calls (<paramref name="callClass"/>: "list", "link", "other") of one account.
    /// The first caller's rate wins for the account: mounts of one account should agree on their overrides.
    /// </summary>
    public IntervalRateLimiter For(string provider, string account, string callClass, double perSecond) =>
        _limiters.GetOrAdd(provider + "\n" + account + "\n" + callClass, _ => new IntervalRateLimiter(perSecond, _time));
}
