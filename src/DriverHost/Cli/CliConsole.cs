namespace OpenList.DriverHost.Cli;

/// <summary>The console as the commands see it, so tests can supply their own streams and keys.</summary>
/// <param name="In">Standard input.</param>
/// <param name="Out">Standard output: results only (such as the hash), so they can be piped.</param>
/// <param name="Error">Prompts and messages.</param>
/// <param name="IsInputRedirected">True when standard input is a pipe or file rather than a terminal.</param>
/// <param name="ReadKey">Reads one key without echoing it (used only when input is not redirected).</param>
public sealed record CliConsole(TextReader In, TextWriter Out, TextWriter Error, bool IsInputRedirected, Func<ConsoleKeyInfo> ReadKey)
{
    /// <summary>The process console.</summary>
    public static CliConsole System { get; } = new(
        Console.In,
        Console.Out,
        Console.Error,
        Console.IsInputRedirected,
        () => Console.ReadKey(intercept: true));
}
