using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using OpenList.DriverHost.Config;
using OpenList.DriverHost.Drivers;
using OpenList.DriverHost.Drivers.Capabilities;
using OpenList.DriverHost.Drivers.Errors;
using OpenList.DriverHost.Hosting;
using OpenList.DriverHost.State;

namespace OpenList.DriverHost.Cli;

/// <summary>The exit codes of <c>driverhost check</c>.</summary>
public static class CheckExitCodes
{
    /// <summary>Every enabled mount came up, listed its root and gave a link (or a byte).</summary>
    public const int Ok = 0;

    /// <summary>At least one mount failed.</summary>
    public const int Failed = 1;

    /// <summary>drivers.json or the state store cannot be used (as <c>serve</c> reports it).</summary>
    public const int ConfigError = 2;
}

/// <summary>What <c>driverhost check</c> uses from its surroundings; tests replace parts of it.</summary>
public sealed record CheckEnvironment
{
    public IReadOnlyDictionary<string, IDriverFactory> Drivers { get; init; } = DriverRegistry.Default;

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Connection pool for the provider calls; null gives the check its own.</summary>
    public HttpMessageHandler? HttpHandler { get; init; }
}

/// <summary>One row of the <c>check</c> table.</summary>
/// <param name="MountPath">The storage's mount path.</param>
/// <param name="Driver">Its driver name.</param>
/// <param name="AuthMode"><c>own keys</c>, <c>relay</c>, <c>pasted</c> or <c>n.a.</c>.</param>
/// <param name="Status"><c>ok</c>, <c>error</c> or <c>disabled</c>.</param>
/// <param name="Latency">Time for initialisation, root listing and link; null for a disabled storage.</param>
/// <param name="Detail">What was checked, or why it failed and what to do (never a secret).</param>
public sealed record CheckRow(string MountPath, string Driver, string AuthMode, string Status, TimeSpan? Latency, string Detail);

/// <summary>
/// <c>driverhost check [--config PATH] [--state CONNSTRING] [--timeout SECONDS]</c>: validates drivers.json as
/// <c>serve</c> does, then for every enabled storage initialises its driver the way the server does (tokens are
/// renewed and saved in the state store if needed), lists its root and fetches one link (first file of the root;
/// drivers without links read one byte). Prints a table; exit code from <see cref="CheckExitCodes"/>.
/// </summary>
public static class CheckCommand
{
    public const int DefaultTimeoutSeconds = 30;

