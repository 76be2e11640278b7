using System.CommandLine;
using OpenList.DriverHost.Hosting;

namespace OpenList.DriverHost.Cli;

/// <summary>
/// The command line: <c>driverhost [serve] [--config PATH] [--listen URL] [--state CONNSTRING] [--log-level LEVEL]</c>
/// , <c>driverhost hash-password</c>, <c>driverhost auth &lt;mount&gt; [--browser]</c>, <c>driverhost check</c> and
/// <c>driverhost import-openlist &lt;file&gt;</c>. Exit codes come from the actions.
/// </summary>
public static class CliRoot
{
    /// <summary>Builds the root command.</summary>
    /// <param name="serve">Runs the server; defaults to <see cref="ServeCommand.RunAsync"/>.</param>
    /// <param name="console">Console for hash-password; defaults to <see cref="CliConsole.System"/>.</param>
    /// <param name="currentDirectory">Resolves a relative <c>--config</c>; defaults to the process's current folder.</param>
    /// <param name="auth">What <c>auth</c> uses (drivers, clock, browser); defaults to the real ones.</param>
    /// <param name="check">What <c>check</c> uses (drivers, clock, connection pool); defaults to the real ones.</param>
    public static RootCommand Build(
        Func<ServeArguments, CancellationToken, Task<int>>? serve = null,
        CliConsole? console = null,
        string? currentDirectory = null,
        AuthEnvironment? auth = null,
        CheckEnvironment? check = null)
    {
        serve ??= ServeCommand.RunAsync;
        console ??= CliConsole.System;

        var root = new RootCommand("OpenList.DriverHost: serves OpenList-style cloud drive mounts over WebDAV.");
        var rootOptions = new ServeOptions();
        rootOptions.AddTo(root);
        root.SetAction((result, ct) => serve(rootOptions.Read(result, currentDirectory ?? Environment.CurrentDirectory), ct));

        var serveCommand = new Command("serve", "Serve drivers.json over WebDAV (the default command).");
        var serveOptions = new ServeOptions();
        serveOptions.AddTo(serveCommand);
        serveCommand.SetAction((result, ct) => serve(serveOptions.Read(result, currentDirectory ?? Environment.CurrentDirectory), ct));

        root.Add(serveCommand);
        root.Add(HashPasswordCommand.Create(console));
        root.Add(AuthCommand.Create(console, currentDirectory, auth));
        root.Add(CheckCommand.Create(console, currentDirectory, check));
        root.Add(ImportOpenListCommand.Create(console, currentDirectory, check?.Drivers));
        return root;
    }
}
