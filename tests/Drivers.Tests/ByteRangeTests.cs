namespace OpenList.DriverHost.Drivers.Tests;

/// <summary>
/// <see cref="ByteRange"/>: "A byte range with an inclusive end, already normalised against the file's length by the
/// host: 0 &lt;= From &lt;= To &lt; length. bytes=-500 on a 1000-byte file arrives as 500..999."
/// </summary>
public sealed class ByteRangeTests
{
    [Theory]
    [InlineData(0, 0, 1)]
    [InlineData(0, 99, 100)]
    [InlineData(500, 999, 500)]
    [InlineData(999, 999, 1)]
    [InlineData(0, long.MaxValue - 1, long.MaxValue)]
    public void Length_CountsTheInclusiveEnd(long from, long to, long length)
    {
        var range = new ByteRange(from, to);
        Assert.Equal(from, range.From);
        Assert.Equal(to, range.To);
        Assert.Equal(length, range.Length);
    }

    [Theory]
    [InlineData(0, 1000, 0, 999)]
    [InlineData(300, 1000, 300, 999)]
    [InlineData(999, 1000, 999, 999)]
    [InlineData(500, 1000, 500, 999)] // bytes=-500 on a 1000-byte file
    public void FromOffset_RunsToTheEndOfTheFile(long from, long total, long expectedFrom, long expectedTo)
    {
        var range = ByteRange.FromOffset(from, total);
        Assert.Equal(new ByteRange(expectedFrom, expectedTo), range);
        Assert.Equal(total - from, range.Length);
    }

    [Theory]
    [InlineData(-1, 10)]
    [InlineData(10, 9)]
    [InlineData(-5, -1)]
    public void Constructor_RefusesRangesThatAreNotNormalised(long from, long to) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ByteRange(from, to));

    [Fact]
    public void FromOffset_PastTheEnd_IsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ByteRange.FromOffset(1000, 1000));

    [Theory]
    [InlineData(0, 99, "0-99")]
    [InlineData(5, 5, "5-5")]
    public void ToString_IsTheHeaderForm(long from, long to, string expected) =>
        Assert.Equal(expected, new ByteRange(from, to).ToString());

    [Fact]
    public void Equality_IsByValue()
    {
        Assert.Equal(new ByteRange(1, 2), new ByteRange(1, 2));
        Assert.NotEqual(new ByteRange(1, 2), new ByteRange(1, 3));
    }
}
