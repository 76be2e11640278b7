namespace OpenList.DriverHost.CloudFakes;

/// <summary>
/// One request the fake answered. <see cref="Path"/> never includes the query string (signed links and
/// the relay carry tokens there). <see cref="Status"/> is 0 when the connection was aborted before a status
/// was sent (e.g. <see cref="FaultInjector.SetDown"/>) or while it is still in flight; <see cref="Aborted"/> is also set when a response was
/// cut short after its status (e.g. <see cref="FaultInjector.DropDownloadAfter"/>).
/// </summary>
public sealed record LoggedRequest(
    string Provider,
    string Operation,
    string Method,
    string Path,
    int Status,
    DateTimeOffset Time,
    string? UserAgent,
    bool Aborted);

/// <summary>
/// Every request every provider of the fake received, in arrival order. An entry is added when the request
/// arrives and gets its status just before the response headers leave, so a client never sees an answer
/// the log does not know about yet.
/// </summary>
public sealed class RequestLog
{
    private readonly Lock gate = new();
    private readonly List<RequestLogEntry> entries = [];

    public IReadOnlyList<LoggedRequest> Snapshot()
    {
        lock (gate)
        {
            return entries.Select(e => e.ToRecord()).ToArray();
        }
    }

    /// <summary>How many requests had this operation name ("*" counts all).</summary>
    public int Count(string operation)
    {
        lock (gate)
        {
            return operation == "*" ? entries.Count : entries.Count(e => e.Operation == operation);
        }
    }

    public void Clear()
    {
        lock (gate)
        {
            entries.Clear();
        }
    }

    internal RequestLogEntry Begin(string provider, string operation, string method, string path, DateTimeOffset time, string? userAgent)
    {
        var entry = new RequestLogEntry(provider, operation, method, path, time, userAgent);
        lock (gate)
        {
            entries.Add(entry);
        }

        return entry;
    }
}

/// <summary>A log entry while its request is in flight; status and abort flag are filled in as they happen.</summary>
internal sealed class RequestLogEntry(string provider, string operation, string method, string path, DateTimeOffset time, string? userAgent)
{
    private int status;
    private int aborted;

    public string Operation { get; } = operation;

    public int Status
    {
        get => Volatile.Read(ref status);
        set => Volatile.Write(ref status, value);
    }

    public bool Aborted
    {
        get => Volatile.Read(ref aborted) != 0;
        set => Volatile.Write(ref aborted, value ? 1 : 0);
    }

    public LoggedRequest ToRecord() => new(provider, Operation, method, path, Status, time, userAgent, Aborted);
}
