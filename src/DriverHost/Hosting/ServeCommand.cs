using Microsoft.Extensions.Logging;
using OpenList.DriverHost.Config;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Display;
using Serilog.Extensions.Logging;

namespace OpenList.DriverHost.Hosting;

/// <summary>Runs the server until the process is told to stop. Returns the process exit code.</summary>
public static class ServeCommand
{
    private const string ConsoleTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}";

    public static async Task<int> RunAsync(ServeArguments arguments, CancellationToken cancellationToken)
    {
        if (!TryParseLevel(arguments.LogLevel, out var level))
        {
            await Console.Error.WriteLineAsync($"--log-level: unknown level '{arguments.LogLevel}'; use Verbose, Debug, Information, Warning, Error or Fatal").ConfigureAwait(false);
            return 2;
        }

        using var bootstrap = CreateSerilog(level, logFile: null);
        using var bootstrapFactory = new SerilogLoggerFactory(bootstrap);
        var log = bootstrapFactory.CreateLogger("OpenList.DriverHost");

        var loaded = new ConfigLoader(DriverRegistry.Default, bootstrapFactory).LoadForServe(arguments, Directory.GetCurrentDirectory());
        foreach (var warning in loaded.Warnings)
        {
            log.LogWarning("{Warning}", warning.Format(loaded.SourceName));
        }

        if (loaded.Config is not { } config)
        {
            await Console.Error.WriteLineAsync(loaded.FormatErrors()).ConfigureAwait(false);
            return 2;
        }

        // The configured logger: the console, plus server.log_file as rolling JSON when set.
        using var serilog = CreateSerilog(level, config.Server.LogFile.Length > 0 ? config.Server.LogFile : null, queueConsole: Console.IsErrorRedirected);
        using var loggerFactory = new SerilogLoggerFactory(serilog);
        log = loggerFactory.CreateLogger("OpenList.DriverHost");
        try
        {
            var configPath = Path.GetFullPath(arguments.ConfigPath, Directory.GetCurrentDirectory());
            var loader = new ConfigLoader(DriverRegistry.Default, loggerFactory);
            var reload = new ConfigReloadSource(configPath, () => loader.LoadForServe(arguments, Directory.GetCurrentDirectory()));
            await using var app = await DriverHostApp.BuildAsync(config, loggerFactory, cancellationToken: cancellationToken, reload: reload).ConfigureAwait(false);
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            foreach (var url in app.Urls)
            {
                log.LogInformation("serving WebDAV at {Url}{Prefix}/", url, config.Server.DavPrefix.TrimEnd('/'));
            }

            await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return 0;
        }
        catch (IOException ex)
        {
            // Address in use and similar: say what and exit non-zero instead of a stack trace.
            await Console.Error.WriteLineAsync($"cannot start: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    /// <summary>
    /// Serilog as <c>serve</c> uses it: the console at <paramref name="level"/> (ASP.NET Core's own chatter at
    /// Warning), and when <paramref name="logFile"/> is given the same events as one JSON object per line in a file
    /// rolled daily and at 100 MB, 14 files kept. With <paramref name="queueConsole"/> the console lines (the same
    /// text, uncoloured) are written by a background thread through a buffer (<see cref="BackgroundTextSink"/>): the
    /// serving logger does so when standard error is redirected, where a line per request would otherwise cost each
    /// request the console lock and a write syscall.
    /// </summary>
    internal static Serilog.Core.Logger CreateSerilog(LogEventLevel level, string? logFile, bool queueConsole = false)
    {
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Is(level)
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information);
        configuration = queueConsole
            ? configuration.WriteTo.Sink(new BackgroundTextSink(new MessageTemplateTextFormatter(ConsoleTemplate), Console.OpenStandardError()))
            : configuration.WriteTo.Console(outputTemplate: ConsoleTemplate, standardErrorFromLevel: LogEventLevel.Verbose);
        if (logFile is not null)
        {
            configuration = configuration.WriteTo.File(
                new Serilog.Formatting.Json.JsonFormatter(renderMessage: true),
                logFile,
                rollingInterval: RollingInterval.Day,
                fileSizeLimitBytes: 100L * 1024 * 1024,
                rollOnFileSizeLimit: true,
                retainedFileCountLimit: 14,
                shared: true);
        }

        return configuration.CreateLogger();
    }

    private static bool TryParseLevel(string? text, out LogEventLevel level)
    {
        if (string.IsNullOrEmpty(text))
        {
            level = LogEventLevel.Information;
            return true;
        }

        return Enum.TryParse(text, ignoreCase: true, out level) && Enum.IsDefined(level);
    }
}
