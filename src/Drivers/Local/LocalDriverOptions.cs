using System.Text.Json;

namespace OpenList.DriverHost.Drivers.Local;

/// <summary>The <c>addition</c> settings of a <c>Local</c> storage, as OpenList spells them.</summary>
public sealed record LocalDriverOptions
{
    /// <summary>The JSON key of <see cref="RootFolderPath"/>.</summary>
    public const string RootFolderPathKey = "root_folder_path";

    /// <summary>The folder served as the storage root, as written in the configuration (absolute or relative).</summary>
    public required string RootFolderPath { get; init; }

    /// <summary>The absolute root folder: <see cref="RootFolderPath"/> resolved against the configuration's folder.</summary>
    public string ResolveRootFolder(string configDirectory) =>
        Path.TrimEndingDirectorySeparator(Path.GetFullPath(RootFolderPath, Path.GetFullPath(configDirectory)));

    /// <summary>Binds <paramref name="addition"/>; every shape problem is added to <paramref name="errors"/>.</summary>
    /// <returns>The options, or null when <paramref name="addition"/> is unusable.</returns>
    internal static LocalDriverOptions? Bind(JsonElement addition, List<DriverSettingError> errors)
    {
        if (addition.ValueKind != JsonValueKind.Object)
        {
            // An empty key points at the addition itself.
            errors.Add(new DriverSettingError(string.Empty, $"addition must be a JSON object with \"{RootFolderPathKey}\", not {Describe(addition.ValueKind)}"));
            return null;
        }

        if (!addition.TryGetProperty(RootFolderPathKey, out var root) || root.ValueKind is JsonValueKind.Null)
        {
            errors.Add(new DriverSettingError(RootFolderPathKey, $"\"{RootFolderPathKey}\" is required: the folder to serve, e.g. \"./data\""));
            return null;
        }

        if (root.ValueKind != JsonValueKind.String)
        {
            errors.Add(new DriverSettingError(RootFolderPathKey, $"\"{RootFolderPathKey}\" must be a string, not {Describe(root.ValueKind)}"));
            return null;
        }

        var value = root.GetString();
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(new DriverSettingError(RootFolderPathKey, $"\"{RootFolderPathKey}\" must not be empty: the folder to serve, e.g. \"./data\""));
            return null;
        }

        if (value.Contains('\0', StringComparison.Ordinal))
        {
            errors.Add(new DriverSettingError(RootFolderPathKey, $"\"{RootFolderPathKey}\" must not contain NUL characters"));
            return null;
        }

        return new LocalDriverOptions { RootFolderPath = value };
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        JsonValueKind.String => "a string",
        _ => "missing",
    };
}
