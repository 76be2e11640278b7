using System.Text;

namespace OpenList.DriverHost.Drivers.Relay;

/// <summary>Provider URLs for the relay upstreams: a base URL, a path and escaped query parameters.</summary>
internal static class RelayUris
{
    public static Uri WithQuery(Uri baseUrl, string path, IReadOnlyList<KeyValuePair<string, string>> query)
    {
        var builder = new StringBuilder(baseUrl.AbsoluteUri.TrimEnd('/')).Append(path);
        for (var i = 0; i < query.Count; i++)
        {
            builder.Append(i == 0 ? '?' : '&').Append(Uri.EscapeDataString(query[i].Key)).Append('=').Append(Uri.EscapeDataString(query[i].Value));
        }

        return new Uri(builder.ToString());
    }
}
