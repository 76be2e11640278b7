using System.Text.Json;
using OpenList.DriverHost.Drivers;
using OpenList.DriverHost.Hosting;

namespace OpenList.DriverHost.DriverHost.Tests.Caching;

/// <summary>Serves one <see cref="MemoryDriver"/> instance under a driver name, so a test can reach the driver its mount uses.</summary>
internal sealed class MemoryDriverFactory : IDriverFactory
{
    public MemoryDriverFactory(string name, MemoryDriver driver)
    {
        Name = name;
        Driver = driver;
    }

    public string Name { get; }

    public MemoryDriver Driver { get; }

    public IReadOnlyList<DriverSetting> Settings { get; } = [];

    public IReadOnlyList<DriverSettingError> Validate(JsonElement addition, DriverContext context) => [];

    public IStorageDriver Create(JsonElement addition, DriverContext context) => Driver;

    /// <summary>The host's own drivers plus <paramref name="extra"/>.</summary>
    public static IReadOnlyDictionary<string, IDriverFactory> Registry(params MemoryDriverFactory[] extra) =>
        DriverRegistry.Default.Values.Concat(extra).ToDictionary(f => f.Name, StringComparer.Ordinal);
}
