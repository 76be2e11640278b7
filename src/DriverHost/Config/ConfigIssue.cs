namespace OpenList.DriverHost.Config;

/// <summary>How bad a configuration problem is.</summary>
public enum ConfigSeverity
{
    /// <summary>The file is used; the problem is reported.</summary>
    Warning,

    /// <summary>The file cannot be used.</summary>
    Error,
}

/// <summary>
/// One problem found in drivers.json. <see cref="Path"/> is a JSON path such as
/// <c>storages[2].addition.root_folder_id</c> (empty for problems with the whole file). Messages never contain
/// secrets: no password hashes, no sensitive driver settings, no sign key.
/// </summary>
public sealed record ConfigIssue(ConfigSeverity Severity, string Path, string Message, string? Fix = null)
{
    /// <summary><c>path: message; fix: hint</c>.</summary>
    public override string ToString()
    {
        var text = Path.Length == 0 ? Message : $"{Path}: {Message}";
        return Fix is null ? text : $"{text}; fix: {Fix}";
    }

    /// <summary><c>drivers.json: path: message; fix: hint</c>.</summary>
    public string Format(string sourceName) => $"{sourceName}: {this}";

    /// <summary>All issues, one per line, each prefixed with <paramref name="sourceName"/>.</summary>
    public static string FormatAll(string sourceName, IEnumerable<ConfigIssue> issues) =>
        string.Join(Environment.NewLine, issues.Select(i => i.Format(sourceName)));
}

/// <summary>The outcome of loading drivers.json: the configuration (with warnings) or every error found.</summary>
public sealed class ConfigLoadResult
{
    internal ConfigLoadResult(string sourceName, DriverHostConfig? config, IReadOnlyList<ConfigIssue> errors, IReadOnlyList<ConfigIssue> warnings)
    {
        SourceName = sourceName;
        Config = config;
        Errors = errors;
        Warnings = warnings;
    }

    /// <summary>The file name used in messages, such as <c>drivers.json</c>.</summary>
    public string SourceName { get; }

    /// <summary>The configuration; null when there are errors.</summary>
    public DriverHostConfig? Config { get; }

    public IReadOnlyList<ConfigIssue> Errors { get; }

    public IReadOnlyList<ConfigIssue> Warnings { get; }

    public bool Succeeded => Config is not null;

    /// <summary>The errors, one per line: <c>drivers.json: storages[1].mount_path: …; fix: …</c>.</summary>
    public string FormatErrors() => ConfigIssue.FormatAll(SourceName, Errors);

    /// <summary>The warnings, one per line, in the same form as <see cref="FormatErrors"/>.</summary>
    public string FormatWarnings() => ConfigIssue.FormatAll(SourceName, Warnings);

    /// <summary>The configuration, or a <see cref="ConfigException"/> listing every error.</summary>
    public DriverHostConfig GetConfigOrThrow() => Config ?? throw new ConfigException(SourceName, Errors);
}

/// <summary>drivers.json cannot be used; <see cref="Exception.Message"/> lists every error, one per line.</summary>
public sealed class ConfigException : Exception
{
    public ConfigException(string sourceName, IReadOnlyList<ConfigIssue> errors)
        : base(ConfigIssue.FormatAll(sourceName, errors))
    {
        SourceName = sourceName;
        Errors = errors;
    }

    public ConfigException()
        : this("drivers.json", [])
    {
    }

    public ConfigException(string message)
        : base(message)
    {
        SourceName = "drivers.json";
        Errors = [];
    }

    public ConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
        SourceName = "drivers.json";
        Errors = [];
    }

    public string SourceName { get; }

    public IReadOnlyList<ConfigIssue> Errors { get; }
}

/// <summary>Collects issues while reading; the loader reports them all at the end.</summary>
internal sealed class IssueCollector
{
    public List<ConfigIssue> Errors { get; } = [];

    public List<ConfigIssue> Warnings { get; } = [];

    public void Error(string path, string message, string? fix = null) =>
        Errors.Add(new ConfigIssue(ConfigSeverity.Error, path, message, fix));

    public void Warning(string path, string message, string? fix = null) =>
        Warnings.Add(new ConfigIssue(ConfigSeverity.Warning, path, message, fix));

    /// <summary>Reports as an error, or as a warning when <paramref name="asWarning"/>.</summary>
    public void Report(bool asWarning, string path, string message, string? fix = null)
    {
        if (asWarning)
        {
            Warning(path, message, fix);
        }
        else
        {
            Error(path, message, fix);
        }
    }
}
