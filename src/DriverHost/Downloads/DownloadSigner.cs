using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace OpenList.DriverHost.Downloads;

/// <summary>
/// OpenList's download signature (openlist-compat.md §3.2), so links made for OpenList's <c>/d</c> and <c>/p</c> and its
/// download proxies work here: <c>base64url(HMAC-SHA256(key, path + ":" + exp)) + ":" + exp</c>, padded, with
/// <c>exp</c> in Unix seconds and 0 meaning it never expires. <c>path</c> is the full unescaped virtual path.
/// </summary>
public sealed class DownloadSigner
{
    private readonly byte[] _key;
    private readonly TimeProvider _time;

    public DownloadSigner(string key, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        _key = Encoding.UTF8.GetBytes(key);
        _time = time;
    }

    /// <summary>A signature for <paramref name="path"/>; <paramref name="lifetime"/> null never expires.</summary>
    public string Sign(string path, TimeSpan? lifetime = null)
    {
        var exp = lifetime is { } l ? _time.GetUtcNow().Add(l).ToUnixTimeSeconds() : 0;
        return Signature(path, exp) + ":" + exp.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Why <paramref name="sign"/> does not authorise <paramref name="path"/>, or null when it does.</summary>
    public string? Check(string path, string? sign)
    {
        if (string.IsNullOrEmpty(sign))
        {
            return "missing sign";
        }

        sign = sign.TrimEnd('/'); // as OpenList: some players append a slash
        var colon = sign.LastIndexOf(':');
        if (colon < 0 || !long.TryParse(sign.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var exp))
        {
            return "malformed sign";
        }

        if (exp != 0 && exp < _time.GetUtcNow().ToUnixTimeSeconds())
        {
            return "expired sign";
        }

        var expected = Encoding.ASCII.GetBytes(Signature(path, exp));
        var given = Encoding.ASCII.GetBytes(sign[..colon]);
        return CryptographicOperations.FixedTimeEquals(expected, given) ? null : "sign mismatch";
    }

    private string Signature(string path, long exp)
    {
        var mac = HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(path + ":" + exp.ToString(CultureInfo.InvariantCulture)));
        // Go's base64.URLEncoding: URL-safe alphabet, with padding.
        return Convert.ToBase64String(mac).Replace('+', '-').Replace('/', '_');
    }

    /// <summary>A random key for <c>server.sign_key</c> when the config leaves it empty (kept in the state store).</summary>
    public static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).Replace('+', '-').Replace('/', '_');
}
