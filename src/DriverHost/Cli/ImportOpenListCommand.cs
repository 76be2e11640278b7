using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenList.DriverHost.Config;
using OpenList.DriverHost.Drivers;
using OpenList.DriverHost.Hosting;

namespace OpenList.DriverHost.Cli;

/// <summary>The exit codes of <c>driverhost import-openlist</c>.</summary>
public static class ImportExitCodes
{
    /// <summary>The storages were written.</summary>
    public const int Ok = 0;

    /// <summary>The result would not load (the errors are printed); nothing was written.</summary>
    public const int Invalid = 1;

    /// <summary>The input is unreadable or not an OpenList export, or the output cannot be written (exists without --merge).</summary>
    public const int FileError = 2;
}

/// <summary>What one imported or skipped OpenList storage turned into.</summary>
/// <param name="MountPath">The mount path (normalised when it was valid).</param>
/// <param name="Driver">OpenList's driver name.</param>
/// <param name="Record">The drivers.json record; null when the storage was skipped.</param>
/// <param name="Skipped">Why it was skipped; null when imported.</param>
/// <param name="DroppedRecordKeys">Record keys drivers.json does not have.</param>
/// <param name="DroppedAdditionKeys">Addition keys our driver does not know.</param>
public sealed record ImportedStorage(
    string MountPath,
    string Driver,
    JsonObject? Record,
    string? Skipped,
    IReadOnlyList<string> DroppedRecordKeys,
    IReadOnlyList<string> DroppedAdditionKeys);

/// <summary>
/// <c>driverhost import-openlist &lt;file&gt; [--output drivers.json] [--merge]</c>: turns an OpenList storage list
/// (the answer of <c>/api/admin/storage/list</c>, or a backup file with a <c>storages</c> array) into drivers.json
/// storage records for the drivers this build has. Reports skipped storages and every dropped key by name; secrets
/// are copied into the output file (that is the point) but never printed. The result is loaded with
/// <see cref="ConfigLoader"/> before anything is written.
/// </summary>
public static class ImportOpenListCommand
{
    /// <summary>Record keys copied as they are, in the order they are written (addition comes last).</summary>
    private static readonly string[] RecordKeys =
    [
        "id", "mount_path", "driver", "disabled", "order", "remark", "cache_expiration", "custom_cache_policies",
        "webdav_policy", "down_proxy_url", "order_by", "order_direction", "extract_folder", "web_proxy", "proxy_range",
        "enable_sign", "disable_proxy_sign", "disable_index", "modified",
    ];

    /// <summary>OpenList's runtime state, not a setting: left out without a report.</summary>
    private static readonly string[] RuntimeKeys = ["status"];

    private static readonly JsonSerializerOptions WriteOptions = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static Command Create(CliConsole console, string? currentDirectory = null, IReadOnlyDictionary<string, IDriverFactory>? drivers = null)
    {
        var file = new Argument<string>("file") { Description = "OpenList's /api/admin/storage/list answer, or an OpenList backup file (with a \"storages\" array)" };
        var output = new Option<string>("--output")
        {
            Description = "drivers.json to write",
            HelpName = "PATH",
            DefaultValueFactory = _ => ConfigLoader.DefaultFileName,
        };
        var merge = new Option<bool>("--merge") { Description = "Add the storages to an existing file, replacing those with the same mount_path (its comments are lost)" };
        var command = new Command("import-openlist", "Convert OpenList storages (storage list JSON or backup file) into drivers.json records.")
        {
            file, output, merge,
        };
        command.SetAction(result =>
        {
            var directory = currentDirectory ?? Environment.CurrentDirectory;
            return Run(
                Path.GetFullPath(result.GetValue(file) ?? "", directory),
                Path.GetFullPath(result.GetValue(output) ?? ConfigLoader.DefaultFileName, directory),
                result.GetValue(merge),
                console,
                drivers ?? DriverRegistry.Default);
        });
        return command;
    }

    /// <summary>Runs one import; returns one of <see cref="ImportExitCodes"/>.</summary>
    public static int Run(string inputPath, string outputPath, bool merge, CliConsole console, IReadOnlyDictionary<string, IDriverFactory> drivers)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(drivers);
        var error = console.Error;

        string text;
        try
        {
            text = File.ReadAllText(inputPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"error: cannot read {inputPath}: {(e is FileNotFoundException or DirectoryNotFoundException ? "file not found" : e.Message)}");
            return ImportExitCodes.FileError;
        }

