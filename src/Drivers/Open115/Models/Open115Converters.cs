using System.Text.Json;
using System.Text.Json.Serialization;
using OpenList.DriverHost.Drivers.Json;

namespace OpenList.DriverHost.Drivers.Open115.Models;

/// <summary>
/// An id or text that 115 may send as a string or as a number (ids are strings per §1.5; a number is read as its
/// digits). Unlike the shared <see cref="FlexibleStringConverter"/>, a boolean reads as "1" or "0", as this driver
/// always has, since 115's category and flag fields are digit strings.
/// </summary>
internal sealed class Open115StringConverter : JsonConverter<string?>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.True => "1",
        JsonTokenType.False => "0",
        _ => FlexibleStringConverter.ReadText(ref reader),
    };

    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