    public static Command Create(CliConsole console, string? currentDirectory = null, CheckEnvironment? environment = null)
    {
        var config = new Option<string>("--config")
        {
            Description = "Path of drivers.json",
            HelpName = "PATH",
            DefaultValueFactory = _ => ConfigLoader.DefaultFileName,
        };
        var state = new Option<string?>("--state")
        {
            Description = "Overrides server.state: sqlite:<path> (relative to the current folder)",
            HelpName = "CONNSTRING",
        };
        var timeout = new Option<int>("--timeout")
        {
            Description = "Seconds each mount may take (initialisation, root listing and link together)",
            HelpName = "SECONDS",
            DefaultValueFactory = _ => DefaultTimeoutSeconds,
        };
        timeout.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 3600)
            {
                result.AddError("--timeout must be between 1 and 3600 seconds.");
            }
        });

        var command = new Command("check", "Check drivers.json and every enabled mount: start its driver (renewing tokens), list its root, fetch one link.")
        {
            config, state, timeout,
        };
        command.SetAction((result, ct) =>
        {
            var directory = currentDirectory ?? Environment.CurrentDirectory;
            var path = Path.GetFullPath(result.GetValue(config) ?? ConfigLoader.DefaultFileName, directory);
            return RunAsync(path, result.GetValue(state), TimeSpan.FromSeconds(result.GetValue(timeout)), console, environment ?? new CheckEnvironment(), directory, ct);
        });
        return command;
    }

    /// <summary>Runs the check; returns one of <see cref="CheckExitCodes"/>.</summary>
    public static async Task<int> RunAsync(
        string configPath,
        string? stateOverrideText,
        TimeSpan timeout,
        CliConsole console,
        CheckEnvironment environment,
        string currentDirectory,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(environment);
        var error = console.Error;

        var loaded = new ConfigLoader(environment.Drivers, NullLoggerFactory.Instance, environment.Time).Load(configPath);
        foreach (var warning in loaded.Warnings)
        {
            error.WriteLine("warning: " + warning.Format(loaded.SourceName));
        }

        var overrides = ConfigOverrides.Validate(new ServeArguments(configPath, State: stateOverrideText), currentDirectory, out _, out var stateOverride);
        if (loaded.Config is not { } config || overrides.Count > 0)
        {
            if (loaded.Config is null)
            {
                error.WriteLine(loaded.FormatErrors());
            }

            if (overrides.Count > 0)
            {
                error.WriteLine(ConfigIssue.FormatAll("command line", overrides));
            }

            return CheckExitCodes.ConfigError;
        }

        var stateText = stateOverride ?? config.Server.State;
        IStateStore store;
        try
        {
            store = StateStoreFactory.Open(stateText, config.ConfigDirectory);
        }
        catch (Exception e) when (e is StateStoreException or ArgumentException or NotSupportedException)
        {
            error.WriteLine($"error: the state store cannot be used: {e.Message}");
            return CheckExitCodes.ConfigError;
        }

        var ownHandler = environment.HttpHandler is null ? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) } : null;
        try
        {
            await using (store.ConfigureAwait(false))
            {
                var loader = new MountLoader(environment.Drivers, NullLoggerFactory.Instance, environment.Time, store, environment.HttpHandler ?? ownHandler!);
                var rows = await Task.WhenAll(config.Storages.Select(record => record.Disabled
                    ? Task.FromResult(new CheckRow(record.MountPath, record.Driver, AuthModeOf(environment.Drivers, record), "disabled", null, "skipped (\"disabled\": true)"))
                    : CheckOneAsync(loader, config, record, environment.Drivers[record.Driver], timeout, cancellationToken))).ConfigureAwait(false);

                console.Out.Write(FormatTable(rows));
                console.Out.WriteLine(RelaySummary(config.Relay));
                var failed = rows.Count(r => r.Status == "error");
                var enabled = rows.Count(r => r.Status != "disabled");
                console.Out.WriteLine(failed == 0
                    ? $"{enabled} mount(s) ok (state store: {StateLocation.Redact(stateText)})."
                    : $"{failed} of {enabled} mount(s) failed; see the last column for what to do.");
                console.Out.Flush();
                return failed == 0 ? CheckExitCodes.Ok : CheckExitCodes.Failed;
            }
        }
        finally
        {
            ownHandler?.Dispose();
        }
    }

    /// <summary>
    /// One line on the relay. Its secrets were resolved while loading (an unset variable or unreadable file is a
    /// config error above); the providers are not called, since renewing needs somebody's refresh token.
    /// </summary>
    internal static string RelaySummary(Relay.RelaySettings relay) =>
        !relay.Enabled ? "relay: off"
        : relay.Providers.Count == 0 ? "relay: enabled but serves no provider (off)"
        : $"relay: serving {string.Join(", ", relay.Providers.Select(p => p.Prefix))} at {(relay.PublicUrl.Length > 0 ? relay.PublicUrl : "<this host>")}/relay/<prefix>/renewapi (client keys resolved; providers not called)";

    /// <summary>Starts, lists and links one mount within <paramref name="timeout"/>; never throws for driver errors.</summary>
    internal static async Task<CheckRow> CheckOneAsync(MountLoader loader, DriverHostConfig config, StorageRecord record, IDriverFactory factory, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var auth = AuthModeOf(factory, record.Addition);
        var secrets = SensitiveValues(factory, record.Addition);
        var watch = Stopwatch.StartNew();
        var step = "start";
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var ct = deadline.Token;
        IStorageDriver? driver = null;
        try
        {
            driver = loader.CreateDriver(record, config);
            await driver.InitializeAsync(ct).ConfigureAwait(false);

            step = "list /";
            var count = 0;
            StorageEntry? file = null;
            await foreach (var entry in driver.ListAsync(StoragePath.Root, ct).ConfigureAwait(false))
            {
                count++;
                if (file is null && !entry.IsDirectory)
                {
                    file = entry;
                }
            }

            var detail = $"root lists {count.ToString(CultureInfo.InvariantCulture)} entr{(count == 1 ? "y" : "ies")}";
            if (file is null)
            {
                detail += "; no file in the root to fetch a link for";
            }
            else if (driver is ILinkProvider links)
            {
                step = "link " + file.Path.Value;
                await links.GetLinkAsync(file.Path, new LinkRequest(null), ct).ConfigureAwait(false);
                detail += $"; link for {file.Path.Value} ok";
            }
            else
            {
                step = "read " + file.Path.Value;
                var range = file.Size > 0 ? new ByteRange(0, 0) : (ByteRange?)null;
                var read = await driver.OpenReadAsync(file.Path, range, ct).ConfigureAwait(false);
                await using (read.ConfigureAwait(false))
                {
                    var buffer = new byte[1];
                    _ = await read.Content.ReadAsync(buffer, ct).ConfigureAwait(false);
                }

                detail += $"; read 1 byte of {file.Path.Value}";
            }

            return new CheckRow(record.MountPath, record.Driver, auth, "ok", watch.Elapsed, detail);
        }
        catch (StorageException e)
        {
            return new CheckRow(record.MountPath, record.Driver, auth, "error", watch.Elapsed, $"{step}: {Scrub(e.Message, secrets)}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new CheckRow(record.MountPath, record.Driver, auth, "error", watch.Elapsed,
                $"{step}: no answer within {timeout.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s; check the network and the provider's status, or raise --timeout");
        }
        catch (Exception e) when (e is HttpRequestException or IOException or JsonException or InvalidOperationException or UnauthorizedAccessException)
        {
            return new CheckRow(record.MountPath, record.Driver, auth, "error", watch.Elapsed, $"{step}: {e.GetType().Name}: {Scrub(e.Message, secrets)}");
        }
        finally
        {
            if (driver is not null)
            {
                await driver.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// How the storage's tokens are obtained: <c>n.a.</c> for drivers without secrets, <c>relay</c> with the online
    /// API, <c>own keys</c> with a client id, otherwise <c>pasted</c> (tokens put into drivers.json).
    /// </summary>
    public static string AuthModeOf(IReadOnlyDictionary<string, IDriverFactory> drivers, StorageRecord record) =>
        drivers.TryGetValue(record.Driver, out var factory) ? AuthModeOf(factory, record.Addition) : "n.a.";

    public static string AuthModeOf(IDriverFactory factory, JsonElement addition)
    {
        ArgumentNullException.ThrowIfNull(factory);
        if (!factory.Settings.Any(s => s.Sensitive))
        {
            return "n.a.";
        }

        var settings = factory.Settings.ToDictionary(s => s.Key, StringComparer.Ordinal);
        if (settings.TryGetValue("use_online_api", out var onlineSetting))
        {
            var online = Text(addition, "use_online_api") ?? onlineSetting.Default ?? "false";
            var relay = Text(addition, "api_url_address") ?? (settings.TryGetValue("api_url_address", out var url) ? url.Default : null) ?? "";
            if (string.Equals(online, "true", StringComparison.OrdinalIgnoreCase) && relay.Length > 0)
            {
                return "relay";
            }
        }

        foreach (var setting in factory.Settings)
        {
            if (setting.Key.Replace("_", "", StringComparison.Ordinal).Equals("clientid", StringComparison.OrdinalIgnoreCase)
                && Text(addition, setting.Key) is { Length: > 0 })
            {
                return "own keys";
            }
        }

        return "pasted";
    }

    /// <summary>The table: one line per storage, columns padded, the detail last so it may be long.</summary>
    public static string FormatTable(IReadOnlyList<CheckRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        string[] header = ["MOUNT", "DRIVER", "AUTH", "STATUS", "LATENCY", "DETAIL / WHAT TO DO"];
        var cells = rows.Select(r => new[]
        {
            r.MountPath,
            r.Driver,
            r.AuthMode,
            r.Status,
            r.Latency is { } latency ? $"{latency.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms" : "-",
            r.Detail,
        }).Prepend(header).ToList();
        var widths = Enumerable.Range(0, header.Length - 1).Select(i => cells.Max(c => c[i].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var line in cells)
        {
            for (var i = 0; i < widths.Length; i++)
            {
                text.Append(line[i].PadRight(widths[i])).Append("  ");
            }

            text.Append(line[^1]).Append('\n');
        }

        return text.ToString();
    }

    private static string? Text(JsonElement addition, string key)
    {
        if (addition.ValueKind != JsonValueKind.Object || !addition.TryGetProperty(key, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Null => null,
            _ => value.GetRawText(),
        };
    }

    private static List<string> SensitiveValues(IDriverFactory factory, JsonElement addition) =>
        factory.Settings.Where(s => s.Sensitive).Select(s => Text(addition, s.Key)).OfType<string>().Where(v => v.Length >= 4).ToList();

    private static string Scrub(string message, List<string> secrets)
    {
        foreach (var secret in secrets)
        {
            message = message.Replace(secret, "***", StringComparison.Ordinal);
        }

        return message;
    }
}
