using System.Text.Json;
using OpenList.DriverHost.Drivers;

namespace OpenList.DriverHost.DriverHost.Tests.ConfigTests;

/// <summary>A driver factory that only validates: required settings must be non-empty strings.</summary>
internal sealed class FakeDriverFactory : IDriverFactory
{
    private readonly Func<JsonElement, IEnumerable<DriverSettingError>>? _extra;

    public FakeDriverFactory(string name, IReadOnlyList<DriverSetting> settings, Func<JsonElement, IEnumerable<DriverSettingError>>? extra = null)
    {
        Name = name;
        Settings = settings;
        _extra = extra;
    }

    public string Name { get; }

    public IReadOnlyList<DriverSetting> Settings { get; }

    public List<DriverContext> Contexts { get; } = [];

    public IReadOnlyList<DriverSettingError> Validate(JsonElement addition, DriverContext context)
    {
        Contexts.Add(context);
        var errors = new List<DriverSettingError>();
        foreach (var setting in Settings.Where(s => s.Required))
        {
            if (!addition.TryGetProperty(setting.Key, out var value) || value.ValueKind != JsonValueKind.String || value.GetString()!.Length == 0)
            {
                errors.Add(new DriverSettingError(setting.Key, $"{setting.Key} is required"));
            }
        }

        if (_extra is not null)
        {
            errors.AddRange(_extra(addition));
        }

        return errors;
    }

    public IStorageDriver Create(JsonElement addition, DriverContext context) => throw new NotSupportedException();

    /// <summary>Local (root_folder_path required) and "Fake Cloud" (root_folder_id required, refresh_token sensitive and
    /// echoed back in its error message, as a careless driver might).</summary>
    public static Dictionary<string, IDriverFactory> Registry() => new(StringComparer.Ordinal)
    {
        ["Local"] = new FakeDriverFactory("Local", [new DriverSetting("root_folder_path", "a folder on this machine", Required: true)]),
        ["Fake Cloud"] = new FakeDriverFactory(
            "Fake Cloud",
            [
                new DriverSetting("root_folder_id", "id of the folder to mount", Required: true, Default: "0"),
                new DriverSetting("refresh_token", "from the provider's authorization page", Sensitive: true),
            ],
            addition => addition.TryGetProperty("refresh_token", out var token) && token.GetString() is { Length: > 0 } text && !text.StartsWith("rt-", StringComparison.Ordinal)
                ? [new DriverSettingError("refresh_token", $"refresh token {text} is malformed")]
                : []),
    };
}
