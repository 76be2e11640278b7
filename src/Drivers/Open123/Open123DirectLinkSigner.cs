using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace OpenList.DriverHost.Drivers.Open123;

/// <summary>
/// 123's URL authentication for direct links (cloud-apis.md §5): the query parameter
/// <c>auth_key=&lt;exp&gt;-&lt;rand&gt;-&lt;uid&gt;-&lt;md5hex("&lt;path&gt;-&lt;exp&gt;-&lt;rand&gt;-&lt;uid&gt;-&lt;private key&gt;")&gt;</c>,
/// with <c>exp</c> a Unix time in seconds, <c>rand</c> a UUID without dashes, and <c>path</c> the URL's decoded path
/// (Go's <c>url.Path</c>, as OpenList signs). The private key never leaves this class.
/// </summary>
internal static class Open123DirectLinkSigner
{
    private const string Parameter = "auth_key";

    /// <summary><paramref name="url"/> with an <c>auth_key</c> valid until <paramref name="expiresAt"/> (whole seconds).</summary>
    public static Uri Sign(Uri url, string privateKey, ulong uid, DateTimeOffset expiresAt, string rand)
    {
        var exp = expiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var user = uid.ToString(CultureInfo.InvariantCulture);
        var path = Uri.UnescapeDataString(url.AbsolutePath);
#pragma warning disable CA5351 // MD5 is the provider's signature algorithm, not our choice
        var hash = Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes($"{path}-{exp}-{rand}-{user}-{privateKey}")));
#pragma warning restore CA5351
        var authKey = $"{exp}-{rand}-{user}-{hash}";
        var query = url.Query.TrimStart('?');
        var builder = new UriBuilder(url) { Query = (query.Length > 0 ? query + "&" : "") + Parameter + "=" + Uri.EscapeDataString(authKey) };
        return builder.Uri;
    }

    /// <summary>When a URL signed this way (a direct link, or a download URL 123 signed itself) stops working; null when it carries no readable <c>auth_key</c>.</summary>
    public static DateTimeOffset? ExpiryOf(Uri url)
    {
        foreach (var pair in url.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || !pair.AsSpan(0, equals).Equals(Parameter, StringComparison.Ordinal))
            {
                continue;
            }

            var value = Uri.UnescapeDataString(pair[(equals + 1)..]);
            var dash = value.IndexOf('-', StringComparison.Ordinal);
            if (dash > 0 && long.TryParse(value.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                && seconds is > 0 and < 253402300799)
            {
                return DateTimeOffset.FromUnixTimeSeconds(seconds);
            }
        }

        return null;
    }
}
