using System.CommandLine;
using Microsoft.Extensions.Logging.Abstractions;
using OpenList.DriverHost.Config;
using OpenList.DriverHost.Drivers;
using OpenList.DriverHost.Drivers.Authorization;
using OpenList.DriverHost.Hosting;
using OpenList.DriverHost.State;

namespace OpenList.DriverHost.Cli;

/// <summary>What <c>driverhost auth</c> was given.</summary>
/// <param name="ConfigPath">Absolute path of drivers.json.</param>
/// <param name="Mount">The storage's mount path as typed (<c>/disktop</c> or <c>disktop</c>).</param>
/// <param name="Browser">Browser flow (authorization code + PKCE, loopback redirect) instead of the device flow.</param>
/// <param name="Port">Loopback port for the browser flow; 0 picks a free one.</param>
/// <param name="State">Overrides <c>server.state</c>, as <c>serve --state</c> does.</param>
public sealed record AuthArguments(string ConfigPath, string Mount, bool Browser = false, int Port = 0, string? State = null);

/// <summary>The exit codes of <c>driverhost auth</c>.</summary>
public static class AuthExitCodes
{
    /// <summary>Tokens obtained and saved.</summary>
    public const int Ok = 0;

    /// <summary>The provider refused or could not be reached; nothing was saved.</summary>
    public const int Failed = 1;

    /// <summary>drivers.json, the storage's settings or the state store cannot be used.</summary>
    public const int ConfigError = 2;

    /// <summary>No storage is mounted at that path.</summary>
    public const int UnknownMount = 3;

    /// <summary>The storage's driver has no interactive authorization (or not the flow asked for).</summary>
    public const int NotSupported = 4;

    /// <summary>The user denied the authorization.</summary>
    public const int Denied = 5;

    /// <summary>The code expired, or nobody approved in time.</summary>
    public const int Expired = 6;
}

/// <summary>What <c>driverhost auth</c> uses from its surroundings; tests replace parts of it.</summary>
public sealed record AuthEnvironment
{
    public IReadOnlyDictionary<string, IDriverFactory> Drivers { get; init; } = DriverRegistry.Default;

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Connection pool for the provider calls; null gives the flow its own.</summary>
    public HttpMessageHandler? HttpHandler { get; init; }

    /// <summary>Opens a URL in a browser, returning false when none is configured; null never tries.</summary>
    public Func<Uri, bool>? OpenBrowser { get; init; } = BrowserLauncher.TryOpen;

    /// <summary>How long the flow waits for the user; null uses the flow's own limit.</summary>
    public TimeSpan? Timeout { get; init; }
}

