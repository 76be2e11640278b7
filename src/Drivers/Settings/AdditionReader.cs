using System.Globalization;
using System.Text.Json;

namespace OpenList.DriverHost.Drivers.Settings;

/// <summary>
/// Reads typed values from a storage's <c>addition</c> and reports each problem once, naming its key. Shared by every
/// cloud driver's options; a driver derives from it for the value kinds only it has (selects, ids, integers).
/// </summary>
internal class AdditionReader(JsonElement addition, List<DriverSettingError> errors)
{
    protected JsonElement Addition => addition;

    protected List<DriverSettingError> Errors => errors;

    public string? String(string key, string? absent = null)
    {
        if (!addition.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return absent;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(new DriverSettingError(key, $"\"{key}\" must be a string, not {Describe(value.ValueKind)}"));
            return absent;
        }

        return value.GetString()!.Trim();
    }

    public bool Bool(string key, bool absent)
    {
        if (!addition.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return absent;
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            case JsonValueKind.String when bool.TryParse(value.GetString(), out var parsed):
                return parsed;
            default:
                errors.Add(new DriverSettingError(key, $"\"{key}\" must be true or false, not {Describe(value.ValueKind)}"));
                return absent;
        }
    }

    /// <summary>A number given as a JSON number or a numeric string; <paramref name="what"/> completes "must be …".</summary>
    public double Number(string key, double absent, string what)
    {
        if (!addition.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return absent;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number))
        {
            return number;
        }

        if (value.ValueKind == JsonValueKind.String
            && double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed)
            && double.IsFinite(parsed))
        {
            return parsed;
        }

        errors.Add(new DriverSettingError(key, $"\"{key}\" must be {what}"));
        return absent;
    }

    public Uri? AbsoluteUrl(string key, string absent)
    {
        var text = String(key, absent);
        if (string.IsNullOrEmpty(text))
        {
            text = absent;
        }

        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            return uri;
        }

        errors.Add(new DriverSettingError(key, $"\"{key}\" must be an absolute http(s) URL such as \"{absent}\""));
        return null;
    }

    protected static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.String => "a string",
        _ => "nothing",
    };
}
