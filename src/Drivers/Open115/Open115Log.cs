using Microsoft.Extensions.Logging;

namespace OpenList.DriverHost.Drivers.Open115;

/// <summary>Source-generated log lines of the 115 Open driver (event ids 1300–1399). Tokens never appear here.</summary>
internal static partial class Open115Log
{
    [LoggerMessage(EventId = 1300, Level = LogLevel.Information, Message = "115 Open storage {MountPath} is ready (root folder {RootFolderId})")]
    public static partial void Ready(ILogger logger, string mountPath, string rootFolderId);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Information, Message = "115 Open storage {MountPath}: {Operation} rejected the access token (code {Code}); renewing it and retrying once")]
    public static partial void AccessTokenRejected(ILogger logger, string mountPath, string operation, string code);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Warning, Message = "115 Open storage {MountPath}: {Operation} was throttled (retry after {RetryAfter})")]
    public static partial void Throttled(ILogger logger, string mountPath, string operation, TimeSpan? retryAfter);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Debug, Message = "115 Open storage {MountPath} hides an entry of {Path}: {Reason}")]
    public static partial void EntryHidden(ILogger logger, string mountPath, StoragePath path, string reason);

    [LoggerMessage(EventId = 1304, Level = LogLevel.Warning, Message = "115 Open storage {MountPath} could not remove an older entry named like {Path}")]
    public static partial void DuplicateNotRemoved(ILogger logger, string mountPath, StoragePath path, Exception exception);

    [LoggerMessage(EventId = 1305, Level = LogLevel.Warning, Message = "115 Open storage {MountPath}: part {Part} of {Path} failed (attempt {Attempt}: {Reason}); retrying")]
    public static partial void PartRetry(ILogger logger, string mountPath, StoragePath path, int part, int attempt, string reason);

    [LoggerMessage(EventId = 1306, Level = LogLevel.Information, Message = "115 Open storage {MountPath}: {Path} was stored by instant upload (秒传, no bytes sent)")]
    public static partial void InstantUploaded(ILogger logger, string mountPath, StoragePath path);

    [LoggerMessage(EventId = 1307, Level = LogLevel.Information, Message = "115 Open storage {MountPath}: {Path} needs the sign check of bytes {Range}")]
    public static partial void SignCheck(ILogger logger, string mountPath, StoragePath path, string range);

    [LoggerMessage(EventId = 1308, Level = LogLevel.Debug, Message = "115 Open storage {MountPath}: {Path} has {Count} entries of that name; showing the newest")]
    public static partial void DuplicatesCollapsed(ILogger logger, string mountPath, StoragePath path, int count);

    [LoggerMessage(EventId = 1309, Level = LogLevel.Warning, Message = "115 Open storage {MountPath}: reading {Path} continues at byte {Offset}: {Reason}")]
    public static partial void ReadResumed(ILogger logger, string mountPath, StoragePath path, long offset, string reason);

    [LoggerMessage(EventId = 1310, Level = LogLevel.Warning, Message = "115 Open storage {MountPath} could not remove the staging folder {Path}")]
    public static partial void StagingNotRemoved(ILogger logger, string mountPath, StoragePath path, Exception exception);

    [LoggerMessage(EventId = 1311, Level = LogLevel.Warning, Message = "115 Open storage {MountPath}: {Path} changed its entry count while it was listed ({Count} announced, {Seen} seen)")]
    public static partial void ListingShort(ILogger logger, string mountPath, StoragePath path, long count, long seen);
}
