using System.Security.Cryptography;
using System.Text;
using OpenList.DriverHost.Config;

namespace OpenList.DriverHost.Auth;

/// <summary>
/// The configured users, for HTTP Basic checks. rclone and media players send credentials on every request, so a
/// successful verification is remembered for <see cref="DefaultCacheDuration"/>, keyed by a salted SHA-256 of user,
/// password and stored hash (never the password itself). Thread-safe; <see cref="Replace"/> swaps the users on reload.
/// </summary>
public sealed class UserDirectory
{
    public static readonly TimeSpan DefaultCacheDuration = TimeSpan.FromMinutes(5);

    private const int MaxCacheEntries = 1024;

    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _cacheDuration;
    private readonly byte[] _cacheSalt = RandomNumberGenerator.GetBytes(32);
    private readonly Dictionary<string, DateTimeOffset> _verified = new(StringComparer.Ordinal);
    private readonly Lock _cacheGate = new();
    private volatile Snapshot _snapshot;

    public UserDirectory(IEnumerable<UserRecord> users, TimeProvider timeProvider, TimeSpan? cacheDuration = null)
    {
        _timeProvider = timeProvider;
        _cacheDuration = cacheDuration ?? DefaultCacheDuration;
        _snapshot = new Snapshot(users);
    }

    /// <summary>False when no users are configured: everyone is anonymous.</summary>
    public bool HasUsers => _snapshot.Users.Count > 0;

    /// <summary>Remembered successful verifications (for tests).</summary>
    internal int CachedVerifications
    {
        get
        {
            lock (_cacheGate)
            {
                return _verified.Count;
            }
        }
    }

    /// <summary>Replaces the users (configuration reload) and forgets every remembered verification.</summary>
    public void Replace(IEnumerable<UserRecord> users)
    {
        _snapshot = new Snapshot(users);
        lock (_cacheGate)
        {
            _verified.Clear();
        }
    }

    /// <summary>The user when <paramref name="password"/> is right; null for an unknown user or a wrong password.</summary>
    public AuthenticatedUser? Authenticate(string username, string password)
    {
        var snapshot = _snapshot;
        if (!snapshot.Users.TryGetValue(username, out var record))
        {
            // Spend the same work as for a real user, so response time does not reveal which usernames exist.
            PasswordHasher.Verify(password, snapshot.DummyHash.Value);
            return null;
        }

        var key = CacheKey(username, password, record.PasswordHash);
        var now = _timeProvider.GetUtcNow();
        lock (_cacheGate)
        {
            if (_verified.TryGetValue(key, out var expires) && expires > now)
            {
                return ToUser(record);
            }
        }

        if (!PasswordHasher.Verify(password, record.PasswordHash))
        {
            return null;
        }

        Remember(key, now + _cacheDuration, now);
        return ToUser(record);
    }

    private static AuthenticatedUser ToUser(UserRecord record) => new(record.Username, record.CanWrite, record.BasePath);

    private void Remember(string key, DateTimeOffset expires, DateTimeOffset now)
    {
        lock (_cacheGate)
        {
            if (_verified.Count >= MaxCacheEntries)
            {
                foreach (var stale in _verified.Where(e => e.Value <= now).Select(e => e.Key).ToList())
                {
                    _verified.Remove(stale);
                }

                if (_verified.Count >= MaxCacheEntries)
                {
                    _verified.Clear();
                }
            }

            _verified[key] = expires;
        }
    }

    private string CacheKey(string username, string password, string passwordHash)
    {
        var text = Encoding.UTF8.GetBytes($"{username}\0{password}\0{passwordHash}");
        try
        {
            return Convert.ToHexString(HMACSHA256.HashData(_cacheSalt, text));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(text);
        }
    }

    private sealed class Snapshot
    {
        public Snapshot(IEnumerable<UserRecord> users)
        {
            Users = users.GroupBy(u => u.Username, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            var iterations = Users.Values.Select(u => PasswordHasher.GetIterations(u.PasswordHash)).FirstOrDefault(i => i > 0);
            DummyHash = new Lazy<string>(() => PasswordHasher.Hash(Guid.NewGuid().ToString(), iterations > 0 ? iterations : PasswordHasher.DefaultIterations));
        }

        public Dictionary<string, UserRecord> Users { get; }

        public Lazy<string> DummyHash { get; }
    }
}
