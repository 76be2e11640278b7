namespace OpenList.DriverHost.Config;

/// <summary>
/// Refuses to serve anonymously beyond this machine: with no users configured the listen host must be loopback
/// (127.0.0.0/8, ::1 or localhost). Run it after command-line overrides, at startup and on every reload.
/// </summary>
public static class ExposureCheck
{
    public const string AnonymousMessage = "anonymous access is only allowed on loopback";

    public const string AnonymousFix = "add a user with `driverhost hash-password` or listen on 127.0.0.1";

    /// <summary>The errors (empty when the combination is safe).</summary>
    public static IReadOnlyList<ConfigIssue> Validate(DriverHostConfig config, string listenUrl)
    {
        if (!ListenAddress.TryParse(listenUrl, out var address, out var error))
        {
            return [new ConfigIssue(ConfigSeverity.Error, "server.listen", error, "use http://<host>:<port>, such as http://127.0.0.1:5244")];
        }

        if (config.Users.Count == 0 && !address.IsLoopback)
        {
            return [new ConfigIssue(ConfigSeverity.Error, "server.listen", AnonymousMessage, AnonymousFix)];
        }

        return [];
    }
}
