using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenList.DriverHost.Drivers.Json;

/// <summary>
/// A whole number that a provider may send as an integer, a float (truncated) or a numeric string: ids, sizes and
/// seconds, which may exceed 2^31, so 64-bit. Anything else reads as null rather than failing the whole answer.
/// </summary>
internal sealed class FlexibleInt64Converter : JsonConverter<long?>
{
    public override long? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number when reader.TryGetInt64(out var whole):
                return whole;
            case JsonTokenType.Number when reader.TryGetDouble(out var real) && double.IsFinite(real):
                return (long)real;
            case JsonTokenType.String:
                var text = reader.GetString();
                if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed))
                {
                    return parsed;
                }

                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) ? (long)d : null;
            case JsonTokenType.StartObject or JsonTokenType.StartArray:
                reader.Skip();
                return null;
            default:
                return null;
        }
    }

    public override void Write(Utf8JsonWriter writer, long? value, JsonSerializerOptions options)
    {
        if (value is { } v)
        {
            writer.WriteNumberValue(v);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
