using OpenList.DriverHost.CloudFakes.Shared;

namespace OpenList.DriverHost.CloudFakes.Open123;

/// <summary>
/// Issued 123 tokens. Access tokens are JWT-shaped (like the real <c>eyJhbGciOi…</c> tokens) and looked up, not
/// verified. Developer tokens (client credentials) have no refresh token, live 30 days, and at most three per
/// client are live: issuing a fourth kicks the oldest live one offline (documented). OAuth tokens (relay mode)
/// come in pairs; the refresh token is single-use and rotates, and redeeming it invalidates the access token
/// of the same chain at once (documented for the official OAuth token endpoint).
/// </summary>
internal sealed class Open123TokenStore(TimeProvider time)
{
    private readonly Lock gate = new();
    private readonly JwtTokenFactory factory = new();
    private readonly Dictionary<string, Open123AccessGrant> access = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Open123RefreshGrant> refresh = new(StringComparer.Ordinal);
    private readonly List<string> issued = [];
    private long order;

    public IReadOnlyCollection<string> AllIssued
    {
        get
        {
            lock (gate)
            {
                return issued.ToArray();
            }
        }
    }

    /// <summary>Values for the next OAuth pair (tests: hostile token strings that still work).</summary>
    public NextTokenOverride Next { get; } = new();

    /// <summary>Whether the token was ever issued (access or refresh), whatever its state.</summary>
    public bool Knows(string token)
    {
        lock (gate)
        {
            return access.ContainsKey(token) || refresh.ContainsKey(token);
        }
    }

    /// <summary>An OAuth pair of <paramref name="clientId"/>'s app (the relay's built-in app for relay tokens).</summary>
    public Open123Tokens IssueOAuth(long uid, string clientId, TimeSpan accessLifetime, TimeSpan refreshLifetime, string scope = Open123Fake.OAuthScope)
    {
        var now = time.GetUtcNow();
        var subject = Subject(uid);
        var (nextAccess, nextRefresh) = Next.Take();
        var accessToken = nextAccess ?? factory.Mint(subject, "access", now, now + accessLifetime);
        var refreshToken = nextRefresh ?? factory.Mint(subject, "refresh", now, now + refreshLifetime);
        lock (gate)
        {
            access.Add(accessToken, new Open123AccessGrant(uid, null, now + accessLifetime, ++order));
            refresh.Add(refreshToken, new Open123RefreshGrant(uid, clientId, now + refreshLifetime, accessToken) { Scope = scope });
            issued.Add(accessToken);
            issued.Add(refreshToken);
        }

        return new Open123Tokens(accessToken, refreshToken, (long)accessLifetime.TotalSeconds) { Scope = scope };
    }

    /// <param name="kicked">How many older tokens of the client went offline because of this issue.</param>
    public Open123DeveloperToken IssueDeveloper(Open123Fake.Open123Client client, TimeSpan lifetime, int maxLive, out int kicked)
    {
        var now = time.GetUtcNow();
        var expires = now + lifetime;
        var token = factory.Mint(Subject(client.Owner.Uid), "access", now, expires);
        kicked = 0;
        lock (gate)
        {
            var live = access.Values
                .Where(g => g.ClientId == client.ClientId && g.State == Open123TokenState.Active && now < g.ExpiresAt)
                .OrderBy(g => g.Order)
                .ToList();
            for (var i = 0; i <= live.Count - maxLive; i++)
            {
                live[i].State = Open123TokenState.Kicked;
                kicked++;
            }

            access.Add(token, new Open123AccessGrant(client.Owner.Uid, client.ClientId, expires, ++order));
            issued.Add(token);
        }

        return new Open123DeveloperToken(token, expires);
    }

    public Open123AccessCheck CheckAccess(string? token, out long uid)
    {
        uid = 0;
        if (string.IsNullOrEmpty(token))
        {
            return Open123AccessCheck.Missing;
        }

        lock (gate)
        {
            if (!access.TryGetValue(token, out var grant))
            {
                return Open123AccessCheck.Unknown;
            }

            uid = grant.Uid;
            return grant.State switch
            {
                Open123TokenState.Kicked => Open123AccessCheck.Kicked,
                Open123TokenState.Replaced => Open123AccessCheck.Replaced,
                _ when time.GetUtcNow() >= grant.ExpiresAt => Open123AccessCheck.Expired,
                _ => Open123AccessCheck.Valid,
            };
        }
    }

