using System.Text;
using OpenList.DriverHost.WebDav.Store;

namespace OpenList.DriverHost.WebDav.Http;

/// <summary>
/// Request-target decoding and href encoding. Kestrel's decoded <c>Request.Path</c> keeps <c>%2F</c> but turns
/// <c>%25</c> into <c>%</c>, so it is ambiguous; we decode the raw target ourselves, one segment at a time.
/// </summary>
public static class PathCodec
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Decodes the path part of a raw request target (or of a Destination URL's path) into segments.
    /// Returns false with a reason for hostile input: encoded separators or NUL, invalid UTF-8, dot segments,
    /// control characters.
    /// </summary>
    public static bool TryDecodeSegments(string rawPath, out List<string> segments, out string? error)
    {
        segments = [];
        error = null;
        var q = rawPath.IndexOf('?', StringComparison.Ordinal);
        if (q >= 0)
        {
            rawPath = rawPath[..q];
        }

        foreach (var raw in rawPath.Split('/'))
        {
            if (raw.Length == 0)
            {
                continue;
            }

            if (!TryDecodeSegment(raw, out var segment, out error))
            {
                return false;
            }

            if (segment is "." or "..")
            {
                error = "dot segments are not allowed in paths";
                return false;
            }

            segments.Add(segment);
        }

        return true;
    }

    private static bool TryDecodeSegment(string raw, out string segment, out string? error)
    {
        segment = raw;
        error = null;
        if (!raw.Contains('%', StringComparison.Ordinal))
        {
            return CheckChars(raw, out error);
        }

        var bytes = new List<byte>(raw.Length);
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (c == '%')
            {
                if (i + 2 >= raw.Length || !Uri.IsHexDigit(raw[i + 1]) || !Uri.IsHexDigit(raw[i + 2]))
                {
                    error = "malformed percent-encoding in path";
                    return false;
                }

                bytes.Add((byte)((HexValue(raw[i + 1]) << 4) | HexValue(raw[i + 2])));
                i += 2;
            }
            else if (c > 0x7F)
            {
                // Already-decoded text (never from Kestrel's raw target, which refuses raw non-ASCII).
                bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
            }
            else
            {
                bytes.Add((byte)c);
            }
        }

        try
        {
            segment = StrictUtf8.GetString(bytes.ToArray());
        }
        catch (DecoderFallbackException)
        {
            error = "path is not valid UTF-8";
            return false;
        }

        return CheckChars(segment, out error);
    }

    private static bool CheckChars(string segment, out string? error)
    {
        foreach (var c in segment)
        {
            if (c is '/' or '\\')
            {
                error = "encoded path separators are not allowed";
                return false;
            }

            if (char.IsControl(c))
            {
                error = c == '\0' ? "NUL is not allowed in paths" : "control characters are not allowed in paths";
                return false;
            }
        }

        error = null;
        return true;
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    /// <summary>The href for a resource: prefix + each segment escaped, with a trailing slash on collections.</summary>
    public static string Href(string prefix, DavPath path, bool isCollection)
    {
        var sb = new StringBuilder(prefix.Length + path.Value.Length + 16);
        sb.Append(prefix);
        foreach (var segment in path.Segments)
        {
            sb.Append('/').Append(Uri.EscapeDataString(segment));
        }

        if (isCollection || path.IsRoot)
        {
            sb.Append('/');
        }

        return sb.ToString();
    }
}
