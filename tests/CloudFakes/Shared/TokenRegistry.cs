namespace OpenList.DriverHost.CloudFakes.Shared;

/// <summary>
/// Issued access and refresh tokens: expiry, single-use rotating refresh tokens and revocation.
/// Tokens are looked up, not verified cryptographically, so the fake can expire or revoke them at will.
/// </summary>
internal sealed class TokenRegistry(TimeProvider time, JwtTokenFactory factory)
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, AccessGrant> access = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RefreshGrant> refresh = new(StringComparer.Ordinal);
    private readonly List<string> issued = [];

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

    public IssuedTokens Issue(string subject, string clientId, TimeSpan accessLifetime, TimeSpan refreshLifetime)
    {
        var now = time.GetUtcNow();
        var accessToken = factory.Mint(subject, "access", now, now + accessLifetime);
        var refreshToken = factory.Mint(subject, "refresh", now, now + refreshLifetime);
        lock (gate)
        {
            access.Add(accessToken, new AccessGrant(subject, clientId, now + accessLifetime));
            refresh.Add(refreshToken, new RefreshGrant(subject, clientId, now + refreshLifetime));
            issued.Add(accessToken);
            issued.Add(refreshToken);
        }

        return new IssuedTokens(accessToken, refreshToken, accessLifetime);
    }

    public AccessCheck CheckAccess(string? token, out AccessGrant? grant)
    {
        grant = null;
        if (string.IsNullOrEmpty(token))
        {
            return AccessCheck.Invalid;
        }

        lock (gate)
        {
            if (!access.TryGetValue(token, out grant))
            {
                return AccessCheck.Invalid;
            }
        }

        return time.GetUtcNow() >= grant.ExpiresAt ? AccessCheck.Expired : AccessCheck.Valid;
    }

    /// <summary>Looks a refresh token up without using it (to find its user before rate limiting).</summary>
    public RefreshGrant? PeekRefresh(string token)
    {
        lock (gate)
        {
            return refresh.GetValueOrDefault(token);
        }
    }

    /// <summary>Uses a refresh token once: on success it is spent and a new pair is issued.</summary>
    public RefreshCheck Redeem(string token, string clientId, TimeSpan accessLifetime, TimeSpan refreshLifetime, out IssuedTokens? tokens)
    {
        tokens = null;
        RefreshGrant? grant;
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
        }

        tokens = Issue(grant.Subject, clientId, accessLifetime, refreshLifetime);
        return RefreshCheck.Valid;
    }

    public bool Revoke(string refreshToken)
    {
        lock (gate)
        {
            if (!refresh.TryGetValue(refreshToken, out var grant))
            {
                return false;
            }

            grant.Revoked = true;
            return true;
        }
    }

    /// <summary>Every refresh token issued so far is refused from now on (the user revoked the app).</summary>
    public void RevokeAll()
    {
        lock (gate)
        {
            foreach (var grant in refresh.Values)
            {
                grant.Revoked = true;
            }
        }
    }

    /// <summary>Every access token issued so far expires now; tokens issued later are unaffected.</summary>
    public void ExpireAccessTokensNow()
    {
        var now = time.GetUtcNow();
        lock (gate)
        {
            foreach (var key in access.Keys.ToList())
            {
                access[key] = access[key] with { ExpiresAt = now };
            }
        }
    }
}

internal sealed record IssuedTokens(string AccessToken, string RefreshToken, TimeSpan AccessLifetime);

internal sealed record AccessGrant(string Subject, string ClientId, DateTimeOffset ExpiresAt);

internal sealed class RefreshGrant(string subject, string clientId, DateTimeOffset expiresAt)
{
    public string Subject { get; } = subject;

    public string ClientId { get; } = clientId;

    public DateTimeOffset ExpiresAt { get; } = expiresAt;

    public bool Used { get; set; }

    public bool Revoked { get; set; }
}

internal enum AccessCheck
{
    Valid,
    Invalid,
    Expired,
}

internal enum RefreshCheck
{
    Valid,
    Unknown,
    Used,
    Revoked,
    Expired,
    OtherClient,
}
