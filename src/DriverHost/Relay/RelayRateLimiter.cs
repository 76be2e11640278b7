namespace OpenList.DriverHost.Relay;

/// <summary>
/// Fixed one-minute windows per key (a client IP, or a refresh token's hash: never the token), on an injected
/// <see cref="TimeProvider"/>. Memory is bounded: at <see cref="MaxKeys"/> keys, ended windows are dropped, and if
/// every window is still live the table starts over (one instance per kind of key, so a flood of made-up tokens
/// cannot reset the per-IP budgets, which still bound the flood).
/// </summary>
internal sealed class RelayRateLimiter
{
    /// <summary>Keys kept at most; a window is two numbers, so this is well under a megabyte.</summary>
    public const int MaxKeys = 20_000;

    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly TimeProvider _time;
    private readonly Dictionary<string, (DateTimeOffset Start, int Count)> _windows = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public RelayRateLimiter(TimeProvider time) => _time = time;

    /// <summary>Windows held now (tests check the bound).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _windows.Count;
            }
        }
    }

    /// <summary>Counts one request against <paramref name="key"/>; false with the wait when the budget is spent.</summary>
    /// <param name="perMinute">Requests allowed per window; 0 means no limit (nothing is counted).</param>
    public bool TryAcquire(string key, int perMinute, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (perMinute <= 0)
        {
            return true;
        }

        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (!_windows.TryGetValue(key, out var window) || now - window.Start >= Window)
            {
                MakeRoom(now);
                _windows[key] = (now, 1);
                return true;
            }

            if (window.Count < perMinute)
            {
                _windows[key] = (window.Start, window.Count + 1);
                return true;
            }

            retryAfter = window.Start + Window - now;
            return false;
        }
    }

    private void MakeRoom(DateTimeOffset now)
    {
        if (_windows.Count < MaxKeys)
        {
            return;
        }

        foreach (var ended in _windows.Where(w => now - w.Value.Start >= Window).Select(w => w.Key).ToList())
        {
            _windows.Remove(ended);
        }

        if (_windows.Count >= MaxKeys)
        {
            _windows.Clear();
        }
    }
}
