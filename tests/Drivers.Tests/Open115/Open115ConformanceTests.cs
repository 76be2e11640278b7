using OpenList.DriverHost.Drivers.Tests.Conformance;

namespace OpenList.DriverHost.Drivers.Tests.Open115;

/// <summary>
/// The shared conformance suite over the 115 Open driver and the 115 fake. No knob is overridden: 115 keeps Unicode
/// names (cloud-apis.md §1.5 sends names as form values) and cannot keep client modification times (the listing's
/// <c>upt</c> is the server's), which the driver declares with <c>ModTimePrecision = null</c>.
/// </summary>
public sealed class Open115ConformanceTests(Open115TestCloud cloud) : DriverConformanceTests, IClassFixture<Open115TestCloud>
{
    protected override async Task<IStorageDriver> CreateDriverAsync() => await cloud.CreateDriverAsync();
}
