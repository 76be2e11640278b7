namespace OpenList.DriverHost.DriverHost.Tests.AuthTests;

/// <summary>A clock that only moves when told to (Microsoft.Extensions.TimeProvider.Testing is not available).</summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private DateTimeOffset _now;

    public ManualTimeProvider(DateTimeOffset? start = null) => _now = start ?? new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
