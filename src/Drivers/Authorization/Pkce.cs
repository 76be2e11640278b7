using System.Security.Cryptography;
using System.Text;

namespace OpenList.DriverHost.Drivers.Authorization;

/// <summary>PKCE (RFC 7636) with S256, and the random <c>state</c> of an authorization request.</summary>
public static class Pkce
{
    /// <summary>base64url of 32 random bytes: 43 characters, within RFC 7636 §4.1's 43–128.</summary>
    public static string CreateVerifier() => Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>RFC 7636 §4.2: base64url(SHA256(ASCII(verifier))), no padding.</summary>
    public static string Challenge(string verifier) => Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    /// <summary>An unguessable <c>state</c> value (RFC 6749 §10.12).</summary>
    public static string CreateState() => Base64Url(RandomNumberGenerator.GetBytes(24));

    internal static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
