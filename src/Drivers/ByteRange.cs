namespace OpenList.DriverHost.Drivers;

/// <summary>
/// A byte range with an inclusive end, already normalised against the file's length by the host:
/// <c>0 &lt;= From &lt;= To &lt; length</c>. <c>bytes=-500</c> on a 1000-byte file arrives as <c>500..999</c>.
/// </summary>
public readonly record struct ByteRange
{
    public ByteRange(long from, long to)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(from);
        ArgumentOutOfRangeException.ThrowIfLessThan(to, from);
        From = from;
        To = to;
    }

    public long From { get; }

    /// <summary>Inclusive.</summary>
    public long To { get; }

    public long Length => To - From + 1;

    /// <summary>From <paramref name="from"/> to the end of a file of <paramref name="totalLength"/> bytes.</summary>
    public static ByteRange FromOffset(long from, long totalLength) => new(from, totalLength - 1);

    public override string ToString() => $"{From}-{To}";
}
