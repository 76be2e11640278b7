using System.Security.Cryptography;

namespace OpenList.DriverHost.CloudFakes.DiskTop;

/// <summary>A registered app.</summary>
internal sealed record DiskTopClient(string ClientId, string ClientSecret, IReadOnlyList<string> RedirectUris, string AppName, IReadOnlySet<string> AllowedScopes);

/// <summary>An access token's grant. Guarded by the fake's lock.</summary>
internal sealed class DiskTopAccessGrant(DiskTopAccount account, string clientId, IReadOnlyList<string> scopes, DateTimeOffset expiresAt)
{
    public DiskTopAccount Account { get; } = account;

    public string ClientId { get; } = clientId;

    public IReadOnlyList<string> Scopes { get; } = scopes;

    public DateTimeOffset ExpiresAt { get; set; } = expiresAt;

    public bool Revoked { get; set; }

    public bool Has(string scope) => Scopes.Contains(scope);
}

/// <summary>A refresh token: single use, then rotated. Guarded by the fake's lock.</summary>
internal sealed class DiskTopRefreshGrant(DiskTopAccount account, string clientId, IReadOnlyList<string> scopes, DateTimeOffset expiresAt, bool publicClient)
{
    public DiskTopAccount Account { get; } = account;

    public string ClientId { get; } = clientId;

    public IReadOnlyList<string> Scopes { get; } = scopes;

    public DateTimeOffset ExpiresAt { get; } = expiresAt;

    /// <summary>The chain began with a PKCE exchange without client_secret: refreshing needs no secret either.</summary>
    public bool PublicClient { get; } = publicClient;

    public bool Used { get; set; }

    public bool Revoked { get; set; }
}

/// <summary>An authorization code from /oauth/authorize: single use, 10 minutes.</summary>
internal sealed class DiskTopAuthCode(DiskTopAccount account, string clientId, string redirectUri, IReadOnlyList<string> scopes, string? codeChallenge, DateTimeOffset expiresAt)
{
    public DiskTopAccount Account { get; } = account;

    public string ClientId { get; } = clientId;

    public string RedirectUri { get; } = redirectUri;

    public IReadOnlyList<string> Scopes { get; } = scopes;

    public string? CodeChallenge { get; } = codeChallenge;

    public DateTimeOffset ExpiresAt { get; } = expiresAt;

    public bool Used { get; set; }
}

internal enum DeviceState
{
    Pending,
    Approved,
    Denied,
    Consumed,
}

/// <summary>A device code between /oauth/device-code and a successful poll. Guarded by the fake's lock.</summary>
internal sealed class DiskTopDeviceGrant(string deviceCode, string userCode, string clientId, IReadOnlyList<string> scopes, DateTimeOffset issuedAt, DateTimeOffset expiresAt, int intervalSeconds)
{
    public string DeviceCode { get; } = deviceCode;

    public string UserCode { get; } = userCode;

    public string ClientId { get; } = clientId;

    public IReadOnlyList<string> Scopes { get; } = scopes;

    public DateTimeOffset IssuedAt { get; } = issuedAt;

    public DateTimeOffset ExpiresAt { get; } = expiresAt;

    /// <summary>Grows by 5 s on every slow_down (RFC 8628 §3.5).</summary>
    public int IntervalSeconds { get; set; } = intervalSeconds;

    public DateTimeOffset? LastPoll { get; set; }

    public int Polls { get; set; }

    public DeviceState State { get; set; }

    public DiskTopAccount? Account { get; set; }
}

/// <summary>Random opaque strings for tokens and codes.</summary>
internal static class DiskTopSecrets
{
    private const string UserCodeAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

    /// <summary>base64url without padding of <paramref name="bytes"/> random bytes.</summary>
    public static string Opaque(int bytes) =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Hex(int bytes) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(bytes));

    /// <summary>"8KXH-Y8R" shape: four characters, a dash, three characters.</summary>
    public static string UserCode() =>
        RandomNumberGenerator.GetString(UserCodeAlphabet, 4) + "-" + RandomNumberGenerator.GetString(UserCodeAlphabet, 3);

    /// <summary>Upper-cases and drops the dash, so "8kxh-y8r" and "8KXHY8R" name the same code.</summary>
    public static string NormalizeUserCode(string code) => code.Replace("-", "", StringComparison.Ordinal).Trim().ToUpperInvariant();
}
