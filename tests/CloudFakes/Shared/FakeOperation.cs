namespace OpenList.DriverHost.CloudFakes.Shared;

/// <summary>
/// Endpoint metadata naming the provider and operation of a route: the request log records it and
/// <see cref="FaultInjector"/> rules match on <see cref="Operation"/>.
/// </summary>
internal sealed record FakeOperation(string Provider, string Operation, IFakeErrorWriter Errors)
{
    /// <summary>
    /// For routes that carry several operations (an OSS object URL is initiate, part, complete or abort depending
    /// on method and query): names the operation of one request. Null uses <see cref="Operation"/>.
    /// </summary>
    public Func<HttpRequest, string>? Classify { get; init; }

    /// <summary>
    /// For one path shared by two providers (<c>GET /oauth/authorize</c>: Aliyun and Disk.Top): picks the operation
    /// (provider, error format) of one request, so the log and injected faults speak that provider's format.
    /// </summary>
    public Func<HttpRequest, FakeOperation>? Resolve { get; init; }

    public const string AdminProvider = "_fake";

    public static readonly FakeOperation Unmatched = new("unknown", "unmatched", JsonErrorWriter.Instance);

    /// <summary>Admin routes are exempt from faults so a "down" fake can be brought back up.</summary>
    public bool IsAdmin => Provider == AdminProvider;

    public string NameFor(HttpRequest request) => Classify?.Invoke(request) ?? Operation;
}

/// <summary>A failure to answer with, whether injected or raised by an endpoint.</summary>
internal sealed record InjectedFailure(int Status, string Code, string Message, TimeSpan? RetryAfter = null);

/// <summary>Renders a failure in a provider's error format.</summary>
internal interface IFakeErrorWriter
{
    Task WriteAsync(HttpContext context, InjectedFailure failure);
}
