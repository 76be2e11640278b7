using System.Security.Cryptography;

namespace OpenList.DriverHost.CloudFakes.Shared;

/// <summary>
/// Authorization codes of an auto-approving consent page, with the Disk.Top fake's rules: single use, bound to
/// client_id and redirect_uri, valid 10 minutes. Any redemption attempt that names the right client burns the
/// code (RFC 6749 §4.1.2: a code must not be used more than once), so a retry after an error needs a new code.
/// </summary>
internal sealed class AuthorizationCodes(TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private readonly Lock gate = new();
    private readonly Dictionary<string, AuthorizationCode> codes = new(StringComparer.Ordinal);

    /// <summary>A new code for <paramref name="subject"/> (the provider's user key).</summary>
    public string Issue(string subject, string clientId, string redirectUri, string scope)
    {
        var code = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
        lock (gate)
        {
            codes.Add(code, new AuthorizationCode(subject, clientId, redirectUri, scope, time.GetUtcNow() + Lifetime));
        }

        return code;
    }

    /// <param name="redirectUri">The exchange's redirect_uri; null when the provider's exchange does not carry one (Aliyun).</param>
    public CodeCheck Redeem(string? code, string clientId, string? redirectUri, out AuthorizationCode? grant)
    {
        grant = null;
        if (string.IsNullOrEmpty(code))
        {
            return CodeCheck.Missing;
        }

        lock (gate)
        {
            if (!codes.TryGetValue(code, out var found) || found.ClientId != clientId)
            {
                return CodeCheck.Unknown;
            }

            if (found.Used)
            {
                return CodeCheck.Used;
            }

            found.Used = true;
            if (time.GetUtcNow() >= found.ExpiresAt)
            {
                return CodeCheck.Expired;
            }

            if (redirectUri is not null && redirectUri != found.RedirectUri)
            {
                return CodeCheck.RedirectMismatch;
            }

            grant = found;
            return CodeCheck.Valid;
        }
    }
}

internal sealed class AuthorizationCode(string subject, string clientId, string redirectUri, string scope, DateTimeOffset expiresAt)
{
    public string Subject { get; } = subject;

    public string ClientId { get; } = clientId;

    public string RedirectUri { get; } = redirectUri;

    public string Scope { get; } = scope;

    public DateTimeOffset ExpiresAt { get; } = expiresAt;

    public bool Used { get; set; }
}

internal enum CodeCheck
{
    Valid,
    Missing,
    Unknown,
    Used,
    Expired,
    RedirectMismatch,
}
