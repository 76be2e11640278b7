using System.Text.Json;
using Microsoft.Extensions.Logging;
using OpenList.DriverHost.Drivers;

namespace OpenList.DriverHost.Config;

/// <summary>
/// Checks a storage's <c>driver</c> and <c>addition</c> against the registered driver factories. Problems of
/// disabled storages are warnings (the default file ships disabled cloud records with blank settings and drivers
/// that may not be built in), problems of enabled ones are errors. Values of sensitive settings are scrubbed from
/// every message a driver returns.
/// </summary>
internal sealed class AdditionValidator
{
    private const int MinimumScrubbedLength = 4;

    private readonly IReadOnlyDictionary<string, IDriverFactory> _drivers;
    private readonly string _configDirectory;
    private readonly ILoggerFactory _loggerFactory;
    private readonly TimeProvider _timeProvider;
    private readonly IssueCollector _issues;

    public AdditionValidator(
        IReadOnlyDictionary<string, IDriverFactory> drivers,
        string configDirectory,
        ILoggerFactory loggerFactory,
        TimeProvider timeProvider,
        IssueCollector issues)
    {
        _drivers = drivers;
        _configDirectory = configDirectory;
        _loggerFactory = loggerFactory;
        _timeProvider = timeProvider;
        _issues = issues;
    }

    public string KnownDriverList => _drivers.Count == 0
        ? "(no drivers are registered)"
        : string.Join(", ", _drivers.Keys.Order(StringComparer.Ordinal).Select(k => $"\"{k}\""));

    /// <summary>The <c>webdav_policy</c> the driver declares for records without one; null for an unknown driver.</summary>
    public string? DefaultPolicyOf(string driver) => _drivers.TryGetValue(driver, out var factory) ? factory.DefaultWebDavPolicy : null;

    public void Validate(string driver, JsonElement addition, string mountPath, bool disabled, string driverPath, string additionPath)
    {
        var suffix = disabled ? " (storage is disabled; fix this before enabling it)" : "";
        if (!_drivers.TryGetValue(driver, out var factory))
        {
            var near = _drivers.Keys.FirstOrDefault(k => string.Equals(k, driver, StringComparison.OrdinalIgnoreCase));
            var fix = near is null ? $"known drivers: {KnownDriverList}" : $"driver names are case-sensitive: did you mean \"{near}\"?";
            var message = disabled
                ? $"driver \"{driver}\" is not available in this build; the storage is disabled, so it is skipped"
                : $"unknown driver \"{driver}\"";
            _issues.Report(disabled, driverPath, message, fix);
            return;
        }

        IReadOnlyList<DriverSettingError> errors;
        try
        {
            errors = factory.Validate(addition, new DriverContext(mountPath, _configDirectory, _loggerFactory, _timeProvider));
        }
        catch (Exception ex)
        {
            _issues.Report(disabled, additionPath, $"driver \"{driver}\" failed while checking its settings ({ex.GetType().Name}){suffix}", "this is a bug in the driver; please report it");
            return;
        }

        var settings = factory.Settings.ToDictionary(s => s.Key, StringComparer.Ordinal);
        var secrets = SensitiveValues(addition, settings);
        foreach (var error in errors)
        {
            var path = error.Key.Length == 0 ? additionPath : JsonPath.Property(additionPath, error.Key);
            var help = settings.TryGetValue(error.Key, out var setting) && setting.Help.Length > 0
                ? $"{error.Key}: {setting.Help}"
                : $"see the {driver} driver's settings";
            _issues.Report(disabled, path, Scrub(error.Message, secrets) + suffix, help);
        }

        foreach (var property in addition.EnumerateObject())
        {
            if (!settings.ContainsKey(property.Name))
            {
                var known = settings.Count == 0 ? "(none)" : string.Join(", ", settings.Keys.Order(StringComparer.Ordinal));
                _issues.Warning(JsonPath.Property(additionPath, property.Name), $"unknown setting for driver \"{driver}\", ignored", $"known settings: {known}");
            }
        }
    }

    private static List<string> SensitiveValues(JsonElement addition, Dictionary<string, DriverSetting> settings)
    {
        var values = new List<string>();
        foreach (var property in addition.EnumerateObject())
        {
            if (settings.TryGetValue(property.Name, out var setting) && setting.Sensitive)
            {
                var text = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
                if (text.Length >= MinimumScrubbedLength)
                {
                    values.Add(text);
                }
            }
        }

        return values;
    }

    private static string Scrub(string message, List<string> secrets)
    {
        foreach (var secret in secrets)
        {
            message = message.Replace(secret, "***", StringComparison.Ordinal);
        }

        return message;
    }
}
