namespace OpenList.DriverHost.Hosting;

/// <summary>What the <c>serve</c> command was given; null means "use drivers.json / the default".</summary>
/// <param name="ConfigPath">Path of drivers.json.</param>
/// <param name="Listen">Overrides <c>server.listen</c>.</param>
/// <param name="State">Overrides <c>server.state</c>.</param>
/// <param name="LogLevel">Overrides the minimum log level (Verbose, Debug, Information, Warning, Error, Fatal).</param>
public sealed record ServeArguments(string ConfigPath, string? Listen = null, string? State = null, string? LogLevel = null);
