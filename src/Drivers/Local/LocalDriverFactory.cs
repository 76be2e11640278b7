using System.Text.Json;
using OpenList.DriverHost.Drivers.Settings;

namespace OpenList.DriverHost.Drivers.Local;

/// <summary>Creates <see cref="LocalDriver"/> instances: a folder on this machine served as a storage.</summary>
public sealed class LocalDriverFactory : IDriverFactory
{
    /// <summary>The <c>driver</c> value, as OpenList spells it.</summary>
    public const string DriverName = "Local";

    private static readonly DriverSetting[] SettingList =
    [
        new(
            LocalDriverOptions.RootFolderPathKey,
            "Folder on this machine to serve; a relative path resolves against the folder of drivers.json; created on first start when missing.",
            Required: true),
    ];

    public string Name => DriverName;

    public IReadOnlyList<DriverSetting> Settings => SettingList;

    public IReadOnlyList<DriverSettingError> Validate(JsonElement addition, DriverContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var errors = new List<DriverSettingError>();
        var options = LocalDriverOptions.Bind(addition, errors);
        if (options is null)
        {
            return errors;
        }

        string root;
        try
        {
            root = options.ResolveRootFolder(context.ConfigDirectory);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            errors.Add(new DriverSettingError(LocalDriverOptions.RootFolderPathKey, $"\"{options.RootFolderPath}\" is not a usable path: {e.Message}"));
            return errors;
        }

        if (File.Exists(root) && !Directory.Exists(root))
        {
            errors.Add(new DriverSettingError(
                LocalDriverOptions.RootFolderPathKey,
                $"\"{options.RootFolderPath}\" is a file; point {LocalDriverOptions.RootFolderPathKey} at a folder (it is created when missing)"));
        }

        return errors;
    }

    public IStorageDriver Create(JsonElement addition, DriverContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var errors = new List<DriverSettingError>();
        var options = LocalDriverOptions.Bind(addition, errors)
            ?? throw SettingsBinding.Invalid(errors, nameof(addition));
        return new LocalDriver(options, context);
    }
}
