using System.Text.Json;

namespace OpenList.DriverHost.CloudFakes.Shared;

/// <summary>
/// A JSON object request body with lenient optional fields: a missing key, <c>null</c> and <c>""</c> all mean
/// "default" (OpenList's drivers send every key, empty or not). Wrong JSON types are rejected, as a typed
/// server would. Field errors are 400 <c>InvalidParameter.&lt;FieldName&gt;</c>.
/// </summary>
internal sealed class JsonRequest
{
    private const int MaxBodyBytes = 1 << 20;
    private readonly JsonElement root;

    private JsonRequest(JsonElement root) => this.root = root;

    public static JsonRequest Empty { get; } = new(default);

    public static async Task<JsonRequest> ReadAsync(HttpRequest request, bool allowEmpty, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                throw new FakeApiException(400, "InvalidParameter", "The request body is too large.");
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            return allowEmpty ? Empty : throw new FakeApiException(400, "InvalidParameter", "A JSON request body is required.");
        }

        if (request.ContentType is not { } contentType || !contentType.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            throw new FakeApiException(400, "InvalidParameter.ContentType", "The request body must be application/json.");
        }

        try
        {
            using var document = JsonDocument.Parse(buffer.ToArray());
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? new JsonRequest(document.RootElement.Clone())
                : throw new FakeApiException(400, "InvalidParameter", "The request body must be a JSON object.");
        }
        catch (JsonException)
        {
            throw new FakeApiException(400, "InvalidParameter", "The request body is not valid JSON.");
        }
    }

    public string? OptionalString(string name) =>
        Value(name) switch
        {
            null => null,
            { ValueKind: JsonValueKind.String } v => v.GetString() is { Length: > 0 } s ? s : null,
            _ => throw Invalid(name, "must be a string"),
        };

    public string RequiredString(string name) => OptionalString(name) ?? throw Invalid(name, "is required");

    public long? OptionalInt64(string name) =>
        Value(name) switch
        {
            null => null,
            { ValueKind: JsonValueKind.String } v when v.GetString() == "" => null,
            { ValueKind: JsonValueKind.Number } v when v.TryGetInt64(out var n) => n,
            _ => throw Invalid(name, "must be an integer"),
        };

    public bool? OptionalBool(string name) =>
        Value(name) switch
        {
            null => null,
            { ValueKind: JsonValueKind.String } v when v.GetString() == "" => null,
            { ValueKind: JsonValueKind.True } => true,
            { ValueKind: JsonValueKind.False } => false,
            _ => throw Invalid(name, "must be a boolean"),
        };

    /// <summary>The array's object elements, or null when the key is absent, null or "".</summary>
    public IReadOnlyList<JsonRequest>? OptionalObjectArray(string name)
    {
        switch (Value(name))
        {
            case null:
                return null;
            case { ValueKind: JsonValueKind.String } v when v.GetString() == "":
                return null;
            case { ValueKind: JsonValueKind.Array } array:
                return array.EnumerateArray()
                    .Select(e => e.ValueKind == JsonValueKind.Object ? new JsonRequest(e) : throw Invalid(name, "must hold objects"))
                    .ToList();
            default:
                throw Invalid(name, "must be an array");
        }
    }

    public static FakeApiException Invalid(string name, string problem) =>
        new(400, "InvalidParameter." + PascalCase(name), $"{name} {problem}.");

    private JsonElement? Value(string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : null;

    private static string PascalCase(string snake) =>
        string.Concat(snake.Split('_', StringSplitOptions.RemoveEmptyEntries).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
}
