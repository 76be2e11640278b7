namespace OpenList.DriverHost.CloudFakes.Shared;

/// <summary>
/// Issued access and refresh tokens: expiry, single-use rotating refresh tokens and revocation.
/// Tokens are looked up, not verified cryptographically, so the fake can expire or revoke them at will.
/// Every <see cref="Issue"/> starts an authorization (a token family); refreshing rotates tokens inside it.
/// Providers that cap the live authorizations per user and app (115: two) pass a maximum, and the oldest
/// family is displaced when a new one is issued.
/// </summary>
internal sealed class TokenRegistry(TimeProvider time, JwtTokenFactory factory)
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, AccessGrant> access = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RefreshGrant> refresh = new(StringComparer.Ordinal);
    private readonly List<TokenFamily> families = [];
    private readonly List<string> issued = [];
    private long familySequence;

    public JwtTokenFactory Factory => factory;

    /// <summary>Values for the next minted pair (tests: hostile token strings that still work).</summary>
    public NextTokenOverride Next { get; } = new();

    /// <summary>Arms <see cref="Next"/>; the values must not have been issued before.</summary>
    public void SetNext(string? accessToken, string? refreshToken) => Next.Set(accessToken, refreshToken, Knows);

    /// <summary>Whether the token was ever issued (as access or refresh token), whatever its state.</summary>
    public bool Knows(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return false;
        }

        lock (gate)
        {
            return access.ContainsKey(token) || refresh.ContainsKey(token);
        }
    }

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

    /// <summary>A new authorization for <paramref name="subject"/> and <paramref name="clientId"/>.</summary>
    /// <param name="maxFamiliesPerClient">When set, issuing displaces the oldest live authorizations of the same user and client beyond this many.</param>
    public IssuedTokens Issue(string subject, string clientId, TimeSpan accessLifetime, TimeSpan refreshLifetime, int? maxFamiliesPerClient = null)
    {
        TokenFamily family;
        lock (gate)
        {
            family = new TokenFamily(subject, clientId, ++familySequence);
            if (maxFamiliesPerClient is { } max)
            {
                var live = families.Where(f => f.Subject == subject && f.ClientId == clientId && !f.Ended).OrderBy(f => f.Sequence).ToList();
                for (var i = 0; i <= live.Count - Math.Max(1, max); i++)
                {
                    live[i].Displaced = true;
                }
            }

            families.Add(family);
        }

        var now = time.GetUtcNow();
        return Mint(family, now, now + accessLifetime, now + refreshLifetime);
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

            if (grant.Revoked || grant.Family.Ended)
            {
                return AccessCheck.Revoked;
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

    /// <summary>Uses a refresh token once: on success it is spent and a new pair is issued in the same authorization.</summary>
    public RefreshCheck Redeem(string token, string clientId, TimeSpan accessLifetime, TimeSpan refreshLifetime, out IssuedTokens? tokens, RotationOptions? options = null)
    {
        tokens = null;
        options ??= RotationOptions.Default;
        RefreshGrant? grant;
        var now = time.GetUtcNow();
        lock (gate)
        {
            if (!refresh.TryGetValue(token, out grant))
            {
                return RefreshCheck.Unknown;
            }

            var check = grant switch
            {
                { Revoked: true } or { Family.Revoked: true } => RefreshCheck.Revoked,
                { Family.Displaced: true } => RefreshCheck.Displaced,
                { Used: true } => RefreshCheck.Used,
                _ when grant.ClientId != clientId => RefreshCheck.OtherClient,
                _ when now >= grant.ExpiresAt => RefreshCheck.Expired,
                _ => RefreshCheck.Valid,
            };
            if (check != RefreshCheck.Valid)
            {
                return check;
            }

            grant.Used = true;
            if (options.EndPreviousAccessTokens)
            {
                foreach (var (key, value) in access.Where(a => a.Value.Family == grant.Family).ToList())
                {
                    access[key] = value with { Revoked = true };
                }
            }
        }

        var refreshExpiry = options.KeepRefreshExpiry ? grant.ExpiresAt : now + refreshLifetime;
        tokens = Mint(grant.Family, now, now + accessLifetime, refreshExpiry);
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

    /// <summary>Ends the whole authorization the refresh token belongs to: its refresh and access tokens, earlier and later.</summary>
    public bool RevokeFamily(string refreshToken)
    {
        lock (gate)
        {
            if (!refresh.TryGetValue(refreshToken, out var grant))
            {
                return false;
            }

            grant.Family.Revoked = true;
            return true;
        }
    }

    /// <summary>Every refresh token issued so far is refused from now on (the user revoked the app).</summary>
    /// <param name="includeAccessTokens">Also end the access tokens of those authorizations.</param>
    public void RevokeAll(bool includeAccessTokens = false)
    {
        lock (gate)
        {
            foreach (var grant in refresh.Values)
            {
                grant.Revoked = true;
            }

            if (includeAccessTokens)
            {
                foreach (var family in families)
                {
                    family.Revoked = true;
                }
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

    private IssuedTokens Mint(TokenFamily family, DateTimeOffset now, DateTimeOffset accessExpiry, DateTimeOffset refreshExpiry)
    {
        var (nextAccess, nextRefresh) = Next.Take();
        var accessToken = nextAccess ?? factory.Mint(family.Subject, "access", now, accessExpiry);
        var refreshToken = nextRefresh ?? factory.Mint(family.Subject, "refresh", now, refreshExpiry);
        lock (gate)
        {
            access.Add(accessToken, new AccessGrant(family.Subject, family.ClientId, accessExpiry, family));
            refresh.Add(refreshToken, new RefreshGrant(family.Subject, family.ClientId, refreshExpiry, family));
            issued.Add(accessToken);
            issued.Add(refreshToken);
        }

        return new IssuedTokens(accessToken, refreshToken, accessExpiry - now);
    }
}

/// <summary>How a refresh rotates: whether the new refresh token inherits the old one's expiry, and whether older access tokens end.</summary>
internal sealed record RotationOptions(bool KeepRefreshExpiry, bool EndPreviousAccessTokens)
{
    public static readonly RotationOptions Default = new(false, false);
}

internal sealed record IssuedTokens(string AccessToken, string RefreshToken, TimeSpan AccessLifetime);

/// <summary>One authorization: the chain of token pairs a refresh token grant produced.</summary>
internal sealed class TokenFamily(string subject, string clientId, long sequence)
{
    public string Subject { get; } = subject;

    public string ClientId { get; } = clientId;

    public long Sequence { get; } = sequence;

    /// <summary>A newer authorization pushed this one out (per-client cap).</summary>
    public bool Displaced { get; set; }

    public bool Revoked { get; set; }

    public bool Ended => Displaced || Revoked;
}

internal sealed record AccessGrant(string Subject, string ClientId, DateTimeOffset ExpiresAt, TokenFamily Family)
{
    public bool Revoked { get; init; }
}

internal sealed class RefreshGrant(string subject, string clientId, DateTimeOffset expiresAt, TokenFamily family)
{
    public string Subject { get; } = subject;

    public string ClientId { get; } = clientId;

    public DateTimeOffset ExpiresAt { get; } = expiresAt;

    public TokenFamily Family { get; } = family;

    public bool Used { get; set; }

    public bool Revoked { get; set; }
}

internal enum AccessCheck
{
    Valid,
    Invalid,
    Expired,

    /// <summary>Its authorization ended (revoked, displaced) or a refresh ended it.</summary>
    Revoked,
}

internal enum RefreshCheck
{
    Valid,
    Unknown,
    Used,
    Revoked,
    Expired,
    OtherClient,

    /// <summary>A newer authorization of the same user and client pushed this one out.</summary>
    Displaced,
}
