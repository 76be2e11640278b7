using System.Net;

namespace OpenList.DriverHost.Relay.Pages;

/// <summary>
/// A per-client-IP fixed window (one minute, on the injected clock) for the authorization pages' start, go,
/// callback and status requests: <c>relay.rate_limits.per_ip_per_minute</c> (0 = unlimited). Status polling has its
/// own window so a waiting page cannot starve the callback. Bounded: at most <see cref="MaxClients"/> addresses are
/// tracked; when full, windows that have ended are dropped, and if none has, the new address is let through
/// uncounted rather than refusing everyone. A small stand-in until the renew routes' limiter is shared.
/// </summary>
internal sealed class RelayPageRateLimiter
{
    public const int MaxClients = 50_000;
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private readonly Dictionary<(IPAddress, string), (DateTimeOffset Start, int Count)> _windows = [];
    private readonly TimeProvider _time;

    public RelayPageRateLimiter(TimeProvider time) => _time = time;

    /// <summary>Counts one request; false (with the time until the window ends) when over <paramref name="perMinute"/>.</summary>
    public bool TryAcquire(IPAddress? client, string bucket, int perMinute, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (perMinute <= 0 || client is null)
        {
            return true;
        }

        if (client.IsIPv4MappedToIPv6)
        {
            client = client.MapToIPv4();
        }

        var now = _time.GetUtcNow();
        var key = (client, bucket);
        lock (_gate)
        {
            if (!_windows.TryGetValue(key, out var window) || now >= window.Start + Window)
            {
                if (!_windows.ContainsKey(key) && _windows.Count >= MaxClients)
                {
                    foreach (var ended in _windows.Where(w => now >= w.Value.Start + Window).Select(w => w.Key).ToList())
                    {
                        _windows.Remove(ended);
                    }

                    if (_windows.Count >= MaxClients)
                    {
                        return true;
                    }
                }

                window = (now, 0);
            }

            if (window.Count >= perMinute)
            {
                retryAfter = window.Start + Window - now;
                return false;
            }

            _windows[key] = (window.Start, window.Count + 1);
            return true;
        }
    }
}
