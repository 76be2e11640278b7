using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;
using OpenList.DriverHost.Drivers.Diagnostics;
using OpenList.DriverHost.Drivers.Errors;

namespace OpenList.DriverHost.Drivers.Resilience;

/// <summary>What the pipeline needs to know about one call.</summary>
/// <param name="Operation">The API operation, for messages.</param>
/// <param name="Idempotent">Whether repeating the call is harmless: only then are transient failures retried.</param>
/// <param name="Limiter">The account's limiter for this class of call; a slot is taken per attempt, never held across a retry.</param>
public sealed record CloudCall(string Operation, bool Idempotent, IntervalRateLimiter? Limiter = null);

/// <summary>
/// One driver instance's resilience (Polly): per-attempt timeout, jittered retries of transient failures for
/// idempotent calls, throttled calls retried after the provider's Retry-After, and a circuit breaker so a dead
/// provider is answered with 503 at once instead of piling up requests. The driver classifies its own responses
/// (<see cref="TransientCloudException"/>, <see cref="ThrottledCloudException"/>, <see cref="StorageException"/>);
/// whatever is left after the pipeline leaves as a <see cref="StorageException"/>.
/// </summary>
public sealed class CloudCallPipeline
{
    private static readonly ResiliencePropertyKey<bool> IdempotentKey = new("driverhost.idempotent");
    private readonly ResiliencePipeline _pipeline;
    private readonly string _provider;
    private readonly CloudResilienceOptions _options;

    public CloudCallPipeline(string provider, CloudResilienceOptions options, TimeProvider time)
    {
        _provider = provider;
        _options = options;
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = Math.Max(options.MaxRetries, 1),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.BaseDelay,
                MaxDelay = options.MaxDelay,
                ShouldHandle = args => ValueTask.FromResult(options.MaxRetries > 0 && ShouldRetry(args.Outcome.Exception, args.Context)),
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Exception is ThrottledCloudException t
                    ? (TimeSpan?)(t.RetryAfter ?? options.DefaultThrottleWait)
                    : null),
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = options.BreakerFailureRatio,
                MinimumThroughput = Math.Max(options.BreakerMinimumThroughput, 2),
                SamplingDuration = options.BreakerSampling,
                BreakDuration = options.BreakDuration,
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome.Exception)),
            })
            .AddTimeout(options.AttemptTimeout)
            .Build();
    }

    /// <summary>Runs <paramref name="action"/> (one attempt: send, read, classify) under the pipeline.</summary>
    public async Task<T> ExecuteAsync<T>(CloudCall call, Func<CancellationToken, Task<T>> action, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(IdempotentKey, call.Idempotent);
        var outcome = "error";
        try
        {
            var result = await _pipeline.ExecuteAsync(
                static async (ctx, state) =>
                {
                    if (state.call.Limiter is { } limiter)
                    {
                        await limiter.WaitAsync(ctx.CancellationToken).ConfigureAwait(false);
                    }

                    return await state.action(ctx.CancellationToken).ConfigureAwait(false);
                },
                context,
                (call, action)).ConfigureAwait(false);
            outcome = "ok";
            return result;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            outcome = "cancelled";
            throw;
        }
        catch (BrokenCircuitException ex)
        {
            outcome = "unavailable";
            throw new StorageException(StorageErrorKind.Unavailable, $"{_provider} is failing; calls are paused briefly ({call.Operation})", ex.RetryAfter ?? _options.BreakDuration, ex);
        }
        catch (ThrottledCloudException ex)
        {
            outcome = "throttled";
            throw new StorageException(StorageErrorKind.RateLimited, $"{_provider} is throttling requests ({call.Operation})", ex.RetryAfter ?? _options.DefaultThrottleWait, ex);
        }
        catch (Exception ex) when (IsTransient(ex) && !cancellationToken.IsCancellationRequested)
        {
            outcome = "unavailable";
            throw new StorageException(StorageErrorKind.Unavailable, $"{_provider} is not responding ({call.Operation}: {Describe(ex)})", TimeSpan.FromSeconds(5), ex);
        }
        finally
        {
            DriverHostMetrics.UpstreamCall(_provider, call.Operation, outcome);
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private bool ShouldRetry(Exception? exception, ResilienceContext context) => exception switch
    {
        ThrottledCloudException t => (t.RetryAfter ?? _options.DefaultThrottleWait) <= _options.MaxThrottleWait,
        _ when IsTransient(exception) => context.Properties.GetValue(IdempotentKey, false),
        _ => false,
    };

    private static bool IsTransient(Exception? exception) =>
        exception is TransientCloudException or HttpRequestException or TimeoutRejectedException or IOException;

    private static string Describe(Exception ex) => ex switch
    {
        TimeoutRejectedException => "timed out",
        HttpRequestException or IOException => "connection failed",
        _ => ex.Message,
    };
}
