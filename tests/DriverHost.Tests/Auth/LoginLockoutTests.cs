using System.Net;
using OpenList.DriverHost.Auth;

namespace OpenList.DriverHost.DriverHost.Tests.AuthTests;

public sealed class LoginLockoutTests
{
    private static readonly IPAddress Client = IPAddress.Parse("203.0.113.7");
    private readonly ManualTimeProvider _time = new();

    [Fact]
    public void Five_failures_block_for_five_minutes_then_release()
    {
        var lockout = new LoginLockout(_time);

        for (var i = 0; i < 4; i++)
        {
            Assert.False(lockout.RecordFailure(Client));
            Assert.False(lockout.IsBlocked(Client, out _));
        }

        Assert.True(lockout.RecordFailure(Client));
        Assert.True(lockout.IsBlocked(Client, out var retryAfter));
        Assert.Equal(TimeSpan.FromMinutes(5), retryAfter);
        Assert.False(lockout.IsBlocked(IPAddress.Parse("203.0.113.8"), out _));

        _time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        Assert.True(lockout.IsBlocked(Client, out retryAfter));
        Assert.Equal(TimeSpan.FromSeconds(1), retryAfter);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(lockout.IsBlocked(Client, out _));

        // A fresh allowance after the block, not an instant re-block.
        Assert.False(lockout.RecordFailure(Client));
        Assert.False(lockout.IsBlocked(Client, out _));
    }

    [Fact]
    public void Attempts_while_blocked_do_not_extend_the_block()
    {
        var lockout = Blocked();

        _time.Advance(TimeSpan.FromMinutes(4));
        lockout.RecordFailure(Client);
        _time.Advance(TimeSpan.FromMinutes(1));

        Assert.False(lockout.IsBlocked(Client, out _));
    }

    [Fact]
    public void Success_clears_the_failures()
    {
        var lockout = new LoginLockout(_time);
        for (var i = 0; i < 4; i++)
        {
            lockout.RecordFailure(Client);
        }

        lockout.RecordSuccess(Client);

        Assert.False(lockout.RecordFailure(Client));
        Assert.False(lockout.IsBlocked(Client, out _));
    }

    [Fact]
    public void Failures_older_than_the_window_are_forgotten()
    {
        var lockout = new LoginLockout(_time);
        for (var i = 0; i < 4; i++)
        {
            lockout.RecordFailure(Client);
        }

        _time.Advance(lockout.Window);

        Assert.False(lockout.RecordFailure(Client));
        Assert.False(lockout.IsBlocked(Client, out _));
    }

    [Fact]
    public void Ipv6_clients_are_grouped_per_64_and_mapped_ipv4_is_ipv4()
    {
        var lockout = new LoginLockout(_time);
        for (var i = 1; i <= 5; i++)
        {
            lockout.RecordFailure(IPAddress.Parse($"2001:db8:1:2::{i}"));
        }

        Assert.True(lockout.IsBlocked(IPAddress.Parse("2001:db8:1:2:ffff::9"), out _));
        Assert.False(lockout.IsBlocked(IPAddress.Parse("2001:db8:1:3::1"), out _));
        Assert.Equal(LoginLockout.KeyOf(Client), LoginLockout.KeyOf(Client.MapToIPv6()));
    }

    [Fact]
    public void Memory_stays_bounded_under_many_clients()
    {
        var lockout = new LoginLockout(_time, maxEntries: 50);

        for (var i = 0; i < 1000; i++)
        {
            lockout.RecordFailure(new IPAddress([10, 0, (byte)(i / 256), (byte)(i % 256)]));
        }

        Assert.InRange(lockout.TrackedClients, 1, 50);
    }

    private LoginLockout Blocked()
    {
        var lockout = new LoginLockout(_time);
        for (var i = 0; i < 5; i++)
        {
            lockout.RecordFailure(Client);
        }

        Assert.True(lockout.IsBlocked(Client, out _));
        return lockout;
    }
}
