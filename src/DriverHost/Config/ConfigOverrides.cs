using OpenList.DriverHost.Hosting;

namespace OpenList.DriverHost.Config;

/// <summary>The command-line overrides of <c>serve</c> (<c>--listen</c>, <c>--state</c>) applied to a loaded file.</summary>
public static class ConfigOverrides
{
    /// <summary>
    /// Checks <c>--listen</c> and <c>--state</c> (a relative SQLite path resolves against
    /// <paramref name="currentDirectory"/>, as usual for command-line paths). Returns the errors; the outputs are the
    /// values to apply, null when not given or invalid.
    /// </summary>
    public static IReadOnlyList<ConfigIssue> Validate(ServeArguments arguments, string currentDirectory, out string? listen, out string? state)
    {
        var issues = new IssueCollector();
        listen = null;
        state = null;
        if (arguments.Listen is { } listenText)
        {
            if (ListenAddress.TryParse(listenText, out _, out var error))
            {
                listen = listenText;
            }
            else
            {
                issues.Error("--listen", error, "use http://<host>:<port>, such as http://127.0.0.1:5244");
            }
        }

        if (arguments.State is { } stateText)
        {
            state = ServerSettingsReader.ValidateState(stateText, currentDirectory, "--state", issues);
        }

        return issues.Errors;
    }

    /// <summary>A copy of <paramref name="config"/> with the given (already validated) overrides.</summary>
    public static DriverHostConfig Apply(DriverHostConfig config, string? listen, string? state) =>
        listen is null && state is null
            ? config
            : config with { Server = config.Server with { Listen = listen ?? config.Server.Listen, State = state ?? config.Server.State } };
}
