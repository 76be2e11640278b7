using Microsoft.Extensions.Logging;

namespace OpenList.DriverHost.Caching;

internal static partial class ListingCacheLog
{
    [LoggerMessage(EventId = 300, Level = LogLevel.Debug, Message = "listed {MountPath} {Path}: {Count} entries in {ElapsedMs:0} ms")]
    public static partial void Listed(ILogger logger, string mountPath, string path, int count, double elapsedMs);

    [LoggerMessage(EventId = 301, Level = LogLevel.Debug, Message = "listing of {MountPath} {Path} not cached: a write changed the folder while it was read")]
    public static partial void NotStored(ILogger logger, string mountPath, string path);
}
