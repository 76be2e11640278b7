using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace OpenList.DriverHost.Hosting;

/// <summary>
/// The logger factory ASP.NET Core itself gets. It silences the framework categories that write request URLs with
/// their query strings — the hosting diagnostics ("Request starting GET …?refresh_ui=…") and Kestrel's bad-request
/// details — at every level, Debug and Trace included: OpenList's renew GET carries a refresh token there, and signed
/// links a signature. <see cref="RequestLoggingMiddleware"/> logs every request without its query instead.
/// </summary>
internal sealed class QueryFreeLoggerFactory : ILoggerFactory
{
    private static readonly string[] SilencedCategories =
    [
        "Microsoft.AspNetCore.Hosting.Diagnostics",
        "Microsoft.AspNetCore.Server.Kestrel.BadRequests",
    ];

    private readonly ILoggerFactory _inner;

    public QueryFreeLoggerFactory(ILoggerFactory inner) => _inner = inner;

    public ILogger CreateLogger(string categoryName) =>
        SilencedCategories.Any(c => categoryName.StartsWith(c, StringComparison.Ordinal)) ? NullLogger.Instance : _inner.CreateLogger(categoryName);

    public void AddProvider(ILoggerProvider provider) => _inner.AddProvider(provider);

    /// <summary>The wrapped factory belongs to the caller, who disposes it.</summary>
    public void Dispose()
    {
    }
}
