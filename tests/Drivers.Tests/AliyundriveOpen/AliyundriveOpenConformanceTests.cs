using OpenList.DriverHost.Drivers.Tests.Conformance;

namespace OpenList.DriverHost.Drivers.Tests.AliyundriveOpen;

/// <summary>
/// The shared conformance suite over an AliyundriveOpen driver, built through its factory over a fresh account of
/// the Aliyundrive Open fake, renewing tokens with the app's own client id and secret. No knob is overridden: the
/// provider keeps Unicode names and names of 200 characters (the fake allows 1024, like the real service), and the
/// driver declares no mtime precision (cloud-apis.md §2.5: the listing reports the server's <c>updated_at</c>, so
/// a client's modification time is not kept) — the suite's mtime clauses follow that declaration.
/// </summary>
public sealed class AliyundriveOpenConformanceTests : DriverConformanceTests, IClassFixture<AliyundriveOpenTestCloud>, IDisposable
{
    private readonly AliyundriveOpenTestCloud _cloud;
    private AliyunTestDriver? _underTest;

    public AliyundriveOpenConformanceTests(AliyundriveOpenTestCloud cloud) => _cloud = cloud;

    protected override async Task<IStorageDriver> CreateDriverAsync()
    {
        _underTest = await _cloud.CreateDriverAsync();
        return _underTest.Driver;
    }

    /// <summary>The suite disposes the driver; its handler and temporary folder go here.</summary>
    public void Dispose() => _underTest?.Cleanup();
}
