using OpenList.DriverHost.DriverHost.Tests.AuthTests;
using OpenList.DriverHost.Relay;

namespace OpenList.DriverHost.DriverHost.Tests.Relay;

/// <summary>Issue 9: one-minute windows on the injected clock, and a bounded table.</summary>
public sealed class RelayRateLimiterTests
{
    [Fact]
    public void A_spent_budget_says_when_the_window_ends_and_refills_then()
    {
        var clock = new ManualTimeProvider();
        var limiter = new RelayRateLimiter(clock);

        Assert.True(limiter.TryAcquire("ip", 2, out _));
        clock.Advance(TimeSpan.FromSeconds(20));
        Assert.True(limiter.TryAcquire("ip", 2, out _));
        Assert.False(limiter.TryAcquire("ip", 2, out var wait));
        Assert.Equal(TimeSpan.FromSeconds(40), wait);
        Assert.True(limiter.TryAcquire("other", 2, out _));

        clock.Advance(TimeSpan.FromSeconds(40));
        Assert.True(limiter.TryAcquire("ip", 2, out _));
    }

    [Fact]
    public void Zero_means_no_limit_and_nothing_is_kept()
    {
        var limiter = new RelayRateLimiter(new ManualTimeProvider());

        for (var i = 0; i < 1000; i++)
        {
            Assert.True(limiter.TryAcquire("ip", 0, out _));
        }

        Assert.Equal(0, limiter.Count);
    }

    [Fact]
    public void The_table_never_grows_past_its_bound()
    {
        var clock = new ManualTimeProvider();
        var limiter = new RelayRateLimiter(clock);

        for (var i = 0; i < RelayRateLimiter.MaxKeys + 500; i++)
        {
            limiter.TryAcquire("token-" + i, 6, out _);
        }

        Assert.True(limiter.Count <= RelayRateLimiter.MaxKeys);
        clock.Advance(TimeSpan.FromMinutes(2));
        limiter.TryAcquire("fresh", 6, out _);
        Assert.True(limiter.Count <= RelayRateLimiter.MaxKeys);
    }
}
