using OpenList.DriverHost.Drivers.Tests.Conformance;

namespace OpenList.DriverHost.Drivers.Tests.Local;

/// <summary>The shared conformance suite over a Local driver in a temporary folder.</summary>
public sealed class LocalDriverConformanceTests : DriverConformanceTests, IDisposable
{
    private readonly LocalTestRoot _root = new();

    protected override async Task<IStorageDriver> CreateDriverAsync() => await _root.CreateDriverAsync();

    public void Dispose() => _root.Dispose();
}
