using OpenList.DriverHost.Drivers.Errors;
using OpenList.DriverHost.Drivers.Resilience;
using OpenList.DriverHost.Drivers.Tests.TestSupport;
using static OpenList.DriverHost.Drivers.Tests.Open123.Open123TestExtensions;

namespace OpenList.DriverHost.Drivers.Tests.Open123;

/// <summary>
/// Throttling (cloud-apis.md §3.2, §3.7): body code 429 is waited out and retried a bounded number of times;
/// client-side limits per API at the documented QPS, shared by the mounts of one account, with a slot taken per
/// attempt and never held across a retry (OpenList's deadlock with one-slot APIs).
/// </summary>
public sealed class Open123RateLimitTests : IAsyncLifetime
{
    private const string ListPath = "/api/v2/file/list";
    private const string RenamePath = "/api/v1/file/name";
    private static readonly Dictionary<string, object?> DocumentedRates = new() { ["rate_limit_scale"] = 1 };
    private Open123TestCloud _cloud = null!;

    public async Task InitializeAsync() => _cloud = await Open123TestCloud.StartAsync();

    public Task DisposeAsync() => _cloud.DisposeAsync();

    [Fact]
    public async Task A429Storm_IsWaitedOut_AndTheCallGoesThrough()
    {
        // §3.2: 429 → "Sleep ..., then loop and retry"; here after a second each (the documented windows are per second).
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var account = _cloud.Open123.CreateAccount();
        account.AddFile("/a.txt", Bytes(1));
        await using var d = await _cloud.CreateDriverAsync(account, time: clock);
        _cloud.Fake.Faults.FailNext(ListPath, 4, 429);

        var names = d.Driver.NamesAsync("/");
        await clock.RunAsync(names, TimeSpan.FromSeconds(5));

        Assert.Equal(["a.txt"], await names);
        var attempts = d.Http.To(ListPath);
        Assert.Equal(5, attempts.Count);
        Assert.All(attempts.Zip(attempts.Skip(1)), pair => Assert.True(pair.Second.At - pair.First.At >= TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task A429StormLongerThanTheBound_IsRateLimited_WithARetryAfter()
    {
        // OpenList retries 429 without end; the driver stops after six attempts and hands the wait to the client.
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var d = await _cloud.CreateDriverAsync(time: clock);
        _cloud.Fake.Faults.FailNext(ListPath, 100, 429);

        var names = d.Driver.NamesAsync("/");
        await clock.RunAsync(Task.WhenAny(names), TimeSpan.FromSeconds(5));

        var error = await AssertKindAsync(StorageErrorKind.RateLimited, () => names);
        Assert.NotNull(error.RetryAfter);
        Assert.Equal(6, d.Http.To(ListPath).Count);
    }

    [Fact]
    public async Task AOneSlotApi_RetriedAfter429_DoesNotDeadlock()
    {
        // §3.7 caveat: OpenList holds the slot across its retry loop, "so an API with 1 slot would deadlock on a retry".
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var account = _cloud.Open123.CreateAccount();
        account.AddFile("/old.txt", Bytes(1));
        await using var d = await _cloud.CreateDriverAsync(account, addition: DocumentedRates, time: clock);
        _cloud.Fake.Faults.FailNext(RenamePath, 2, 429);

        var move = d.Driver.MoveAsync(StoragePath.Parse("/old.txt"), StoragePath.Parse("/new.txt"), CancellationToken.None);
        await clock.RunAsync(move, TimeSpan.FromSeconds(5));

        await move;
        Assert.Equal(["new.txt"], account.ListNames("/"));
        Assert.Equal(3, d.Http.To(RenamePath).Count);
    }

    [Fact]
    public async Task ACallWaitingOutA429_DoesNotHoldUpTheNextCallOfThatApi()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var account = _cloud.Open123.CreateAccount();
        account.AddFolder("/a");
        account.AddFolder("/b");
        await using var d = await _cloud.CreateDriverAsync(account, addition: DocumentedRates, time: clock);
        await clock.RunAsync(d.Driver.StatAsync("/a"), TimeSpan.FromSeconds(1));
        await clock.RunAsync(d.Driver.StatAsync("/b"), TimeSpan.FromSeconds(1));
        clock.Advance(TimeSpan.FromSeconds(1));
        _cloud.Fake.Faults.FailNext(ListPath, 1, 429);
        d.Http.Clear();

        var first = d.Driver.NamesAsync("/a");
        await WaitUntilAsync(() => d.Http.To(ListPath).Count == 1 && d.Http.To(ListPath)[0].Status == 200);
        var second = d.Driver.NamesAsync("/b");
        await Task.Delay(50);
        clock.Advance(TimeSpan.FromMilliseconds(200)); // one list slot (5 per second), far less than the 429 wait
        Assert.Empty(await second);

        Assert.False(first.IsCompleted); // still waiting out its second
        await clock.RunAsync(first, TimeSpan.FromSeconds(1));
        Assert.Empty(await first);
    }

    [Fact]
    public async Task CallsOfOneApi_AreSpacedAtItsDocumentedRate()
    {
        // §3.7: v2 file/list 5 per second (server, free), rename 1 per second (OpenList's slots).
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var account = _cloud.Open123.CreateAccount();
        for (var i = 0; i < 3; i++)
        {
            account.AddFile($"/f{i}.txt", Bytes(1, seed: i));
        }

        await using var d = await _cloud.CreateDriverAsync(account, addition: DocumentedRates, time: clock);
        d.Http.Clear();

        var work = Task.Run(async () =>
        {
            for (var i = 0; i < 3; i++)
            {
                await d.Driver.NamesAsync("/");
            }

            for (var i = 0; i < 3; i++)
            {
                await d.Driver.MoveAsync(StoragePath.Parse($"/f{i}.txt"), StoragePath.Parse($"/g{i}.txt"), CancellationToken.None);
            }
        });
        await clock.RunAsync(work, TimeSpan.FromSeconds(1));

        var renames = d.Http.To(RenamePath).Select(r => r.At).ToList();
        Assert.Equal(3, renames.Count);
        Assert.All(renames.Zip(renames.Skip(1)), pair => Assert.True(pair.Second - pair.First >= TimeSpan.FromSeconds(1), $"renames {pair.First:O} and {pair.Second:O}"));
        var lists = d.Http.To(ListPath).Select(r => r.At).ToList();
        Assert.All(lists.Zip(lists.Skip(1)), pair => Assert.True(pair.Second - pair.First >= TimeSpan.FromMilliseconds(200), $"lists {pair.First:O} and {pair.Second:O}"));
    }

    [Fact]
    public async Task TwoMountsOfOneAccount_ShareItsBudget()
    {
        // The server counts per user: mounts of one uid share the limiter (SharedRateLimiters keyed by uid).
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var limiters = new SharedRateLimiters(clock);
        var account = _cloud.Open123.CreateAccount();
        await using var one = await _cloud.CreateDriverAsync(account, addition: DocumentedRates, time: clock, rateLimiters: limiters);
        var starting = _cloud.CreateDriverAsync(account, addition: DocumentedRates, time: clock, rateLimiters: limiters);
        await clock.RunAsync(starting, TimeSpan.FromSeconds(1)); // user/info is shared too
        await using var two = await starting;
        clock.Advance(TimeSpan.FromSeconds(1));

        var work = Task.WhenAll(one.Driver.NamesAsync("/"), two.Driver.NamesAsync("/"), one.Driver.NamesAsync("/"), two.Driver.NamesAsync("/"));
        await clock.RunAsync(work, TimeSpan.FromSeconds(1));

        var lists = one.Http.To(ListPath).Concat(two.Http.To(ListPath)).Select(r => r.At).Order().ToList();
        Assert.Equal(4, lists.Count);
        Assert.Equal(TimeSpan.FromMilliseconds(600), lists[^1] - lists[0]);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }
}
