using System.Text.Json;

namespace OpenList.DriverHost.Config;

/// <summary>Reads and validates the <c>server</c> section.</summary>
internal static class ServerSettingsReader
{
    /// <summary>First segments the host serves itself; the WebDAV prefix must not shadow them.</summary>
    /// <summary>Top-level routes the host answers before WebDAV (signed downloads, operations, the relay).</summary>
    internal static readonly string[] ReservedPrefixes = ["/d", "/p", "/api", "/healthz", "/metrics", "/relay"];

    /// <summary>The reserved route that answers <paramref name="path"/> before WebDAV would, or null.</summary>
    internal static string? ReservedRouteOf(string path) => ReservedPrefixes.FirstOrDefault(r =>
        path.Equals(r, StringComparison.OrdinalIgnoreCase) || path.StartsWith(r + "/", StringComparison.OrdinalIgnoreCase));

    public static ServerSettings Read(JsonElement? section, string configDirectory, IssueCollector issues)
    {
        const string path = "server";
        if (section is not { } element)
        {
            return ResolveDefaults(configDirectory);
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            issues.Error(path, $"expected an object, got {JsonPath.Describe(element.ValueKind)}", "write server as { \"listen\": \"http://127.0.0.1:5244\", … }");
            return ResolveDefaults(configDirectory);
        }

        var reader = new JsonObjectReader(element, path, issues);
        var listen = reader.String("listen", ServerSettings.DefaultListen);
        var davPrefix = reader.String("dav_prefix", ServerSettings.DefaultDavPrefix);
        var state = reader.String("state", ServerSettings.DefaultState);
        var signKey = reader.String("sign_key", "");
        var tempDir = reader.String("temp_dir", "");
        var propfindInfinity = reader.Bool("propfind_infinity", false);
        var shutdownTimeout = reader.Int("shutdown_timeout", ServerSettings.DefaultShutdownTimeout);
        var logFile = reader.String("log_file", "");
        var trustedProxies = TrustedProxies(reader, issues);
        reader.WarnAboutUnknownKeys();

        if (!ListenAddress.TryParse(listen, out _, out var listenError))
        {
            issues.Error(reader.PathOf("listen"), listenError, "use http://<host>:<port>, such as http://127.0.0.1:5244 or http://0.0.0.0:5244");
        }

        davPrefix = ValidateDavPrefix(davPrefix, reader.PathOf("dav_prefix"), issues);

        var resolvedState = ValidateState(state, configDirectory, reader.PathOf("state"), issues) ?? state;

        if (signKey.Length is > 0 and < 16)
        {
            issues.Warning(reader.PathOf("sign_key"), "sign_key is shorter than 16 characters", "use a long random key, or leave it empty to have one generated");
        }

        if (tempDir.Length > 0)
        {
            try
            {
                tempDir = Path.GetFullPath(tempDir, configDirectory);
            }
            catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
            {
                issues.Error(reader.PathOf("temp_dir"), "not a valid folder path", "use an absolute folder or one relative to drivers.json, or leave it empty for the OS temp folder");
            }
        }

        if (shutdownTimeout < 0)
        {
            issues.Error(reader.PathOf("shutdown_timeout"), "must not be negative", $"give the seconds in-flight requests may take to finish at shutdown (default {ServerSettings.DefaultShutdownTimeout})");
            shutdownTimeout = ServerSettings.DefaultShutdownTimeout;
        }

        if (logFile.Length > 0)
        {
            try
            {
                logFile = Path.GetFullPath(logFile, configDirectory);
            }
            catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
            {
                issues.Error(reader.PathOf("log_file"), "not a valid file path", "use an absolute path or one relative to drivers.json, or leave it empty to log to the console only");
            }
        }

        return new ServerSettings
        {
            ShutdownTimeout = shutdownTimeout,
            LogFile = logFile,
            Listen = listen,
            DavPrefix = davPrefix,
            State = resolvedState,
            SignKey = signKey,
            TempDir = tempDir,
            PropfindInfinity = propfindInfinity,
            TrustedProxies = trustedProxies,
        };
    }

    /// <summary>
    /// <c>trusted_proxies</c>: addresses or CIDR networks of reverse proxies whose <c>X-Forwarded-For</c> and
    /// <c>X-Forwarded-Proto</c> the host believes, so rate limits and lockouts count the real client, not the proxy.
    /// </summary>
    private static ValueList<string> TrustedProxies(JsonObjectReader reader, IssueCollector issues)
    {
        var items = reader.Array("trusted_proxies");
        if (items is null)
        {
            return ValueList.Empty<string>();
        }

        var proxies = new List<string>();
        for (var i = 0; i < items.Count; i++)
        {
            var text = items[i].ValueKind == JsonValueKind.String ? items[i].GetString()!.Trim() : "";
            if (System.Net.IPAddress.TryParse(text, out var address))
            {
                proxies.Add(address.ToString());
            }
            else if (System.Net.IPNetwork.TryParse(text, out var network))
            {
                proxies.Add(network.ToString());
            }
            else
            {
                issues.Error(JsonPath.Index(reader.PathOf("trusted_proxies"), i), "not an IP address or CIDR network", "write the reverse proxy's address, such as \"127.0.0.1\" or \"10.0.0.0/8\"");
            }
        }

        return proxies.ToValueList();
    }

    /// <summary>Validates a state string; returns its connection-string form (absolute SQLite path) or null.</summary>
    public static string? ValidateState(string state, string baseDirectory, string path, IssueCollector issues)
    {
        if (StateLocation.TryParse(state, baseDirectory, out var location, out var error))
        {
            return location.ConnectionString;
        }

        issues.Error(path, error, "use sqlite:state.db (a file, relative to drivers.json) or postgres://user:password@host/database");
        return null;
    }

    private static string ValidateDavPrefix(string prefix, string path, IssueCollector issues)
    {
        const string fix = "use a path such as /dav";
        if (!prefix.StartsWith('/'))
        {
            issues.Error(path, $"dav_prefix \"{prefix}\" does not start with /", fix);
            return prefix;
        }

        if (prefix.Any(c => char.IsControl(c) || c is '?' or '#' or '\\' or ' ' or '%'))
        {
            issues.Error(path, $"dav_prefix \"{prefix}\" contains a character not allowed in a plain URL path", fix);
            return prefix;
        }

        if (!ConfigPaths.TryNormalizeMountPath(prefix, out var normalized, out var error))
        {
            issues.Error(path, error, fix);
            return prefix;
        }

        if (ReservedRouteOf(normalized) is { } reserved)
        {
            issues.Error(path, $"dav_prefix \"{normalized}\" collides with the host's own {reserved} route", fix);
        }

        return normalized;
    }

    private static ServerSettings ResolveDefaults(string configDirectory) =>
        new() { State = StateLocation.SqlitePrefix + Path.GetFullPath("state.db", configDirectory) };
}
