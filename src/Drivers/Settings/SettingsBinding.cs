using System.Text.Json;

namespace OpenList.DriverHost.Drivers.Settings;

/// <summary>
/// How every driver factory turns a storage's <c>addition</c> into its options: bind once, and either report every
/// error (Validate) or refuse to create the driver with all of them in one message (Create), never the first alone.
/// </summary>
internal static class SettingsBinding
{
    /// <summary>The errors <paramref name="bind"/> finds in <paramref name="addition"/>; empty when it is valid.</summary>
    public static List<DriverSettingError> Validate<T>(JsonElement addition, Func<JsonElement, List<DriverSettingError>, T?> bind)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(bind);
        var errors = new List<DriverSettingError>();
        bind(addition, errors);
        return errors;
    }

    /// <summary>The options bound from <paramref name="addition"/>; an <see cref="ArgumentException"/> naming every error otherwise.</summary>
    public static T BindOrThrow<T>(JsonElement addition, Func<JsonElement, List<DriverSettingError>, T?> bind)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(bind);
        var errors = new List<DriverSettingError>();
        var options = bind(addition, errors);
        return options is not null && errors.Count == 0 ? options : throw Invalid(errors, nameof(addition));
    }

    /// <summary>The exception a factory throws for an invalid <c>addition</c>: every error, key first, in one message.</summary>
    /// <param name="paramName">The factory method's parameter that held the addition.</param>
    public static ArgumentException Invalid(IEnumerable<DriverSettingError> errors, string paramName) =>
        new(string.Join("; ", errors.Select(e => $"{e.Key}: {e.Message}")), paramName);
}
