using System.CommandLine;
using OpenList.DriverHost.Config;
using OpenList.DriverHost.Hosting;

namespace OpenList.DriverHost.Cli;

/// <summary>The options of <c>serve</c>, which the root command takes too (serve is the default).</summary>
internal sealed class ServeOptions
{
    /// <summary>Serilog level names, plus common aliases mapped to them.</summary>
    private static readonly Dictionary<string, string> LogLevels = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Verbose"] = "Verbose",
        ["Trace"] = "Verbose",
        ["Debug"] = "Debug",
        ["Information"] = "Information",
        ["Info"] = "Information",
        ["Warning"] = "Warning",
        ["Warn"] = "Warning",
        ["Error"] = "Error",
        ["Fatal"] = "Fatal",
        ["Critical"] = "Fatal",
    };

    public ServeOptions()
    {
        Config = new Option<string>("--config")
        {
            Description = "Path of drivers.json",
            HelpName = "PATH",
            DefaultValueFactory = _ => ConfigLoader.DefaultFileName,
        };
        Listen = new Option<string?>("--listen")
        {
            Description = "Overrides server.listen, such as http://0.0.0.0:5244",
            HelpName = "URL",
        };
        State = new Option<string?>("--state")
        {
            Description = "Overrides server.state: sqlite:<path> (relative to the current folder)",
            HelpName = "CONNSTRING",
        };
        LogLevel = new Option<string?>("--log-level")
        {
            Description = "Minimum log level: Verbose, Debug, Information, Warning, Error or Fatal",
            HelpName = "LEVEL",
        };
        LogLevel.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string?>();
            if (value is not null && !LogLevels.ContainsKey(value))
            {
                result.AddError($"Unknown log level '{value}'. Use Verbose, Debug, Information, Warning, Error or Fatal.");
            }
        });
    }

    public Option<string> Config { get; }

    public Option<string?> Listen { get; }

    public Option<string?> State { get; }

    public Option<string?> LogLevel { get; }

    public void AddTo(Command command)
    {
        command.Add(Config);
        command.Add(Listen);
        command.Add(State);
        command.Add(LogLevel);
    }

    /// <summary>The arguments for <see cref="ServeCommand.RunAsync"/>; the config path is made absolute.</summary>
    public ServeArguments Read(ParseResult result, string currentDirectory)
    {
        var config = result.GetValue(Config) ?? ConfigLoader.DefaultFileName;
        var logLevel = result.GetValue(LogLevel);
        return new ServeArguments(
            Path.GetFullPath(config, currentDirectory),
            result.GetValue(Listen),
            result.GetValue(State),
            logLevel is null ? null : LogLevels[logLevel]);
    }
}
