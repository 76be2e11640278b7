namespace OpenList.DriverHost.WebDav.Store;

/// <summary>
/// A known failure with the HTTP status to answer. Stores translate their own errors into this in one place;
/// handlers throw it for protocol errors. Never a 500.
/// </summary>
public sealed class DavException : Exception
{
    public DavException(int statusCode, string message, string? precondition = null, TimeSpan? retryAfter = null, Exception? inner = null)
        : base(message, inner)
    {
        StatusCode = statusCode;
        Precondition = precondition;
        RetryAfter = retryAfter;
    }

    public int StatusCode { get; }

    /// <summary>A DAV: precondition element name for the error body (<c>lock-token-submitted</c>, …).</summary>
    public string? Precondition { get; }

    /// <summary>Hrefs to list inside the precondition element (lock roots for 423).</summary>
    public IReadOnlyList<string> Hrefs { get; init; } = [];

    public TimeSpan? RetryAfter { get; }
}
