using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace OpenList.DriverHost.Config;

/// <summary>
/// Reads the known keys of one JSON object, reporting wrong types as errors (and falling back to the default so
/// reading continues) and, at the end, every key it was not asked about as a warning.
/// </summary>
internal sealed partial class JsonObjectReader
{
    private readonly JsonElement _element;
    private readonly string _path;
    private readonly IssueCollector _issues;
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    public JsonObjectReader(JsonElement element, string path, IssueCollector issues)
    {
        _element = element;
        _path = path;
        _issues = issues;
    }

    public string PathOf(string key) => JsonPath.Property(_path, key);

    /// <summary>The raw value; missing and <c>null</c> both give null.</summary>
    public JsonElement? Raw(string key)
    {
        _known.Add(key);
        return _element.TryGetProperty(key, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;
    }

    public string String(string key, string defaultValue) => StringOrNull(key) ?? defaultValue;

    public string? StringOrNull(string key)
    {
        if (Raw(key) is not { } value)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString();
        }

        TypeError(key, "a string", value);
        return null;
    }

    public bool Bool(string key, bool defaultValue)
    {
        if (Raw(key) is not { } value)
        {
            return defaultValue;
        }

        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }

        TypeError(key, "true or false", value);
        return defaultValue;
    }

    public int Int(string key, int defaultValue)
    {
        if (Raw(key) is not { } value)
        {
            return defaultValue;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number))
        {
            return number;
        }

        TypeError(key, "a whole number", value);
        return defaultValue;
    }

    public long Long(string key, long defaultValue)
    {
        if (Raw(key) is not { } value)
        {
            return defaultValue;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number))
        {
            return number;
        }

        TypeError(key, "a whole number", value);
        return defaultValue;
    }

    public DateTimeOffset? Time(string key)
    {
        if (StringOrNull(key) is not { } text || text.Length == 0)
        {
            return null;
        }

        // Go writes RFC 3339 with up to 9 fractional digits; .NET parses at most 7.
        var trimmed = NanoFraction().Replace(text, m => m.Value[..8]);
        if (DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return time;
        }

        _issues.Warning(PathOf(key), "not a date and time; ignored", "use RFC 3339, such as 2024-01-31T12:00:00Z, or remove the key");
        return null;
    }

    [GeneratedRegex(@"\.\d{8,9}(?=\D|$)", RegexOptions.CultureInvariant)]
    private static partial Regex NanoFraction();

    /// <summary>The array's items, or null (with an error) when the value is not an array.</summary>
    public IReadOnlyList<JsonElement>? Array(string key)
    {
        if (Raw(key) is not { } value)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Array)
        {
            return value.EnumerateArray().ToList();
        }

        TypeError(key, "an array", value);
        return null;
    }

    public void TypeError(string key, string expected, JsonElement actual) =>
        _issues.Error(PathOf(key), $"expected {expected}, got {JsonPath.Describe(actual.ValueKind)}", $"write {key} as {expected}");

    /// <summary>Warns about every key that no getter asked for, and about keys given twice.</summary>
    public void WarnAboutUnknownKeys()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in _element.EnumerateObject())
        {
            if (!seen.Add(property.Name))
            {
                _issues.Warning(PathOf(property.Name), "key appears more than once; the last value is used", "remove the duplicate");
                continue;
            }

            if (_known.Contains(property.Name))
            {
                continue;
            }

            var near = _known.FirstOrDefault(k => string.Equals(k, property.Name, StringComparison.OrdinalIgnoreCase));
            _issues.Warning(
                PathOf(property.Name),
                "unknown key, ignored",
                near is null ? $"known keys here: {string.Join(", ", _known.Order(StringComparer.Ordinal))}" : $"keys are case-sensitive: did you mean \"{near}\"?");
        }
    }
}

/// <summary>JSON path text for messages: <c>storages[2].addition.root_folder_id</c>.</summary>
internal static class JsonPath
{
    public static string Property(string parent, string key)
    {
        var simple = key.Length > 0 && key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
        if (simple)
        {
            return parent.Length == 0 ? key : $"{parent}.{key}";
        }

        return $"{parent}[{JsonSerializer.Serialize(key)}]";
    }

    public static string Index(string parent, int index) => $"{parent}[{index.ToString(CultureInfo.InvariantCulture)}]";

    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}
