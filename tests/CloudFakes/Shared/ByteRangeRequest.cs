using System.Globalization;

namespace OpenList.DriverHost.CloudFakes.Shared;

/// <summary>The outcome of reading a <c>Range</c> header against a representation of known length.</summary>
internal readonly record struct ByteRangeRequest(ByteRangeKind Kind, long Start, long Length)
{
    public long End => Start + Length - 1;

    /// <summary>
    /// RFC 9110 §14.2: a server MAY ignore a Range header, so anything other than one well-formed
    /// "bytes=" range (multiple ranges, other units, bad syntax) gets the whole representation.
    /// §14.1.2: a first-pos at or past the length, or a zero suffix, is unsatisfiable (416).
    /// </summary>
    public static ByteRangeRequest Parse(string? header, long length)
    {
        var whole = new ByteRangeRequest(ByteRangeKind.Whole, 0, length);
        if (string.IsNullOrWhiteSpace(header) || !header.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase))
        {
            return whole;
        }

        var spec = header["bytes=".Length..].Trim();
        var dash = spec.IndexOf('-', StringComparison.Ordinal);
        if (spec.Contains(',', StringComparison.Ordinal) || dash < 0)
        {
            return whole;
        }

        var first = spec[..dash].Trim();
        var last = spec[(dash + 1)..].Trim();
        var unsatisfiable = new ByteRangeRequest(ByteRangeKind.Unsatisfiable, 0, 0);
        if (first.Length == 0)
        {
            // Suffix range: the last N bytes.
            if (!TryParse(last, out var suffix))
            {
                return whole;
            }

            return suffix == 0 || length == 0
                ? unsatisfiable
                : new ByteRangeRequest(ByteRangeKind.Partial, Math.Max(0, length - suffix), Math.Min(suffix, length));
        }

        if (!TryParse(first, out var start))
        {
            return whole;
        }

        long end;
        if (last.Length == 0)
        {
            end = length - 1;
        }
        else if (!TryParse(last, out end) || end < start)
        {
            return whole;
        }

        if (start >= length)
        {
            return unsatisfiable;
        }

        end = Math.Min(end, length - 1);
        return new ByteRangeRequest(ByteRangeKind.Partial, start, end - start + 1);
    }

    private static bool TryParse(string text, out long value) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}

internal enum ByteRangeKind
{
    Whole,
    Partial,
    Unsatisfiable,
}
