using OpenList.DriverHost.Caching;

namespace OpenList.DriverHost.DriverHost.Tests.Caching;

public sealed class SingleFlightTests
{
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(30));

    [Fact]
    public async Task Callers_of_one_key_share_one_load_and_different_keys_do_not()
    {
        var flights = new SingleFlight<string, int>(StringComparer.Ordinal);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var loads = 0;
        async Task<int> Load(CancellationToken ct)
        {
            var n = Interlocked.Increment(ref loads);
            await release.Task.WaitAsync(ct);
            return n;
        }

        var a1 = flights.RunAsync("a", Load, _timeout.Token);
        var a2 = flights.RunAsync("a", Load, _timeout.Token);
        var b = flights.RunAsync("b", Load, _timeout.Token);
        Assert.Equal(2, flights.Running);
        release.SetResult();

        Assert.Equal(await a1, await a2);
        Assert.NotEqual(await a1, await b);
        Assert.Equal(2, loads);
        Assert.Equal(0, flights.Running);
    }

    [Fact]
    public async Task An_error_reaches_every_waiter_and_the_next_call_loads_again()
    {
        var flights = new SingleFlight<string, int>();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        async Task<int> Failing(CancellationToken ct)
        {
            Interlocked.Increment(ref calls);
            await release.Task.WaitAsync(ct);
            throw new InvalidOperationException("boom");
        }

        var first = flights.RunAsync("k", Failing, _timeout.Token);
        var second = flights.RunAsync("k", Failing, _timeout.Token);
        release.SetResult();
        var e1 = await Assert.ThrowsAsync<InvalidOperationException>(() => first);
        var e2 = await Assert.ThrowsAsync<InvalidOperationException>(() => second);
        Assert.Same(e1, e2);
        Assert.Equal(1, calls);

        Assert.Equal(7, await flights.RunAsync("k", _ => Task.FromResult(7), _timeout.Token));
    }
}