/// <summary>
/// <c>driverhost auth &lt;mount&gt; [--browser] [--port N] [--config PATH] [--state CONNSTRING]</c>: finds the storage
/// mounted at <c>&lt;mount&gt;</c> in drivers.json, checks that its driver supports interactive authorization
/// (<see cref="IInteractiveAuthorizer"/>), runs the device flow (or the browser flow) and saves the tokens for that
/// mount in the state store, where the driver's token source reads them. drivers.json is never written, and no
/// token is printed.
/// </summary>
public static class AuthCommand
{
    public static Command Create(CliConsole console, string? currentDirectory = null, AuthEnvironment? environment = null)
    {
        var mount = new Argument<string>("mount") { Description = "Mount path of the storage to authorize, such as /disktop" };
        var browser = new Option<bool>("--browser") { Description = "Authorize in a browser on this machine (authorization code + PKCE, loopback redirect) instead of the device flow" };
        var port = new Option<int>("--port")
        {
            Description = "Loopback port for --browser's redirect http://127.0.0.1:<port>/callback (0 picks a free one)",
            HelpName = "PORT",
            DefaultValueFactory = _ => 0,
        };
        port.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 0 or > 65535)
            {
                result.AddError("--port must be between 0 and 65535.");
            }
        });
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

        var command = new Command("auth", "Authorize a storage's cloud account interactively and save its tokens in the state store (Disk.Top).")
        {
            mount, browser, port, config, state,
        };
        command.SetAction((result, ct) =>
        {
            var directory = currentDirectory ?? Environment.CurrentDirectory;
            var arguments = new AuthArguments(
                Path.GetFullPath(result.GetValue(config) ?? ConfigLoader.DefaultFileName, directory),
                result.GetValue(mount) ?? "",
                result.GetValue(browser),
                result.GetValue(port),
                result.GetValue(state));
            return RunAsync(arguments, console, environment ?? new AuthEnvironment(), directory, ct);
        });
        return command;
    }

    /// <summary>Runs one authorization; returns one of <see cref="AuthExitCodes"/>.</summary>
    public static async Task<int> RunAsync(AuthArguments arguments, CliConsole console, AuthEnvironment environment, string currentDirectory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(environment);
        var error = console.Error;

        var loaded = new ConfigLoader(environment.Drivers).Load(arguments.ConfigPath);
        if (loaded.Config is not { } config)
        {
            error.WriteLine(loaded.FormatErrors());
            return AuthExitCodes.ConfigError;
        }

        if (!ConfigPaths.TryNormalizeMountPath(arguments.Mount, out var mountPath, out var mountError))
        {
            error.WriteLine($"error: \"{arguments.Mount}\" is not a mount path ({mountError}); give one such as /disktop");
            return AuthExitCodes.UnknownMount;
        }

        var index = config.Storages.ToList().FindIndex(s => s.MountPath == mountPath);
        if (index < 0)
        {
            var known = config.Storages.Count == 0 ? "none" : string.Join(", ", config.Storages.Select(s => s.MountPath));
            error.WriteLine($"error: no storage is mounted at {mountPath} in {arguments.ConfigPath} (mount paths there: {known})");
            return AuthExitCodes.UnknownMount;
        }

        var record = config.Storages[index];
        var supported = environment.Drivers.TryGetValue(record.Driver, out var factory) ? factory as IInteractiveAuthorizer : null;
        var interactive = environment.Drivers.Values.OfType<IInteractiveAuthorizer>().Select(a => $"\"{((IDriverFactory)a).Name}\"");
        if (supported is null)
        {
            error.WriteLine(
                $"error: {mountPath} uses the \"{record.Driver}\" driver, which has no interactive authorization; put its tokens into this storage's addition in drivers.json instead "
                + $"(drivers with `driverhost auth`: {string.Join(", ", interactive)})");
            return AuthExitCodes.NotSupported;
        }

        var flow = arguments.Browser ? AuthorizationFlow.Browser : AuthorizationFlow.DeviceCode;
        if (!supported.Flows.Contains(flow))
        {
            error.WriteLine($"error: the \"{record.Driver}\" driver does not offer the {(arguments.Browser ? "browser" : "device")} flow");
            return AuthExitCodes.NotSupported;
        }

        var settingErrors = supported.ValidateForAuthorization(record.Addition);
        if (settingErrors.Count > 0)
        {
            foreach (var problem in settingErrors)
            {
                var key = problem.Key.Length == 0 ? "" : "." + problem.Key;
                error.WriteLine($"error: {loaded.SourceName}: storages[{index}].addition{key}: {problem.Message}");
            }

            return AuthExitCodes.ConfigError;
        }

        // The state store is opened before the user is asked to approve, so a broken store wastes nobody's approval.
        var overrides = ConfigOverrides.Validate(new ServeArguments(arguments.ConfigPath, State: arguments.State), currentDirectory, out _, out var stateOverride);
        if (overrides.Count > 0)
        {
            error.WriteLine(ConfigIssue.FormatAll("command line", overrides));
            return AuthExitCodes.ConfigError;
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
            return AuthExitCodes.ConfigError;
        }

        await using (store.ConfigureAwait(false))
        {
            var context = new DriverContext(mountPath, config.ConfigDirectory, NullLoggerFactory.Instance, environment.Time)
            {
                HttpHandler = environment.HttpHandler,
            };
            var prompt = new ConsoleAuthorizationPrompt(console.Out, mountPath, ProviderName(record.Driver), environment.Time, environment.OpenBrowser);
            AuthorizationResult result;
            try
            {
                result = await supported.AuthorizeAsync(
                    record.Addition,
                    context,
                    new AuthorizationRequest(flow, arguments.Port, environment.Timeout),
                    prompt,
                    cancellationToken).ConfigureAwait(false);
            }
            catch (AuthorizationFailedException e)
            {
                error.WriteLine($"error: {e.Message}");
                return e.Reason switch
                {
                    AuthorizationFailure.Denied => AuthExitCodes.Denied,
                    AuthorizationFailure.Expired => AuthExitCodes.Expired,
                    _ => AuthExitCodes.Failed,
                };
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                error.WriteLine("error: cancelled; nothing was saved");
                return AuthExitCodes.Failed;
            }

            await store.SaveTokensAsync(mountPath, result.ToStoredTokens(), CancellationToken.None).ConfigureAwait(false);
            PrintNextSteps(console.Out, arguments, record, result, StateLocation.Redact(stateText));
            return AuthExitCodes.Ok;
        }
    }

    private static void PrintNextSteps(TextWriter output, AuthArguments arguments, StorageRecord record, AuthorizationResult result, string state)
    {
        output.WriteLine();
        output.WriteLine($"Authorized{(result.Account is { } account ? " as " + account : "")}. The tokens for {record.MountPath} are saved in the state store ({state});");
        output.WriteLine("drivers.json was not changed. The server renews them by itself from now on.");
        if (result.ConfiguredRefreshToken is not null)
        {
            output.WriteLine($"(The refresh_token typed into drivers.json for {record.MountPath} is left alone; changing it later makes the file's token win again.)");
        }

        output.WriteLine("Next:");
        if (record.Disabled)
        {
            output.WriteLine($"  - enable the storage: set \"disabled\": false for {record.MountPath} in {arguments.ConfigPath}");
        }

        output.WriteLine($"  - start the server, or restart it if it is running: driverhost serve --config {arguments.ConfigPath}");
        output.WriteLine($"  - browse the mount over WebDAV under {record.MountPath} (http://127.0.0.1:5244/dav{record.MountPath}/ with the default settings)");
        output.Flush();
    }

    private static string ProviderName(string driver) => driver == "DiskTop" ? "Disk.Top" : driver;
}

/// <summary>Opens a URL in the browser named by <c>$BROWSER</c>, and only then: a browser is never required.</summary>
public static class BrowserLauncher
{
    public static bool TryOpen(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var browser = Environment.GetEnvironmentVariable("BROWSER");
        if (string.IsNullOrWhiteSpace(browser))
        {
            return false;
        }

        try
        {
            var start = browser.Contains("%s", StringComparison.Ordinal)
                ? new System.Diagnostics.ProcessStartInfo("/bin/sh", ["-c", browser.Replace("%s", "\"$1\"", StringComparison.Ordinal), "browser", url.AbsoluteUri])
                : new System.Diagnostics.ProcessStartInfo(browser, [url.AbsoluteUri]);
            start.UseShellExecute = false;
            using var process = System.Diagnostics.Process.Start(start);
            return process is not null;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            return false;
        }
    }
}