    /// <summary>Uses a refresh token once: on success it is spent, the chain's access token dies and a new pair is issued.</summary>
    /// <param name="clientId">The app redeeming it: a token of another app is <see cref="RefreshCheck.OtherClient"/> (not spent).</param>
    public RefreshCheck Redeem(string? token, string clientId, TimeSpan accessLifetime, TimeSpan refreshLifetime, out Open123Tokens? tokens)
    {
        tokens = null;
        if (string.IsNullOrEmpty(token))
        {
            return RefreshCheck.Unknown;
        }

        Open123RefreshGrant? grant;
        lock (gate)
        {
            if (!refresh.TryGetValue(token, out grant))
            {
                return RefreshCheck.Unknown;
            }

            var check = grant switch
            {
                { Revoked: true } => RefreshCheck.Revoked,
                { Used: true } => RefreshCheck.Used,
                _ when grant.ClientId != clientId => RefreshCheck.OtherClient,
                _ when time.GetUtcNow() >= grant.ExpiresAt => RefreshCheck.Expired,
                _ => RefreshCheck.Valid,
            };
            if (check != RefreshCheck.Valid)
            {
                return check;
            }

            grant.Used = true;
            if (access.TryGetValue(grant.AccessToken, out var old) && old.State == Open123TokenState.Active)
            {
                old.State = Open123TokenState.Replaced;
            }
        }

        tokens = IssueOAuth(grant.Uid, clientId, accessLifetime, refreshLifetime, grant.Scope);
        return RefreshCheck.Valid;
    }

    public IReadOnlyList<string> LiveDeveloperTokens(string clientId)
    {
        var now = time.GetUtcNow();
        lock (gate)
        {
            return access
                .Where(p => p.Value.ClientId == clientId && p.Value.State == Open123TokenState.Active && now < p.Value.ExpiresAt)
                .OrderBy(p => p.Value.Order)
                .Select(p => p.Key)
                .ToList();
        }
    }

    public void ExpireAccessTokensNow()
    {
        var now = time.GetUtcNow();
        lock (gate)
        {
            foreach (var grant in access.Values)
            {
                if (grant.ExpiresAt > now)
                {
                    grant.ExpiresAt = now;
                }
            }
        }
    }

    public void RevokeAllRefresh()
    {
        lock (gate)
        {
            foreach (var grant in refresh.Values)
            {
                grant.Revoked = true;
            }
        }
    }

    public bool RevokeRefresh(string token)
    {
        lock (gate)
        {
            if (!refresh.TryGetValue(token, out var grant))
            {
                return false;
            }

            grant.Revoked = true;
            return true;
        }
    }

    private static string Subject(long uid) => uid.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

internal sealed record Open123DeveloperToken(string AccessToken, DateTimeOffset ExpiresAt);

internal sealed class Open123AccessGrant(long uid, string? clientId, DateTimeOffset expiresAt, long order)
{
    public long Uid { get; } = uid;

    /// <summary>The developer client; null for OAuth (relay) tokens.</summary>
    public string? ClientId { get; } = clientId;

    public DateTimeOffset ExpiresAt { get; set; } = expiresAt;

    public long Order { get; } = order;

    public Open123TokenState State { get; set; }
}

internal sealed class Open123RefreshGrant(long uid, string clientId, DateTimeOffset expiresAt, string accessToken)
{
    public long Uid { get; } = uid;

    /// <summary>The OAuth app the pair was issued to.</summary>
    public string ClientId { get; } = clientId;

    /// <summary>The granted scope, answered again by each refresh.</summary>
    public string Scope { get; init; } = Open123Fake.OAuthScope;

    public DateTimeOffset ExpiresAt { get; } = expiresAt;

    /// <summary>The access token issued together with this refresh token.</summary>
    public string AccessToken { get; } = accessToken;

    public bool Used { get; set; }

    public bool Revoked { get; set; }
}

internal enum Open123TokenState
{
    Active,
    Kicked,
    Replaced,
}

internal enum Open123AccessCheck
{
    Valid,
    Missing,
    Unknown,
    Expired,
    Kicked,
    Replaced,
}
