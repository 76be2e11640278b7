using System.Security.Cryptography;
using System.Text;

namespace OpenList.DriverHost.CloudFakes.Shared;

/// <summary>
/// Mints 3-segment JWT-shaped tokens. The payload segment uses only [A-Za-z0-9]: base64 of pure-ASCII JSON
/// without '&gt;', '?' or '~' never yields '+' or '/', and the salt length is chosen so no '=' padding arises.
/// That makes the payload decodable as standard <em>and</em> URL-safe base64, padded or not — the OpenList
/// Aliyun driver decodes it with Go's RawStdEncoding and compares <c>sub</c>.
/// </summary>
internal sealed class JwtTokenFactory
{
    // {"alg":"HS256","typ":"JWT"} – already free of '+', '/', '='.
    private const string Header = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";
    private const string SaltAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private readonly byte[] signingKey = RandomNumberGenerator.GetBytes(32);

    /// <param name="subject">Stable per user; only [A-Za-z0-9] (checked).</param>
    /// <param name="kind">"access" or "refresh".</param>
    public string Mint(string subject, string kind, DateTimeOffset issuedAt, DateTimeOffset expiresAt)
    {
        if (!subject.All(char.IsAsciiLetterOrDigit) || !kind.All(char.IsAsciiLetterOrDigit))
        {
            throw new ArgumentException("Token claims must be ASCII letters and digits.", nameof(subject));
        }

        string payload;
        do
        {
            var json = Json(subject, kind, issuedAt, expiresAt, salt: "");
            var saltLength = 16 + ((3 - ((json.Length + 16) % 3)) % 3);
            json = Json(subject, kind, issuedAt, expiresAt, RandomNumberGenerator.GetString(SaltAlphabet, saltLength));
            payload = Convert.ToBase64String(Encoding.ASCII.GetBytes(json));
        }
        while (!payload.All(char.IsAsciiLetterOrDigit)); // by construction this holds on the first pass

        var signed = Header + "." + payload;
        var signature = Base64Url(HMACSHA256.HashData(signingKey, Encoding.ASCII.GetBytes(signed)));
        return signed + "." + signature;
    }

    /// <summary>
    /// Checks a token's shape and signature without looking it up: three segments with this factory's header,
    /// then the HMAC. Lets a provider tell a malformed token from a forged one from a merely unknown one.
    /// </summary>
    public TokenShape Verify(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return TokenShape.Malformed;
        }

        var segments = token.Split('.');
        if (segments.Length != 3 || segments[0] != Header || segments[1].Length == 0 || !segments[1].All(char.IsAsciiLetterOrDigit))
        {
            return TokenShape.Malformed;
        }

        var expected = Encoding.ASCII.GetBytes(Base64Url(HMACSHA256.HashData(signingKey, Encoding.ASCII.GetBytes(segments[0] + "." + segments[1]))));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(segments[2])) ? TokenShape.Signed : TokenShape.BadSignature;
    }

    private static string Json(string subject, string kind, DateTimeOffset issuedAt, DateTimeOffset expiresAt, string salt) =>
        $$"""{"sub":"{{subject}}","typ":"{{kind}}","iat":{{issuedAt.ToUnixTimeSeconds()}},"exp":{{expiresAt.ToUnixTimeSeconds()}},"jti":"{{salt}}"}""";

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

internal enum TokenShape
{
    Malformed,
    BadSignature,
    Signed,
}
