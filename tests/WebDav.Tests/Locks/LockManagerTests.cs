using OpenList.DriverHost.WebDav.Locks;
using OpenList.DriverHost.WebDav.Store;

namespace OpenList.DriverHost.WebDav.Tests.Locks;

public class LockManagerTests
{
    private sealed class ManualTime : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static readonly DavPath Coll = DavPath.Parse("/coll");
    private static readonly DavPath Member = DavPath.Parse("/coll/file");

    [Fact]
    public void A_lock_that_created_its_resource_stays_marked_through_a_refresh()
    {
        var locks = new LockManager(new ManualTime());
        var (created, _) = locks.TryLock(Member, false, exclusive: true, null, "u", TimeSpan.FromMinutes(1));
        Assert.False(created!.CreatedResource);
        Assert.True(locks.MarkCreatedResource(created.Token)!.CreatedResource);
        Assert.True(locks.Refresh(created.Token, Member, TimeSpan.FromMinutes(5))!.CreatedResource);
        Assert.True(locks.Find(created.Token)!.CreatedResource);
        Assert.Null(locks.MarkCreatedResource("opaquelocktoken:unknown"));
    }

    [Fact]
    public void Exclusive_conflicts_with_everything_shared_with_exclusive_only()
    {
        var locks = new LockManager(new ManualTime());
        var (first, _) = locks.TryLock(Member, false, exclusive: false, null, "u", TimeSpan.FromMinutes(1));
        Assert.NotNull(first);
        Assert.NotNull(locks.TryLock(Member, false, exclusive: false, null, "u", TimeSpan.FromMinutes(1)).Lock);
        var (denied, conflicts) = locks.TryLock(Member, false, exclusive: true, null, "u", TimeSpan.FromMinutes(1));
        Assert.Null(denied);
        Assert.Equal(2, conflicts.Count);
    }

    [Fact]
    public void Depth_infinity_covers_members_and_conflicts_with_locks_below()
    {
        var locks = new LockManager(new ManualTime());
        Assert.NotNull(locks.TryLock(Member, false, true, null, "u", TimeSpan.FromMinutes(1)).Lock);
        Assert.Null(locks.TryLock(Coll, true, true, null, "u", TimeSpan.FromMinutes(1)).Lock);
        Assert.NotNull(locks.TryLock(Coll, false, true, null, "u", TimeSpan.FromMinutes(1)).Lock); // depth 0 does not reach the member

        var other = new LockManager(new ManualTime());
        var (deep, _) = other.TryLock(Coll, true, true, null, "u", TimeSpan.FromMinutes(1));
        Assert.True(deep!.Covers(Member));
        Assert.Single(other.Covering(Member));
        Assert.Empty(other.Covering(DavPath.Parse("/collection2")));
    }

    [Fact]
    public void Locks_expire_and_refresh_extends_them()
    {
        var time = new ManualTime();
        var locks = new LockManager(time);
        var (l, _) = locks.TryLock(Member, false, true, null, "u", TimeSpan.FromSeconds(10));
        time.Now += TimeSpan.FromSeconds(8);
        Assert.NotNull(locks.Refresh(l!.Token, Member, TimeSpan.FromSeconds(10)));
        time.Now += TimeSpan.FromSeconds(8);
        Assert.NotNull(locks.Find(l.Token));
        time.Now += TimeSpan.FromSeconds(3);
        Assert.Null(locks.Find(l.Token));
        Assert.Empty(locks.Covering(Member));
        Assert.Null(locks.Refresh(l.Token, Member, TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void Tokens_are_unique_opaquelocktoken_uris()
    {
        var locks = new LockManager(new ManualTime());
        var a = locks.TryLock(DavPath.Parse("/a"), false, false, null, "", TimeSpan.FromMinutes(1)).Lock!;
        var b = locks.TryLock(DavPath.Parse("/a"), false, false, null, "", TimeSpan.FromMinutes(1)).Lock!;
        Assert.StartsWith("opaquelocktoken:", a.Token, StringComparison.Ordinal);
        Assert.NotEqual(a.Token, b.Token);
    }
}
