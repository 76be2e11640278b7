using OpenList.DriverHost.Auth;

namespace OpenList.DriverHost.DriverHost.Tests.ConfigTests;

internal static class ConfigTestFiles
{
    /// <summary>A cheap (1000-iteration) hash of "secret", so tests stay fast.</summary>
    public static readonly string SecretHash = PasswordHasher.Hash("secret", 1000);

    public static readonly string ConfigDirectory = Path.Combine(Path.GetTempPath(), "driverhost-config-tests");

    /// <summary>The folder holding OpenList.DriverHost.sln, found by walking up from the test binaries.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OpenList.DriverHost.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("OpenList.DriverHost.sln not found above " + AppContext.BaseDirectory);
    }
}
