namespace OpenList.DriverHost.CloudFakes.Shared;

/// <summary>Token buckets keyed by (user, app, class), refilled from the fake's clock.</summary>
internal sealed class TokenBucketLimiter(TimeProvider time)
{
    private readonly Lock gate = new();
    private readonly Dictionary<(string User, string App, string Class), Bucket> buckets = [];

    /// <summary>Takes one token; false (with the wait until the next one) when the bucket is empty.</summary>
    public bool TryTake(string user, string app, string rateClass, double perSecond, double burst, out TimeSpan retryAfter)
    {
        var now = time.GetUtcNow();
        lock (gate)
        {
            if (!buckets.TryGetValue((user, app, rateClass), out var bucket))
            {
                bucket = new Bucket { Tokens = burst, Updated = now };
                buckets.Add((user, app, rateClass), bucket);
            }

            var elapsed = Math.Max(0, (now - bucket.Updated).TotalSeconds);
            bucket.Tokens = Math.Min(burst, bucket.Tokens + (elapsed * perSecond));
            bucket.Updated = now;
            if (bucket.Tokens >= 1)
            {
                bucket.Tokens -= 1;
                retryAfter = TimeSpan.Zero;
                return true;
            }

            retryAfter = TimeSpan.FromSeconds((1 - bucket.Tokens) / perSecond);
            return false;
        }
    }

    public void Reset()
    {
        lock (gate)
        {
            buckets.Clear();
        }
    }

    private sealed class Bucket
    {
        public double Tokens { get; set; }

        public DateTimeOffset Updated { get; set; }
    }
}
