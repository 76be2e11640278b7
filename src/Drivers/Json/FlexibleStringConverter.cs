using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenList.DriverHost.Drivers.Json;

/// <summary>
/// Text that a provider may send as a string or as a number (ids, names made of digits, etags): a number reads as its
/// digits exactly as sent. Anything else (booleans, objects, arrays) reads as null rather than failing the answer.
/// </summary>
internal sealed class FlexibleStringConverter : JsonConverter<string?>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadText(ref reader);

    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options) => writer.WriteStringValue(value);

    /// <summary>The reading itself, for a provider's converter that reads a few more token kinds first.</summary>
    internal static string? ReadText(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return reader.GetString();
            case JsonTokenType.Number:
                // The raw digits, not a parsed value: a long id must not lose precision or gain an exponent.
                return System.Text.Encoding.UTF8.GetString(reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan.ToArray());
            case JsonTokenType.StartObject or JsonTokenType.StartArray:
                reader.Skip();
                return null;
            default:
                return null;
        }
    }
}
