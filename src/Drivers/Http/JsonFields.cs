using System.Globalization;
using System.Text.Json;

namespace OpenList.DriverHost.Drivers.Http;

/// <summary>Lenient reading of loosely specified JSON answers (relays, OAuth endpoints): an object or nothing, typed fields or null.</summary>
internal static class JsonFields
{
    /// <summary>The body as a JSON object; null when it is not JSON or not an object.</summary>
    public static JsonElement? TryParseObject(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static string? String(JsonElement body, string name) =>
        body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>A whole number, also when sent as a string.</summary>
    public static long? Number(JsonElement body, string name) =>
        body.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.Number when v.TryGetInt64(out var n) => n,
            JsonValueKind.String when long.TryParse(v.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
            _ => null,
        } : null;
}
