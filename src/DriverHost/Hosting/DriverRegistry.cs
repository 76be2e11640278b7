using OpenList.DriverHost.Drivers;
using OpenList.DriverHost.Drivers.AliyundriveOpen;
using OpenList.DriverHost.Drivers.DiskTop;
using OpenList.DriverHost.Drivers.Local;
using OpenList.DriverHost.Drivers.Open115;
using OpenList.DriverHost.Drivers.Open123;

namespace OpenList.DriverHost.Hosting;

/// <summary>Every driver this build knows, keyed by the <c>driver</c> name of a storage record.</summary>
public static class DriverRegistry
{
    public static IReadOnlyDictionary<string, IDriverFactory> Default { get; } = Build(
        new LocalDriverFactory(), new AliyundriveOpenDriverFactory(), new Open115DriverFactory(), new Open123DriverFactory(), new DiskTopDriverFactory());

    public static IReadOnlyDictionary<string, IDriverFactory> Build(params IDriverFactory[] factories) =>
        factories.ToDictionary(f => f.Name, StringComparer.Ordinal);
}
