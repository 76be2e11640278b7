using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenList.DriverHost.Drivers.DiskTop.Models;

/// <summary>
/// A boolean Disk.Top may send as true/false, 0/1 or "true"/"1". Only Disk.Top sends flags this loosely, so this one
/// stays here; the number and text converters every driver shares are in <c>Drivers/Json</c>.
/// </summary>
internal sealed class FlexibleBoolConverter : JsonConverter<bool>
{
    public override bool Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.True:
                return true;
            case JsonTokenType.Number:
                return reader.TryGetInt64(out var n) && n != 0;
            case JsonTokenType.String:
                return reader.GetString() is "1" or "true" or "True";
            case JsonTokenType.StartObject or JsonTokenType.StartArray:
                reader.Skip();
                return false;
            default:
                return false;
        }
    }

    public override void Write(Utf8JsonWriter writer, bool value, JsonSerializerOptions options) => writer.WriteBooleanValue(value);
}
