namespace OpenList.DriverHost.CloudFakes;

public sealed record FakeCloudOptions
{
    /// <summary>
    /// The fake's clock: token and link expiry, rate-limit refill, timestamps and injected delays all use it.
    /// Kestrel's own timeouts do not.
    /// </summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Apply the providers' documented server-side rate limits (429 TooManyRequests).</summary>
    public bool EnforceRateLimits { get; init; } = true;
}
