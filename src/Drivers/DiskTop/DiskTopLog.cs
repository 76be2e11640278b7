using Microsoft.Extensions.Logging;

namespace OpenList.DriverHost.Drivers.DiskTop;

/// <summary>Source-generated log lines of the DiskTop driver (event ids 1400–1499). Tokens never appear here.</summary>
internal static partial class DiskTopLog
{
    [LoggerMessage(EventId = 1400, Level = LogLevel.Information, Message = "DiskTop storage {MountPath} is ready (root folder {RootFolderPath})")]
    public static partial void Ready(ILogger logger, string mountPath, string rootFolderPath);

    [LoggerMessage(EventId = 1401, Level = LogLevel.Information, Message = "DiskTop storage {MountPath}: {Operation} rejected the access token ({Reason}); renewing it and retrying once")]
    public static partial void AccessTokenRejected(ILogger logger, string mountPath, string operation, string reason);

    [LoggerMessage(EventId = 1402, Level = LogLevel.Warning, Message = "DiskTop storage {MountPath}: {Operation} was throttled (retry after {RetryAfter})")]
    public static partial void Throttled(ILogger logger, string mountPath, string operation, TimeSpan? retryAfter);

    [LoggerMessage(EventId = 1403, Level = LogLevel.Debug, Message = "DiskTop storage {MountPath} hides an entry of {Path}: {Reason}")]
    public static partial void EntryHidden(ILogger logger, string mountPath, StoragePath path, string reason);

    [LoggerMessage(EventId = 1404, Level = LogLevel.Warning, Message = "DiskTop storage {MountPath}: reading {Path} continues at byte {Offset}: {Reason}")]
    public static partial void ReadResumed(ILogger logger, string mountPath, StoragePath path, long offset, string reason);

    [LoggerMessage(EventId = 1405, Level = LogLevel.Information, Message = "DiskTop storage {MountPath}: {Path} was stored by instant upload (秒传, no bytes sent)")]
    public static partial void InstantUploaded(ILogger logger, string mountPath, StoragePath path);

    [LoggerMessage(EventId = 1406, Level = LogLevel.Warning, Message = "DiskTop storage {MountPath}: uploading {Path} failed at part {Part} ({Reason}); asking which parts arrived and resuming")]
    public static partial void UploadResuming(ILogger logger, string mountPath, StoragePath path, int part, string reason);

    [LoggerMessage(EventId = 1407, Level = LogLevel.Information, Message = "DiskTop storage {MountPath}: resuming {Path}: {Received} of {Total} parts already arrived")]
    public static partial void UploadResumed(ILogger logger, string mountPath, StoragePath path, int received, int total);

    [LoggerMessage(EventId = 1408, Level = LogLevel.Warning, Message = "DiskTop storage {MountPath}: complete of {Path} answered {Reason}; sending the missing parts")]
    public static partial void UploadIncomplete(ILogger logger, string mountPath, StoragePath path, string reason);

    [LoggerMessage(EventId = 1409, Level = LogLevel.Information, Message = "DiskTop storage {MountPath}: the upload of {Path} was aborted ({Reason})")]
    public static partial void UploadAborted(ILogger logger, string mountPath, StoragePath path, string reason);

    [LoggerMessage(EventId = 1410, Level = LogLevel.Warning, Message = "DiskTop storage {MountPath}: could not abort the upload session of {Path}; it expires on its own")]
    public static partial void AbortFailed(ILogger logger, string mountPath, StoragePath path, Exception exception);

    [LoggerMessage(EventId = 1411, Level = LogLevel.Warning, Message = "DiskTop storage {MountPath} could not remove {Path} after a failed operation")]
    public static partial void CleanupFailed(ILogger logger, string mountPath, StoragePath path, Exception exception);

    [LoggerMessage(EventId = 1412, Level = LogLevel.Warning, Message = "DiskTop storage {MountPath}: {Path} changed its entry count while it was listed ({Total} announced, {Seen} seen)")]
    public static partial void ListingShort(ILogger logger, string mountPath, StoragePath path, long total, long seen);
}
