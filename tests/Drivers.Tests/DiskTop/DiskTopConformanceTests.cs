using OpenList.DriverHost.Drivers.Tests.Conformance;

namespace OpenList.DriverHost.Drivers.Tests.DiskTop;

/// <summary>
/// The shared conformance suite over the DiskTop driver and the Disk.Top fake. No knob is overridden: names are sent
/// as form values (Unicode round-trips) and the listing carries no time, which the driver declares with
/// <c>ModTimePrecision = null</c>.
/// </summary>
public sealed class DiskTopConformanceTests(DiskTopTestCloud cloud) : DriverConformanceTests, IClassFixture<DiskTopTestCloud>
{
    protected override async Task<IStorageDriver> CreateDriverAsync() => await cloud.CreateDriverAsync();
}

/// <summary>
/// The suite again over a fake that reports errors as HTTP 200 with the errno, leaves <c>errmsg</c> out of successes
/// and renames uploads onto taken names (<see cref="DiskTopLenientTestCloud"/>): the driver must not depend on the
/// HTTP status of an error, nor on a server that refuses taken names.
/// </summary>
public sealed class DiskTopLenientConformanceTests(DiskTopLenientTestCloud cloud) : DriverConformanceTests, IClassFixture<DiskTopLenientTestCloud>
{
    protected override async Task<IStorageDriver> CreateDriverAsync() => await cloud.CreateDriverAsync();
}
