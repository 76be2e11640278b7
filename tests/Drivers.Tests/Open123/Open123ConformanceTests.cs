using OpenList.DriverHost.Drivers.Tests.Conformance;

namespace OpenList.DriverHost.Drivers.Tests.Open123;

/// <summary>
/// The shared conformance suite over a 123 Open driver, built through its factory over a fresh account of the 123
/// fake, with the account's own developer credentials. No knob is overridden: 123 keeps Unicode names and names of
/// 200 characters (names must be shorter than 256, cloud-apis.md §3.6 step 5), and the driver declares no mtime
/// precision (§3.5: the listing reports the server's <c>updateAt</c>) — the suite's mtime clauses follow that.
/// </summary>
public sealed class Open123ConformanceTests : DriverConformanceTests, IClassFixture<Open123TestCloud>, IDisposable
{
    private readonly Open123TestCloud _cloud;
    private Open123TestDriver? _underTest;

    public Open123ConformanceTests(Open123TestCloud cloud) => _cloud = cloud;

    protected override async Task<IStorageDriver> CreateDriverAsync()
    {
        _underTest = await _cloud.CreateDriverAsync();
        return _underTest.Driver;
    }

    /// <summary>The suite disposes the driver; its handler and temporary folder go here.</summary>
    public void Dispose() => _underTest?.Cleanup();
}
