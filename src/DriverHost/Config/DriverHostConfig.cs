using System.Text;

namespace OpenList.DriverHost.Config;

/// <summary>
/// One validated snapshot of drivers.json. Immutable: a reload builds a new snapshot and the old one stays in
/// force when the new file has errors. Produced by <see cref="ConfigLoader"/>.
/// </summary>
public sealed record DriverHostConfig
{
    public ServerSettings Server { get; init; } = new();

    public ValueList<UserRecord> Users { get; init; } = ValueList.Empty<UserRecord>();

    /// <summary>Every storage in file order, disabled ones included (check <see cref="StorageRecord.Disabled"/>).</summary>
    public ValueList<StorageRecord> Storages { get; init; } = ValueList.Empty<StorageRecord>();

    /// <summary>The <c>relay</c> section: the self-hosted online API relay, off by default.</summary>
    public Relay.RelaySettings Relay { get; init; } = new();

    /// <summary>The absolute folder of drivers.json; relative paths in the file resolve against it.</summary>
    public string ConfigDirectory { get; init; } = "";

    /// <summary>Problems that did not stop the file from loading (unknown keys, unknown drivers on disabled storages…).</summary>
    public ValueList<ConfigIssue> Warnings { get; init; } = ValueList.Empty<ConfigIssue>();

    /// <summary>True when no user is configured: everyone is anonymous (allowed on loopback only).</summary>
    public bool IsAnonymous => Users.Count == 0;
}

/// <summary>The <c>server</c> section.</summary>
public sealed record ServerSettings
{
    public const string DefaultListen = "http://127.0.0.1:5244";
    public const string DefaultDavPrefix = "/dav";
    public const string DefaultState = "sqlite:state.db";
    public const int DefaultShutdownTimeout = 30;

    /// <summary>One http(s) URL with host and port, as Kestrel takes it (<c>http://0.0.0.0:5244</c>).</summary>
    public string Listen { get; init; } = DefaultListen;

    /// <summary>Where WebDAV is served: starts with <c>/</c>, no trailing slash (<c>/</c> itself serves the root).</summary>
    public string DavPrefix { get; init; } = DefaultDavPrefix;

    /// <summary>
    /// <c>sqlite:&lt;path&gt;</c> (the loader makes the path absolute against the config folder) or a
    /// <c>postgres://</c> URL (may hold a password: never log it). See <see cref="StateLocation"/>.
    /// </summary>
    public string State { get; init; } = DefaultState;

    /// <summary>HMAC key for signed links; empty means "generate one into the state store". Secret.</summary>
    public string SignKey { get; init; } = "";

    /// <summary>Upload spooling folder, absolute; empty means the OS temp folder.</summary>
    public string TempDir { get; init; } = "";

    /// <summary>Allow PROPFIND with <c>Depth: infinity</c>.</summary>
    public bool PropfindInfinity { get; init; }

    /// <summary>Seconds in-flight requests may take to finish when the host stops, before they are cancelled.</summary>
    public int ShutdownTimeout { get; init; } = DefaultShutdownTimeout;

    /// <summary>A rolling JSON log file (absolute path) besides the console; empty logs to the console only.</summary>
    public string LogFile { get; init; } = "";

    /// <summary>Reverse proxies (addresses or CIDR networks) whose X-Forwarded-For/-Proto are believed; empty believes none.</summary>
    public ValueList<string> TrustedProxies { get; init; } = ValueList.Empty<string>();

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"Listen = {Listen}, DavPrefix = {DavPrefix}, State = {StateLocation.Redact(State)}, ");
        builder.Append($"SignKey = {(SignKey.Length == 0 ? "(generated)" : "***")}, TempDir = {TempDir}, PropfindInfinity = {PropfindInfinity}, ");
        builder.Append($"ShutdownTimeout = {ShutdownTimeout}, LogFile = {LogFile}, TrustedProxies = [{string.Join(", ", TrustedProxies)}]");
        return true;
    }
}