        if (!TryReadStorages(text, out var items, out var problem))
        {
            error.WriteLine($"error: {inputPath}: {problem}");
            return ImportExitCodes.FileError;
        }

        var imported = items.Select((item, i) => Convert(item, i, drivers)).ToList();
        var records = imported.Where(s => s.Record is not null).ToList();

        var exists = File.Exists(outputPath);
        if (exists && !merge)
        {
            error.WriteLine($"error: {outputPath} already exists; nothing was written. Pass --merge to add the storages to it (replacing those with the same mount_path), or choose another --output");
            return ImportExitCodes.FileError;
        }

        JsonObject root;
        if (exists)
        {
            try
            {
                root = JsonNode.Parse(File.ReadAllText(outputPath), documentOptions: ConfigLoader.DocumentOptions) as JsonObject
                    ?? throw new JsonException("not an object");
            }
            catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"error: {outputPath} cannot be merged into: it is not a readable JSON object ({(e is JsonException ? "fix it, or write to another --output" : e.Message)})");
                return ImportExitCodes.FileError;
            }
        }
        else
        {
            root = new JsonObject
            {
                ["server"] = new JsonObject { ["listen"] = "http://127.0.0.1:5244", ["dav_prefix"] = "/dav", ["state"] = "sqlite:state.db" },
                ["users"] = new JsonArray(),
                ["storages"] = new JsonArray(),
            };
        }

        if (root["storages"] is not JsonArray storages)
        {
            if (root.ContainsKey("storages"))
            {
                error.WriteLine($"error: {outputPath}: \"storages\" is not an array; fix it, or write to another --output");
                return ImportExitCodes.FileError;
            }

            storages = [];
            root["storages"] = storages;
        }

        var replaced = 0;
        foreach (var storage in records)
        {
            var existing = storages.Select((node, index) => (node, index)).FirstOrDefault(x =>
                x.node is JsonObject o && o["mount_path"] is JsonValue v && v.TryGetValue<string>(out var path)
                && ConfigPaths.TryNormalizeMountPath(path, out var normalized, out _) && normalized == storage.MountPath);
            if (existing.node is not null)
            {
                storages[existing.index] = storage.Record;
                replaced++;
            }
            else
            {
                storages.Add(storage.Record);
            }
        }

        var json = root.ToJsonString(WriteOptions) + Environment.NewLine;
        var outputDirectory = Path.GetDirectoryName(outputPath)!;
        var loaded = new ConfigLoader(drivers).LoadFromString(json, outputDirectory, Path.GetFileName(outputPath));
        PrintReport(console.Out, imported);
        if (loaded.Config is null)
        {
            error.WriteLine($"error: the result would not load, so {outputPath} was not written:");
            error.WriteLine(loaded.FormatErrors());
            return ImportExitCodes.Invalid;
        }

        foreach (var warning in loaded.Warnings)
        {
            error.WriteLine("warning: " + warning.Format(loaded.SourceName));
        }

        try
        {
            Directory.CreateDirectory(outputDirectory);
            var options = new FileStreamOptions { Mode = exists ? FileMode.Truncate : FileMode.CreateNew, Access = FileAccess.Write };
            if (!exists && !OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite; // it holds tokens
            }

            using var writer = new StreamWriter(outputPath, new System.Text.UTF8Encoding(false), options);
            writer.Write(json);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"error: cannot write {outputPath}: {e.Message}");
            return ImportExitCodes.FileError;
        }

        var added = records.Count - replaced;
        console.Out.WriteLine(
            $"Wrote {outputPath}: {added} storage(s) added{(merge ? $", {replaced} replaced" : "")}, {imported.Count - records.Count} skipped. "
            + "It holds the storages' tokens and keys: keep it private.");
        if (records.Count > 0)
        {
            console.Out.WriteLine($"Next: driverhost check --config {outputPath}");
        }

        console.Out.Flush();
        return ImportExitCodes.Ok;
    }

    /// <summary>The storage objects of an export: <c>data.content</c> (storage list), <c>storages</c> (backup) or a bare array.</summary>
    internal static bool TryReadStorages(string text, out List<JsonObject> storages, out string? problem)
    {
        storages = [];
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(text, documentOptions: ConfigLoader.DocumentOptions);
        }
        catch (JsonException e)
        {
            // The position only: the text holds tokens.
            problem = $"not valid JSON (line {(e.LineNumber ?? 0) + 1})";
            return false;
        }

        JsonArray? array = root switch
        {
            JsonArray bare => bare,
            JsonObject o when o["storages"] is JsonArray backup => backup,
            JsonObject o when o["data"] is JsonObject data && data["content"] is JsonArray content => content,
            _ => null,
        };
        if (array is null)
        {
            problem = root is JsonObject answer && answer["code"] is JsonValue code && answer["data"] is not JsonObject
                ? $"the storage list answer has no data (code {code.ToJsonString()}{(answer["message"] is JsonValue m ? ": " + m.ToJsonString() : "")}); export it again as an admin"
                : "not an OpenList storage list: expected the JSON of /api/admin/storage/list ({\"data\":{\"content\":[…]}}) or a backup file with a \"storages\" array";
            return false;
        }

        foreach (var item in array)
        {
            if (item is JsonObject storage)
            {
                storages.Add(storage);
            }
        }

        problem = null;
        return true;
    }

    /// <summary>One OpenList storage as a drivers.json record, or why it is skipped.</summary>
    internal static ImportedStorage Convert(JsonObject item, int index, IReadOnlyDictionary<string, IDriverFactory> drivers)
    {
        var driver = item["driver"] is JsonValue d && d.TryGetValue<string>(out var name) ? name : "";
        var rawMount = item["mount_path"] is JsonValue mp && mp.TryGetValue<string>(out var mountText) ? mountText : null;
        if (!ConfigPaths.TryNormalizeMountPath(rawMount, out var mountPath, out var mountError))
        {
            return new ImportedStorage(rawMount ?? $"(storage #{index + 1})", driver, null, $"its mount_path is not usable ({mountError})", [], []);
        }

        if (!drivers.TryGetValue(driver, out var factory))
        {
            var available = string.Join(", ", drivers.Keys.Order(StringComparer.Ordinal).Select(k => $"\"{k}\""));
            return new ImportedStorage(mountPath, driver, null, $"driver \"{driver}\" is not available in driverhost (drivers: {available})", [], []);
        }

        var record = new JsonObject();
        foreach (var key in RecordKeys)
        {
            if (key == "mount_path")
            {
                record[key] = mountPath;
            }
            else if (item[key] is { } value)
            {
                record[key] = value.DeepClone();
            }
        }

        var droppedRecord = item.Select(p => p.Key)
            .Where(k => !RecordKeys.Contains(k, StringComparer.Ordinal) && !RuntimeKeys.Contains(k, StringComparer.Ordinal) && k != "addition")
            .ToList();

        JsonObject addition;
        switch (item["addition"])
        {
            case null:
                addition = [];
                break;
            case JsonObject o:
                addition = (JsonObject)o.DeepClone();
                break;
            case JsonValue v when v.TryGetValue<string>(out var additionText):
                try
                {
                    addition = string.IsNullOrWhiteSpace(additionText)
                        ? []
                        : JsonNode.Parse(additionText, documentOptions: ConfigLoader.DocumentOptions) as JsonObject
                          ?? throw new JsonException("not an object");
                }
                catch (JsonException)
                {
                    return new ImportedStorage(mountPath, driver, null, "its addition is not a JSON object", [], []);
                }

                break;
            default:
                return new ImportedStorage(mountPath, driver, null, "its addition is neither a JSON string nor an object", [], []);
        }

        var known = factory.Settings.Select(s => s.Key).ToHashSet(StringComparer.Ordinal);
        var droppedAddition = addition.Select(p => p.Key).Where(k => !known.Contains(k)).ToList();
        foreach (var key in droppedAddition)
        {
            addition.Remove(key);
        }

        record["addition"] = addition;
        return new ImportedStorage(mountPath, driver, record, null, droppedRecord, droppedAddition);
    }

    /// <summary>One line per storage, then what was dropped: key names only, never values.</summary>
    private static void PrintReport(TextWriter output, List<ImportedStorage> storages)
    {
        foreach (var storage in storages)
        {
            if (storage.Skipped is not null)
            {
                output.WriteLine($"skipped   {storage.MountPath}: {storage.Skipped}");
                continue;
            }

            output.WriteLine($"imported  {storage.MountPath} ({storage.Driver})");
            if (storage.DroppedAdditionKeys.Count > 0)
            {
                output.WriteLine($"          dropped addition settings the driver does not have: {string.Join(", ", storage.DroppedAdditionKeys)}");
            }

            if (storage.DroppedRecordKeys.Count > 0)
            {
                output.WriteLine($"          dropped storage keys drivers.json does not have: {string.Join(", ", storage.DroppedRecordKeys)}");
            }
        }

        if (storages.Count == 0)
        {
            output.WriteLine("the export holds no storages");
        }
    }
}
