using System.Text;
using System.Text.Json;
using OpenList.DriverHost.Drivers.DiskTop.Models;
using OpenList.DriverHost.Drivers.Json;
using OpenList.DriverHost.Drivers.Open115.Models;

namespace OpenList.DriverHost.Drivers.Tests.Json;

/// <summary>
/// The lenient converters the drivers' wire types share, and the two provider variants left in the driver folders:
/// every token kind a provider has been seen to send, and that a skipped object or array leaves the reader on the next value.
/// </summary>
public sealed class FlexibleConvertersTests
{
    [Theory]
    [InlineData("42", 42L)]
    [InlineData("-7", -7L)]
    [InlineData("9007199254740993", 9007199254740993L)] // beyond 2^53: must not pass through a double
    [InlineData("12.9", 12L)]
    [InlineData("\"42\"", 42L)]
    [InlineData("\"9223372036854775807\"", long.MaxValue)]
    [InlineData("\"3.5\"", 3L)]
    [InlineData("\"1e3\"", 1000L)]
    public void Int64_ReadsNumbersFloatsAndNumericStrings(string json, long expected) =>
        Assert.Equal(expected, ReadFirst(new FlexibleInt64Converter(), json));

    [Theory]
    [InlineData("null")]
    [InlineData("true")]
    [InlineData("false")]
    [InlineData("\"\"")]
    [InlineData("\"abc\"")]
    [InlineData("\"NaN\"")]
    [InlineData("{\"size\":1}")]
    [InlineData("[1,2]")]
    public void Int64_ReadsAnythingElseAsNull(string json) => Assert.Null(ReadFirst(new FlexibleInt64Converter(), json));

    [Fact]
    public void Int64_WritesANumberOrNull()
    {
        Assert.Equal("5", Write(new FlexibleInt64Converter(), 5L));
        Assert.Equal("null", Write(new FlexibleInt64Converter(), null));
    }

    [Theory]
    [InlineData("\"abc\"", "abc")]
    [InlineData("\"\"", "")]
    [InlineData("123", "123")]
    [InlineData("12345678901234567890", "12345678901234567890")] // digits as sent, even beyond long
    [InlineData("1.50", "1.50")]
    public void String_ReadsStringsAndNumbersAsSent(string json, string expected) =>
        Assert.Equal(expected, ReadFirst(new FlexibleStringConverter(), json));

    [Theory]
    [InlineData("null")]
    [InlineData("true")]
    [InlineData("false")]
    [InlineData("{\"a\":\"b\"}")]
    [InlineData("[\"a\"]")]
    public void String_ReadsAnythingElseAsNull(string json) => Assert.Null(ReadFirst(new FlexibleStringConverter(), json));

    [Theory]
    [InlineData("true", "1")]
    [InlineData("false", "0")]
    [InlineData("\"0\"", "0")]
    [InlineData("17", "17")]
    public void Open115String_AlsoReadsBooleansAsDigits(string json, string expected) =>
        Assert.Equal(expected, ReadFirst(new Open115StringConverter(), json));

    [Theory]
    [InlineData("null")]
    [InlineData("{\"a\":1}")]
    [InlineData("[]")]
    public void Open115String_ReadsNullObjectsAndArraysAsNull(string json) => Assert.Null(ReadFirst(new Open115StringConverter(), json));

    [Theory]
    [InlineData("true", true)]
    [InlineData("1", true)]
    [InlineData("2", true)]
    [InlineData("\"1\"", true)]
    [InlineData("\"true\"", true)]
    [InlineData("\"True\"", true)]
    [InlineData("false", false)]
    [InlineData("0", false)]
    [InlineData("1.5", false)]
    [InlineData("\"0\"", false)]
    [InlineData("\"yes\"", false)]
    [InlineData("null", false)]
    [InlineData("{\"a\":true}", false)]
    public void DiskTopBool_ReadsFlagsAsBooleansNumbersOrStrings(string json, bool expected) =>
        Assert.Equal(expected, ReadFirst(new FlexibleBoolConverter(), json));

    /// <summary>
    /// Reads the first element of <c>[json, "next"]</c> and checks the reader then stands on the element's last token,
    /// so the serializer can go on to <c>"next"</c>: a converter that skipped too little or too much fails here.
    /// </summary>
    private static T? ReadFirst<T>(System.Text.Json.Serialization.JsonConverter<T> converter, string json)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes("[" + json + ",\"next\"]"));
        Assert.True(reader.Read()); // [
        Assert.True(reader.Read()); // the value
        var value = converter.Read(ref reader, typeof(T), JsonSerializerOptions.Default);
        Assert.True(reader.Read());
        Assert.Equal("next", reader.GetString());
        return value;
    }

    private static string Write<T>(System.Text.Json.Serialization.JsonConverter<T> converter, T value)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            converter.Write(writer, value, JsonSerializerOptions.Default);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
