using System.Net;
using System.Net.Sockets;

namespace OpenList.DriverHost.Auth;

/// <summary>
/// Per-client throttling of failed logins (as OpenList's WebDAV: 5 failures → 429 for 5 minutes), with a decay
/// window OpenList lacks: failures older than <see cref="Window"/> are forgotten. A success clears the client's
/// record. Attempts while blocked do not extend the block, so a client that keeps retrying is released on time.
/// IPv6 clients are tracked per /64, the usual size of one subscriber's network. Memory is bounded.
/// </summary>
public sealed class LoginLockout
{
    public const int DefaultMaxFailures = 5;
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan DefaultBlockDuration = TimeSpan.FromMinutes(5);
    public const int DefaultMaxEntries = 10_000;

    private readonly TimeProvider _timeProvider;
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public LoginLockout(
        TimeProvider timeProvider,
        int maxFailures = DefaultMaxFailures,
        TimeSpan? window = null,
        TimeSpan? blockDuration = null,
        int maxEntries = DefaultMaxEntries)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFailures, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEntries, 1);
        _timeProvider = timeProvider;
        MaxFailures = maxFailures;
        Window = window ?? DefaultWindow;
        BlockDuration = blockDuration ?? DefaultBlockDuration;
        MaxEntries = maxEntries;
    }

    public int MaxFailures { get; }

    public TimeSpan Window { get; }

    public TimeSpan BlockDuration { get; }

    public int MaxEntries { get; }

    /// <summary>Clients currently tracked (for tests and metrics).</summary>
    public int TrackedClients
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>True while <paramref name="client"/> is blocked; <paramref name="retryAfter"/> is the time left.</summary>
    public bool IsBlocked(IPAddress? client, out TimeSpan retryAfter)
    {
        var now = _timeProvider.GetUtcNow();
        lock (_gate)
        {
            if (_entries.TryGetValue(KeyOf(client), out var entry) && entry.BlockedUntil > now)
            {
                retryAfter = entry.BlockedUntil - now;
                return true;
            }
        }

        retryAfter = TimeSpan.Zero;
        return false;
    }

    /// <summary>Counts a failed login; returns true when this failure started a block.</summary>
    public bool RecordFailure(IPAddress? client)
    {
        var now = _timeProvider.GetUtcNow();
        var key = KeyOf(client);
        lock (_gate)
        {
            if (!_entries.TryGetValue(key, out var entry) || IsStale(entry, now))
            {
                MakeRoom(now);
                entry = new Entry { FirstFailure = now };
                _entries[key] = entry;
            }

            if (entry.BlockedUntil > now)
            {
                return false;
            }

            entry.Failures++;
            entry.LastFailure = now;
            if (entry.Failures < MaxFailures)
            {
                return false;
            }

            entry.BlockedUntil = now + BlockDuration;
            entry.Failures = 0;
            entry.FirstFailure = now;
            return true;
        }
    }

    /// <summary>A successful login: forgets the client's failures.</summary>
    public void RecordSuccess(IPAddress? client)
    {
        lock (_gate)
        {
            _entries.Remove(KeyOf(client));
        }
    }

    private bool IsStale(Entry entry, DateTimeOffset now) =>
        entry.BlockedUntil <= now && now - entry.FirstFailure >= Window;

    private void MakeRoom(DateTimeOffset now)
    {
        if (_entries.Count < MaxEntries)
        {
            return;
        }

        foreach (var key in _entries.Where(e => e.Value.BlockedUntil <= now && now - e.Value.LastFailure >= Window).Select(e => e.Key).ToList())
        {
            _entries.Remove(key);
        }

        // Still full: forget the least recently failing clients that are not blocked, then the oldest of all.
        if (_entries.Count >= MaxEntries)
        {
            var excess = _entries.Count - MaxEntries + 1 + (MaxEntries / 10);
            foreach (var key in _entries.OrderBy(e => e.Value.BlockedUntil > now).ThenBy(e => e.Value.LastFailure).Take(excess).Select(e => e.Key).ToList())
            {
                _entries.Remove(key);
            }
        }
    }

    /// <summary>IPv4 (and IPv4-mapped IPv6) per address; IPv6 per /64.</summary>
    internal static string KeyOf(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes).ToString() + "/64";
    }

    private sealed class Entry
    {
        public int Failures { get; set; }

        public DateTimeOffset FirstFailure { get; set; }

        public DateTimeOffset LastFailure { get; set; }

        public DateTimeOffset BlockedUntil { get; set; } = DateTimeOffset.MinValue;
    }
}
