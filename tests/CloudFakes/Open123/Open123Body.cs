using System.Globalization;
using System.Text.Json;

namespace OpenList.DriverHost.CloudFakes.Open123;

/// <summary>
/// A JSON object request body. Documented rule: POST/PUT bodies are <c>application/json</c>. Ids accept a number
/// or a numeric string (spec §3.5: the driver sends mkdir's parentID as a string); every other field must have
/// its documented JSON type. Problems are code 1.
/// </summary>
internal sealed class Open123Body
{
    private const int MaxBodyBytes = 1 << 20;
    private readonly JsonElement root;

    private Open123Body(JsonElement root) => this.root = root;

    public static async Task<Open123Body> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentType is not { } contentType || !contentType.Contains("application/json", StringComparison.OrdinalIgnoreCase))
        {
            throw Open123Errors.Invalid("Content-Type must be application/json");
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                throw Open123Errors.Invalid("request body too large");
            }

            buffer.Write(chunk, 0, read);
        }

        try
        {
            using var document = JsonDocument.Parse(buffer.ToArray());
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? new Open123Body(document.RootElement.Clone())
                : throw Open123Errors.Invalid("request body must be a JSON object");
        }
        catch (JsonException)
        {
            throw Open123Errors.Invalid("request body is not valid JSON");
        }
    }

    /// <summary>The first of <paramref name="names"/> present: a non-negative integer given as a number or a numeric string.</summary>
    public long? OptionalId(params string[] names)
    {
        foreach (var name in names)
        {
            if (Value(name) is { } value)
            {
                return ParseId(name, value);
            }
        }

        return null;
    }

    public long RequiredId(params string[] names) => OptionalId(names) ?? throw Open123Errors.Invalid($"{names[0]} is required");

    public IReadOnlyList<long> RequiredIdArray(string name)
    {
        if (Value(name) is not { ValueKind: JsonValueKind.Array } array)
        {
            throw Open123Errors.Invalid($"{name} must be an array");
        }

        return array.EnumerateArray().Select(e => ParseId(name, e)).ToList();
    }

    public string? OptionalString(string name) =>
        Value(name) switch
        {
            null => null,
            { ValueKind: JsonValueKind.String } v => v.GetString(),
            _ => throw Open123Errors.Invalid($"{name} must be a string"),
        };

    public string RequiredString(string name) =>
        OptionalString(name) is { Length: > 0 } value ? value : throw Open123Errors.Invalid($"{name} is required");

    public long? OptionalInt64(string name) =>
        Value(name) switch
        {
            null => null,
            { ValueKind: JsonValueKind.Number } v when v.TryGetInt64(out var n) => n,
            _ => throw Open123Errors.Invalid($"{name} must be an integer number"),
        };

    public long RequiredInt64(string name) => OptionalInt64(name) ?? throw Open123Errors.Invalid($"{name} is required");

    public bool? OptionalBool(string name) =>
        Value(name) switch
        {
            null => null,
            { ValueKind: JsonValueKind.True } => true,
            { ValueKind: JsonValueKind.False } => false,
            _ => throw Open123Errors.Invalid($"{name} must be a boolean"),
        };

    private static long ParseId(string name, JsonElement value) =>
        value switch
        {
            { ValueKind: JsonValueKind.Number } when value.TryGetInt64(out var n) && n >= 0 => n,
            { ValueKind: JsonValueKind.String } when long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) => n,
            _ => throw Open123Errors.Invalid($"{name} must be a file id"),
        };

    private JsonElement? Value(string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;
}
