namespace OpenList.DriverHost.CloudFakes.Shared;

/// <summary>An API error the fake answers with; each provider's route wrapper renders it in that provider's shape.</summary>
internal sealed class FakeApiException(int status, string code, string message, TimeSpan? retryAfter = null) : Exception(message)
{
    public int Status { get; } = status;

    public string Code { get; } = code;

    public TimeSpan? RetryAfter { get; } = retryAfter;

    public InjectedFailure ToFailure() => new(Status, Code, Message, RetryAfter);
}
