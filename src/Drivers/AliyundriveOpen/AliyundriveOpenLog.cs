using Microsoft.Extensions.Logging;

namespace OpenList.DriverHost.Drivers.AliyundriveOpen;

/// <summary>Source-generated log lines of the AliyundriveOpen driver (event ids 1200–1299). Tokens never appear here.</summary>
internal static partial class AliyundriveOpenLog
{
    [LoggerMessage(EventId = 1200, Level = LogLevel.Information, Message = "AliyundriveOpen storage {MountPath} serves the {DriveType} drive (root folder {RootFolderId})")]
    public static partial void Ready(ILogger logger, string mountPath, string driveType, string rootFolderId);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "AliyundriveOpen storage {MountPath}: {Operation} rejected the access token ({Code}); renewing it and retrying once")]
    public static partial void AccessTokenRejected(ILogger logger, string mountPath, string operation, string code);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Warning, Message = "AliyundriveOpen storage {MountPath}: {Operation} was throttled (retry after {RetryAfter})")]
    public static partial void Throttled(ILogger logger, string mountPath, string operation, TimeSpan? retryAfter);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Debug, Message = "AliyundriveOpen storage {MountPath} hides an entry of {Path}: {Reason}")]
    public static partial void EntryHidden(ILogger logger, string mountPath, StoragePath path, string reason);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Warning, Message = "AliyundriveOpen storage {MountPath} could not remove an older entry named like {Path}")]
    public static partial void DuplicateNotRemoved(ILogger logger, string mountPath, StoragePath path, Exception exception);

    [LoggerMessage(EventId = 1205, Level = LogLevel.Warning, Message = "AliyundriveOpen storage {MountPath}: part {Part} of {Path} failed (attempt {Attempt}: {Reason}); retrying")]
    public static partial void PartRetry(ILogger logger, string mountPath, StoragePath path, int part, int attempt, string reason);

    [LoggerMessage(EventId = 1206, Level = LogLevel.Information, Message = "AliyundriveOpen storage {MountPath}: fetched fresh part URLs for {Path}")]
    public static partial void UploadUrlsRefreshed(ILogger logger, string mountPath, StoragePath path);

    [LoggerMessage(EventId = 1207, Level = LogLevel.Warning, Message = "AliyundriveOpen storage {MountPath} could not discard the unfinished upload of {Path}")]
    public static partial void AbandonedUploadNotRemoved(ILogger logger, string mountPath, StoragePath path, Exception exception);

    [LoggerMessage(EventId = 1208, Level = LogLevel.Warning, Message = "AliyundriveOpen storage {MountPath} could not remove the spool file {SpoolFile}")]
    public static partial void SpoolNotRemoved(ILogger logger, string mountPath, string spoolFile, Exception exception);

    [LoggerMessage(EventId = 1209, Level = LogLevel.Debug, Message = "AliyundriveOpen storage {MountPath}: {Path} has {Count} entries of that name; showing the newest")]
    public static partial void DuplicatesCollapsed(ILogger logger, string mountPath, StoragePath path, int count);

    [LoggerMessage(EventId = 1210, Level = LogLevel.Information, Message = "AliyundriveOpen storage {MountPath}: {Path} was stored by rapid upload (no bytes sent)")]
    public static partial void RapidUploaded(ILogger logger, string mountPath, StoragePath path);

    [LoggerMessage(EventId = 1211, Level = LogLevel.Warning, Message = "AliyundriveOpen storage {MountPath}: reading {Path} continues at byte {Offset}: {Reason}")]
    public static partial void ReadResumed(ILogger logger, string mountPath, StoragePath path, long offset, string reason);

    [LoggerMessage(EventId = 1212, Level = LogLevel.Warning, Message = "AliyundriveOpen storage {MountPath}: a move of {Path} failed half way and could not be undone; it may sit in the target folder under its old name")]
    public static partial void MoveNotUndone(ILogger logger, string mountPath, StoragePath path, Exception exception);
}
