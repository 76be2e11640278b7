using OpenList.DriverHost.Drivers.Errors;
using OpenList.DriverHost.Drivers.Resilience;

namespace OpenList.DriverHost.Drivers.Tests.Resilience;

public sealed class CloudCallPipelineTests
{
    private static readonly CloudResilienceOptions Fast = new()
    {
        BaseDelay = TimeSpan.FromMilliseconds(1),
        MaxDelay = TimeSpan.FromMilliseconds(5),
        DefaultThrottleWait = TimeSpan.FromMilliseconds(5),
        MaxThrottleWait = TimeSpan.FromSeconds(1),
        BreakerMinimumThroughput = 100,
    };

    private static Func<CancellationToken, Task<int>> FailingTimes(int failures, Func<Exception> error, Box calls) => _ =>
        ++calls.Value <= failures ? Task.FromException<int>(error()) : Task.FromResult(calls.Value);

    [Fact]
    public async Task Transient_failures_of_idempotent_calls_are_retried()
    {
        var pipeline = new CloudCallPipeline("Aliyun", Fast, TimeProvider.System);
        var calls = new Box();
        var result = await pipeline.ExecuteAsync(new CloudCall("list", Idempotent: true), FailingTimes(2, () => new TransientCloudException("500"), calls), CancellationToken.None);
        Assert.Equal(3, result);
    }

    [Fact]
    public async Task Transient_failures_of_other_calls_are_not_retried_and_surface_as_Unavailable()
    {
        var pipeline = new CloudCallPipeline("Aliyun", Fast, TimeProvider.System);
        var calls = new Box();
        var ex = await Assert.ThrowsAsync<StorageException>(() => pipeline.ExecuteAsync(new CloudCall("create", Idempotent: false), FailingTimes(1, () => new HttpRequestException("reset"), calls), CancellationToken.None));
        Assert.Equal(StorageErrorKind.Unavailable, ex.Kind);
        Assert.Equal(1, calls.Value);
        Assert.Equal("Aliyun is not responding (create: connection failed)", ex.Message);
    }

    [Fact]
    public async Task Throttled_calls_are_retried_even_when_not_idempotent_because_they_were_not_carried_out()
    {
        var pipeline = new CloudCallPipeline("Aliyun", Fast, TimeProvider.System);
        var calls = new Box();
        var result = await pipeline.ExecuteAsync(new CloudCall("create", Idempotent: false), FailingTimes(2, () => new ThrottledCloudException("429", TimeSpan.FromMilliseconds(10)), calls), CancellationToken.None);
        Assert.Equal(3, result);
    }

    [Fact]
    public async Task A_throttle_longer_than_the_wait_limit_is_handed_to_the_client_with_its_retry_after()
    {
        var pipeline = new CloudCallPipeline("Aliyun", Fast, TimeProvider.System);
        var calls = new Box();
        var ex = await Assert.ThrowsAsync<StorageException>(() => pipeline.ExecuteAsync(new CloudCall("list", true), FailingTimes(5, () => new ThrottledCloudException("429", TimeSpan.FromSeconds(30)), calls), CancellationToken.None));
        Assert.Equal(StorageErrorKind.RateLimited, ex.Kind);
        Assert.Equal(TimeSpan.FromSeconds(30), ex.RetryAfter);
        Assert.Equal(1, calls.Value);
    }

    [Fact]
    public async Task Storage_errors_pass_through_untouched_and_are_not_retried()
    {
        var pipeline = new CloudCallPipeline("Aliyun", Fast, TimeProvider.System);
        var calls = new Box();
        var ex = await Assert.ThrowsAsync<StorageException>(() => pipeline.ExecuteAsync(new CloudCall("list", true), FailingTimes(5, () => StorageException.NotFound(StoragePath.Parse("/x")), calls), CancellationToken.None));
        Assert.Equal(StorageErrorKind.NotFound, ex.Kind);
        Assert.Equal(1, calls.Value);
    }

    [Fact]
    public async Task A_dead_provider_opens_the_circuit_so_later_calls_fail_at_once_without_reaching_it()
    {
        var options = Fast with { BreakerMinimumThroughput = 4, BreakDuration = TimeSpan.FromMinutes(1), MaxRetries = 0 };
        var pipeline = new CloudCallPipeline("Aliyun", options, TimeProvider.System);
        var calls = new Box();
        for (var i = 0; i < 4; i++)
        {
            await Assert.ThrowsAsync<StorageException>(() => pipeline.ExecuteAsync(new CloudCall("list", true), FailingTimes(100, () => new HttpRequestException("refused"), calls), CancellationToken.None));
        }

        var before = calls.Value;
        var ex = await Assert.ThrowsAsync<StorageException>(() => pipeline.ExecuteAsync(new CloudCall("list", true), FailingTimes(100, () => new HttpRequestException("refused"), calls), CancellationToken.None));
        Assert.Equal(before, calls.Value);
        Assert.Equal(StorageErrorKind.Unavailable, ex.Kind);
        Assert.NotNull(ex.RetryAfter);
    }

    [Fact]
    public async Task Cancellation_by_the_caller_is_not_turned_into_a_provider_error()
    {
        var pipeline = new CloudCallPipeline("Aliyun", Fast, TimeProvider.System);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pipeline.ExecuteAsync(new CloudCall("list", true), ct => Task.FromCanceled<int>(ct), cts.Token));
    }

    public sealed class Box
    {
        public int Value { get; set; }
    }
}
