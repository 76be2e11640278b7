using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using OpenList.DriverHost.Drivers.Relay;

namespace OpenList.DriverHost.Relay.Pages;

/// <summary>
/// The authorizations in progress, in memory: bounded (<see cref="Capacity"/>), each living <see cref="Lifetime"/>
/// (10 minutes) on the injected clock. Ids, states, go ids and PKCE verifiers come from the CSPRNG (32 bytes,
/// base64url). Flows are found by id (the cookie), by go id (the phone's QR link) or by state (the callback); the
/// state index is keyed by SHA-256 of the state, so a lookup's timing says nothing about a stored state, and the
/// found flow's state is compared again in constant time. A flow stays findable for one more lifetime after it
/// expires, only so that a late callback or page can say "expired" rather than "unknown".
/// </summary>
internal sealed class RelayFlowStore
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, RelayFlow> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RelayFlow> _byStateHash = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RelayFlow> _byGoId = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    public RelayFlowStore(TimeProvider time, int capacity = 10_000)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _time = time;
        Capacity = capacity;
    }

    /// <summary>Flows kept at most (expired ones included until purged); beyond it <see cref="TryCreate"/> refuses.</summary>
    public int Capacity { get; }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _byId.Count;
            }
        }
    }

    public DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>A new flow, or null when <see cref="Capacity"/> flows are in progress.</summary>
    /// <param name="lifetime">Shorter than <see cref="Lifetime"/> when the provider's device code expires sooner.</param>
    public RelayFlow? TryCreate(string prefix, RelayFlowMode mode, bool pkce, RelayDeviceCode? device = null, TimeSpan? lifetime = null)
    {
        var now = _time.GetUtcNow();
        var life = lifetime is { } l && l < Lifetime && l > TimeSpan.Zero ? l : Lifetime;
        var flow = new RelayFlow(NewSecret(), prefix, mode, NewSecret(), pkce ? NewSecret() : null, mode == RelayFlowMode.Qr ? NewSecret() : null, now + life)
        {
            Device = device,
            PollInterval = device?.Interval > TimeSpan.Zero ? device.Interval : TimeSpan.FromSeconds(5),
            NextPollAt = now + (device?.Interval > TimeSpan.Zero ? device.Interval : TimeSpan.FromSeconds(5)),
        };
        lock (_gate)
        {
            if (_byId.Count >= Capacity)
            {
                Purge(now); // full: drop every expired flow, even those kept for the "expired" message
                if (_byId.Count >= Capacity)
                {
                    return null;
                }
            }
            else if (_byId.Count % 64 == 0)
            {
                Purge(now - Lifetime);
            }

            _byId.Add(flow.Id, flow);
            _byStateHash.Add(Hash(flow.State), flow);
            if (flow.GoId is not null)
            {
                _byGoId.Add(flow.GoId, flow);
            }

            return flow;
        }
    }

    public RelayFlow? FindById(string? id) => Find(_byId, id);

    public RelayFlow? FindByGoId(string? goId) => Find(_byGoId, goId);

    /// <summary>The flow whose state equals <paramref name="state"/> (compared in constant time), or null.</summary>
    public RelayFlow? FindByState(string? state)
    {
        if (string.IsNullOrEmpty(state) || state.Length > 512)
        {
            return null;
        }

        var flow = Find(_byStateHash, Hash(state));
        return flow is not null && FixedTimeEquals(flow.State, state) ? flow : null;
    }

    public bool IsExpired(RelayFlow flow) => _time.GetUtcNow() >= flow.ExpiresAt;

    /// <summary>Runs <paramref name="change"/> under the store's lock (every change of a flow's mutable fields).</summary>
    public T Update<T>(RelayFlow flow, Func<RelayFlow, T> change)
    {
        lock (_gate)
        {
            return change(flow);
        }
    }

    /// <summary>Forgets the flow (ended: tokens shown, failure shown); its tokens are dropped.</summary>
    public void Remove(RelayFlow flow)
    {
        lock (_gate)
        {
            flow.Tokens = null;
            Forget(flow);
        }
    }

    /// <summary>Ordinal comparison whose time does not depend on where the strings differ.</summary>
    public static bool FixedTimeEquals(string? a, string? b) =>
        a is not null && b is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));

    /// <summary>32 bytes from the CSPRNG, base64url without padding (43 characters).</summary>
    public static string NewSecret() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>The PKCE S256 challenge of a verifier: base64url(SHA-256(ASCII verifier)) (RFC 7636 §4.2).</summary>
    public static string Challenge(string verifier) => Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    private RelayFlow? Find(Dictionary<string, RelayFlow> index, string? key)
    {
        if (string.IsNullOrEmpty(key) || key.Length > 512)
        {
            return null;
        }

        lock (_gate)
        {
            return index.GetValueOrDefault(key);
        }
    }

    /// <summary>Drops flows that expired at or before <paramref name="cutoff"/>. Call under the lock.</summary>
    private void Purge(DateTimeOffset cutoff)
    {
        foreach (var flow in _byId.Values.Where(f => f.ExpiresAt <= cutoff).ToList())
        {
            flow.Tokens = null;
            Forget(flow);
        }
    }

    /// <summary>Call under the lock.</summary>
    private void Forget(RelayFlow flow)
    {
        _byId.Remove(flow.Id);
        _byStateHash.Remove(Hash(flow.State));
        if (flow.GoId is not null)
        {
            _byGoId.Remove(flow.GoId);
        }
    }

    private static string Hash(string value) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
}
