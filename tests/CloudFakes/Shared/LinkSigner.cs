using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace OpenList.DriverHost.CloudFakes.Shared;

/// <summary>
/// Signs expiring links the fake serves itself (downloads, upload parts). The signature covers the purpose,
/// the resource, the expiry and an epoch, so bumping the epoch (<see cref="InvalidateAll"/>) kills every link
/// handed out so far.
/// </summary>
internal sealed class LinkSigner
{
    private const string ExpiresKey = "x-expires";
    private const string EpochKey = "x-epoch";
    private const string SignatureKey = "x-signature";
    private readonly byte[] key = RandomNumberGenerator.GetBytes(32);
    private int epoch;

    public void InvalidateAll() => Interlocked.Increment(ref epoch);

    /// <summary>The query string (with leading '?') that makes <paramref name="resource"/> valid until <paramref name="expires"/>.</summary>
    public string SignQuery(string purpose, string resource, DateTimeOffset expires)
    {
        var expiresText = expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var epochText = Volatile.Read(ref epoch).ToString(CultureInfo.InvariantCulture);
        var signature = Sign(purpose, resource, expiresText, epochText);
        return $"?{ExpiresKey}={expiresText}&{EpochKey}={epochText}&{SignatureKey}={signature}";
    }

    public LinkCheck Check(string purpose, string resource, IQueryCollection query, DateTimeOffset now)
    {
        string expiresText = query[ExpiresKey].ToString(), epochText = query[EpochKey].ToString(), signature = query[SignatureKey].ToString();
        var expected = Encoding.ASCII.GetBytes(Sign(purpose, resource, expiresText, epochText));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature)))
        {
            return LinkCheck.BadSignature;
        }

        var expired = !long.TryParse(expiresText, NumberStyles.None, CultureInfo.InvariantCulture, out var expiresAt)
            || now.ToUnixTimeSeconds() >= expiresAt
            || epochText != Volatile.Read(ref epoch).ToString(CultureInfo.InvariantCulture);
        return expired ? LinkCheck.Expired : LinkCheck.Valid;
    }

    private string Sign(string purpose, string resource, string expires, string epochText) =>
        WebEncoders.Base64UrlEncode(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{purpose}\n{resource}\n{expires}\n{epochText}")));
}

internal enum LinkCheck
{
    Valid,
    BadSignature,
    Expired,
}
