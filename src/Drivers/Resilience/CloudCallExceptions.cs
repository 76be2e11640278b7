namespace OpenList.DriverHost.Drivers.Resilience;

/// <summary>A failure worth retrying for an idempotent call (5xx, a broken connection): drivers raise it from their classification.</summary>
public sealed class TransientCloudException : Exception
{
    public TransientCloudException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}

/// <summary>The provider throttled the call (HTTP 429 or its own throttling code); it was not carried out.</summary>
public sealed class ThrottledCloudException : Exception
{
    public ThrottledCloudException(string message, TimeSpan? retryAfter)
        : base(message)
    {
        RetryAfter = retryAfter;
    }

    /// <summary>The provider's Retry-After, when it sent one.</summary>
    public TimeSpan? RetryAfter { get; }
}
