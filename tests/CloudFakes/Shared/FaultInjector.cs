using OpenList.DriverHost.CloudFakes.Shared;

namespace OpenList.DriverHost.CloudFakes;

/// <summary>
/// Fault injection shared by every provider of the fake. Rules match an operation name — the provider's API
/// path (e.g. "/adrive/v1.0/openFile/list", "/oauth/access_token", "/open/ufile/files", "/open/refreshToken")
/// or one of "download", "upload-part", "relay", "oss-initiate", "oss-part", "oss-complete", "oss-put",
/// "oss-abort", "oss-list-parts", "oss-callback" — or "*" for any operation. Counted rules are consumed in the
/// order they were added. Admin routes under /_fake/ are never affected. Each provider renders a failure in its
/// own shape (115: status 200 with a numeric code is a <c>state:false</c> business error).
/// </summary>
public sealed class FaultInjector
{
    private readonly Lock gate = new();
    private readonly List<CountedFailure> counted = [];
    private readonly List<RatioFailure> ratios = [];
    private readonly List<DelayRule> delays = [];
    private readonly Queue<long> downloadDrops = new();
    private volatile bool down;

    /// <summary>While true every request has its connection aborted without an answer ("provider dead").</summary>
    public bool IsDown => down;

    /// <summary>
    /// Answers the next <paramref name="count"/> matching calls with <paramref name="status"/> and an error body
    /// carrying <paramref name="code"/> (default by status: 5xx "InternalError", 429 "TooManyRequests",
    /// 401 "AccessTokenInvalid", 404 "NotFound.File", 409 "AlreadyExist.File", 403 "PermissionDenied",
    /// 400 "InvalidParameter").
    /// </summary>
    public void FailNext(string operation, int count, int status, string? code = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (gate)
        {
            counted.Add(new CountedFailure(operation, count, new InjectedFailure(status, code ?? DefaultCode(status), "Injected fault.")));
        }
    }

    /// <summary>Fails roughly <paramref name="ratio"/> of matching calls; with a seed the pattern is reproducible.</summary>
    public void FailRatio(string operation, double ratio, int status, int? seed = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(ratio);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ratio, 1.0);
        lock (gate)
        {
            var random = seed is { } s ? new Random(s) : new Random();
            ratios.Add(new RatioFailure(operation, ratio, random, new InjectedFailure(status, DefaultCode(status), "Injected fault.")));
        }
    }

    /// <summary>The next <paramref name="count"/> matching calls answer 429 TooManyRequests with a Retry-After header (whole seconds, rounded up).</summary>
    public void Throttle(string operation, int count, TimeSpan retryAfter)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (gate)
        {
            counted.Add(new CountedFailure(operation, count, new InjectedFailure(429, "TooManyRequests", "Too Many Requests", retryAfter)));
        }
    }

    /// <summary>
    /// Holds matching calls for <paramref name="delay"/> before they are handled. The wait runs on the fake's
    /// <see cref="FakeCloudOptions.Time"/>, so with a manual clock it lasts until the test advances it.
    /// </summary>
    public void Delay(string operation, TimeSpan delay, int count = int.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (gate)
        {
            delays.Add(new DelayRule(operation, delay, count));
        }
    }

    public void SetDown(bool isDown) => down = isDown;

    /// <summary>The next <paramref name="count"/> download responses send <paramref name="bytes"/> body bytes, then the connection is aborted.</summary>
    public void DropDownloadAfter(long bytes, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        lock (gate)
        {
            for (var i = 0; i < count; i++)
            {
                downloadDrops.Enqueue(bytes);
            }
        }
    }

    /// <summary>Removes every rule and brings the fake back up.</summary>
    public void Clear()
    {
        lock (gate)
        {
            counted.Clear();
            ratios.Clear();
            delays.Clear();
            downloadDrops.Clear();
            down = false;
        }
    }

    internal TimeSpan TakeDelay(string operation)
    {
        lock (gate)
        {
            var rule = delays.Find(r => r.Remaining > 0 && Matches(r.Operation, operation));
            if (rule is null)
            {
                return TimeSpan.Zero;
            }

            rule.Remaining--;
            return rule.Delay;
        }
    }

    internal InjectedFailure? TakeFailure(string operation)
    {
        lock (gate)
        {
            var rule = counted.Find(r => r.Remaining > 0 && Matches(r.Operation, operation));
            if (rule is not null)
            {
                rule.Remaining--;
                return rule.Failure;
            }

            foreach (var ratio in ratios.Where(r => Matches(r.Operation, operation)))
            {
                if (ratio.Random.NextDouble() < ratio.Ratio)
                {
                    return ratio.Failure;
                }
            }

            return null;
        }
    }

    /// <summary>How many body bytes the next download may send before being cut, or null for no limit.</summary>
    internal long? TakeDownloadDrop()
    {
        lock (gate)
        {
            return downloadDrops.TryDequeue(out var bytes) ? bytes : null;
        }
    }

    internal static string DefaultCode(int status) => status switch
    {
        >= 500 => "InternalError",
        429 => "TooManyRequests",
        401 => "AccessTokenInvalid",
        403 => "PermissionDenied",
        404 => "NotFound.File",
        409 => "AlreadyExist.File",
        400 => "InvalidParameter",
        _ => "InjectedFault",
    };

    private static bool Matches(string rule, string operation) => rule == "*" || rule == operation;

    private sealed class CountedFailure(string operation, int remaining, InjectedFailure failure)
    {
        public string Operation { get; } = operation;

        public int Remaining { get; set; } = remaining;

        public InjectedFailure Failure { get; } = failure;
    }

    private sealed record RatioFailure(string Operation, double Ratio, Random Random, InjectedFailure Failure);

    private sealed class DelayRule(string operation, TimeSpan delay, int remaining)
    {
        public string Operation { get; } = operation;

        public TimeSpan Delay { get; } = delay;

        public int Remaining { get; set; } = remaining;
    }
}
