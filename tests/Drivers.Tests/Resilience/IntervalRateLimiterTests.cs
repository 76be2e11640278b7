using OpenList.DriverHost.Drivers.Resilience;
using OpenList.DriverHost.Drivers.Tests.TestSupport;

namespace OpenList.DriverHost.Drivers.Tests.Resilience;

public sealed class IntervalRateLimiterTests
{
    [Fact]
    public async Task Calls_are_spaced_one_interval_apart_with_a_burst_of_one()
    {
        var clock = new ManualClock();
        var limiter = new IntervalRateLimiter(2, clock);
        var first = limiter.WaitAsync(CancellationToken.None);
        var second = limiter.WaitAsync(CancellationToken.None);
        var third = limiter.WaitAsync(CancellationToken.None);
        Assert.True(first.IsCompleted);
        Assert.False(second.IsCompleted);

        clock.Advance(TimeSpan.FromMilliseconds(499));
        Assert.False(second.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        await second;
        Assert.False(third.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(500));
        await third;
    }

    [Fact]
    public void A_rate_of_zero_means_no_limit()
    {
        var limiter = new IntervalRateLimiter(0, new ManualClock());
        Assert.All(Enumerable.Range(0, 10).Select(_ => limiter.WaitAsync(CancellationToken.None)), t => Assert.True(t.IsCompleted));
    }

    [Fact]
    public void Mounts_of_one_account_share_a_limiter_and_other_accounts_do_not()
    {
        var limiters = new SharedRateLimiters(new ManualClock());
        Assert.Same(limiters.For("aliyun", "u1", "list", 3.9), limiters.For("aliyun", "u1", "list", 3.9));
        Assert.NotSame(limiters.For("aliyun", "u1", "list", 3.9), limiters.For("aliyun", "u2", "list", 3.9));
        Assert.NotSame(limiters.For("aliyun", "u1", "list", 3.9), limiters.For("aliyun", "u1", "link", 0.9));
    }
}
