using System.Net.Http.Headers;
using System.Text;

namespace OpenList.DriverHost.Drivers.Http;

/// <summary>
/// Request and answer helpers every cloud API client needs the same way, whatever its wire format: endpoint URLs,
/// JSON bodies, the Retry-After a throttled answer carries, and provider messages made fit for an exception.
/// </summary>
internal static class CloudReplies
{
    /// <summary>The longest provider message an exception quotes: enough to explain, too short to flood a log.</summary>
    private const int MaxMessageLength = 300;

    /// <summary><paramref name="path"/> under <paramref name="baseUrl"/> (whose trailing slash is optional) with an optional raw query.</summary>
    public static Uri Endpoint(Uri baseUrl, string path, string? query = null) =>
        new(baseUrl.AbsoluteUri.TrimEnd('/') + path + (string.IsNullOrEmpty(query) ? "" : "?" + query));

    /// <summary><paramref name="path"/> under <paramref name="baseUrl"/> with <paramref name="query"/>, every name and value escaped.</summary>
    public static Uri Endpoint(Uri baseUrl, string path, IReadOnlyList<KeyValuePair<string, string>> query)
    {
        var builder = new StringBuilder(baseUrl.AbsoluteUri.TrimEnd('/')).Append(path);
        for (var i = 0; i < query.Count; i++)
        {
            builder.Append(i == 0 ? '?' : '&').Append(Uri.EscapeDataString(query[i].Key)).Append('=').Append(Uri.EscapeDataString(query[i].Value));
        }

        return new Uri(builder.ToString());
    }

    /// <summary>A body of JSON bytes serialised once, so a retry sends the same bytes again.</summary>
    public static ByteArrayContent JsonContent(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    /// <summary>How long a throttled answer asks to wait (delta or date form, never negative); null when it does not say.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider time)
    {
        if (response.Headers.RetryAfter is not { } header)
        {
            return null;
        }

        if (header.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    /// <summary>
    /// A provider message fit for an exception: one short line without control characters, and never the
    /// <paramref name="secret"/> that was sent (providers echo tokens back in their messages).
    /// </summary>
    public static string Clean(string? message, string? secret)
    {
        if (string.IsNullOrEmpty(message))
        {
            return string.Empty;
        }

        var text = new string(message.Where(c => !char.IsControl(c)).ToArray()).Trim();
        if (!string.IsNullOrEmpty(secret))
        {
            text = text.Replace(secret, "***", StringComparison.Ordinal);
        }

        return text.Length > MaxMessageLength ? text[..MaxMessageLength] : text;
    }
}
