using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OpenList.DriverHost.Drivers;
using OpenList.DriverHost.Hosting;

namespace OpenList.DriverHost.Config;

/// <summary>
/// Loads drivers.json (comments and trailing commas allowed) into a <see cref="DriverHostConfig"/>, reporting every
/// problem at once with its JSON path and a fix hint. Unknown keys are warnings, never errors. Stateless apart from
/// its constructor arguments, so one instance can serve startup and every reload.
/// </summary>
public sealed partial class ConfigLoader
{
    public const string DefaultFileName = "drivers.json";

    internal static readonly JsonDocumentOptions DocumentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private readonly IReadOnlyDictionary<string, IDriverFactory> _drivers;
    private readonly ILoggerFactory _loggerFactory;
    private readonly TimeProvider _timeProvider;

    /// <param name="drivers">Driver factories keyed by driver name (ordinal), such as <c>"115 Open"</c>.</param>
    /// <param name="loggerFactory">Passed to drivers' <c>Validate</c> through <see cref="DriverContext"/>.</param>
    /// <param name="timeProvider">Passed to drivers' <c>Validate</c> through <see cref="DriverContext"/>.</param>
    public ConfigLoader(IReadOnlyDictionary<string, IDriverFactory> drivers, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        _drivers = drivers;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Loads the file at <paramref name="path"/>; relative paths inside it resolve against its folder.</summary>
    public ConfigLoadResult Load(string path)
    {
        var fullPath = Path.GetFullPath(path);
        var sourceName = Path.GetFileName(fullPath);
        string json;
        try
        {
            json = File.ReadAllText(fullPath);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return Failed(sourceName, $"file not found: {fullPath}", "create it (the repository's drivers.json is a good start) or pass --config PATH");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Failed(sourceName, $"cannot read {fullPath}: {ex.Message}", "check that the path is a readable file");
        }

        return LoadFromString(json, Path.GetDirectoryName(fullPath)!, sourceName);
    }

    /// <summary>Loads JSON text as if it were a file in <paramref name="configDirectory"/>.</summary>
    public ConfigLoadResult LoadFromString(string json, string configDirectory, string sourceName = DefaultFileName)
    {
        configDirectory = Path.GetFullPath(configDirectory);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException ex)
        {
            var line = (ex.LineNumber ?? 0) + 1;
            var column = (ex.BytePositionInLine ?? 0) + 1;
            return Failed(sourceName, $"not valid JSON at line {line}, column {column}: {DescribeSyntaxError(ex.Message)}", "fix the JSON syntax (comments and trailing commas are allowed)");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Failed(sourceName, $"the file holds {JsonPath.Describe(root.ValueKind)}, not an object", "write { \"server\": { … }, \"users\": [ … ], \"storages\": [ … ] }");
            }

            var issues = new IssueCollector();
            var reader = new JsonObjectReader(root, "", issues);
            var server = ServerSettingsReader.Read(reader.Raw("server"), configDirectory, issues);
            var users = UserRecordReader.Read(reader, issues);
            var additions = new AdditionValidator(_drivers, configDirectory, _loggerFactory, _timeProvider, issues);
            var storages = new StorageRecordReader(additions, issues).Read(reader);
            var relay = Relay.RelaySettingsReader.Read(reader.Raw("relay"), configDirectory, issues);
            reader.WarnAboutUnknownKeys();
            WarnAboutShadowedMounts(server, storages, issues);

            if (issues.Errors.Count > 0)
            {
                return new ConfigLoadResult(sourceName, null, issues.Errors, issues.Warnings);
            }

            var config = new DriverHostConfig
            {
                Server = server,
                Users = users,
                Storages = storages,
                Relay = relay,
                ConfigDirectory = configDirectory,
                Warnings = issues.Warnings.ToValueList(),
            };
            return new ConfigLoadResult(sourceName, config, [], issues.Warnings);
        }
    }

    /// <summary>
    /// What <c>serve</c> needs: loads <see cref="ServeArguments.ConfigPath"/>, applies <c>--listen</c>/<c>--state</c>
    /// (relative paths in them resolve against <paramref name="currentDirectory"/>) and runs <see cref="ExposureCheck"/>
    /// on the result. Errors of the file and of the overrides are reported together.
    /// </summary>
    public ConfigLoadResult LoadForServe(ServeArguments arguments, string currentDirectory)
    {
        var loaded = Load(Path.GetFullPath(arguments.ConfigPath, currentDirectory));
        var overrides = ConfigOverrides.Validate(arguments, currentDirectory, out var listen, out var state);
        var errors = loaded.Errors.Concat(overrides).ToList();
        if (loaded.Config is { } config && errors.Count == 0)
        {
            config = ConfigOverrides.Apply(config, listen, state);
            errors.AddRange(ExposureCheck.Validate(config, config.Server.Listen));
            if (errors.Count == 0)
            {
                return new ConfigLoadResult(loaded.SourceName, config, [], loaded.Warnings);
            }
        }

        return new ConfigLoadResult(loaded.SourceName, null, errors, loaded.Warnings);
    }

    /// <summary>
    /// With WebDAV served at the root, the host's own routes (<c>/d</c>, <c>/p</c>, <c>/healthz</c>, <c>/relay</c>…) answer
    /// before WebDAV, so a mount under one of those names could never be reached: say so instead of serving a 404.
    /// </summary>
    private static void WarnAboutShadowedMounts(ServerSettings server, ValueList<StorageRecord> storages, IssueCollector issues)
    {
        if (server.DavPrefix != "/")
        {
            return;
        }

        for (var i = 0; i < storages.Count; i++)
        {
            if (ServerSettingsReader.ReservedRouteOf(storages[i].MountPath) is { } reserved)
            {
                issues.Warning(
                    $"storages[{i}].mount_path",
                    $"mount \"{storages[i].MountPath}\" is hidden by the host's own {reserved} route while dav_prefix is \"/\"",
                    "rename the mount, or serve WebDAV under a prefix such as /dav");
            }
        }
    }

    private static ConfigLoadResult Failed(string sourceName, string message, string fix) =>
        new(sourceName, null, [new ConfigIssue(ConfigSeverity.Error, "", message, fix)], []);

    /// <summary>
    /// The parser's reason without its position suffix and without quoted file content: for a bad literal the parser
    /// quotes the whole rest of the file, which may hold tokens.
    /// </summary>
    private static string DescribeSyntaxError(string message)
    {
        var at = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        message = (at < 0 ? message : message[..at]).TrimEnd();
        const string literal = " is an invalid JSON literal";
        var literalAt = message.IndexOf(literal, StringComparison.Ordinal);
        if (literalAt >= 0)
        {
            message = "invalid literal" + message[(literalAt + literal.Length)..];
        }

        return QuotedText().Replace(message, m => m.Value is "'null'" or "'true'" or "'false'" ? m.Value : "'…'");
    }

    [GeneratedRegex("'[^']{2,}'", RegexOptions.CultureInvariant)]
    private static partial Regex QuotedText();
}
