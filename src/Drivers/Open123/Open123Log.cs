using Microsoft.Extensions.Logging;

namespace OpenList.DriverHost.Drivers.Open123;

/// <summary>Source-generated log lines of the 123 Open driver (event ids 1300–1399). Tokens, secrets and links never appear here.</summary>
internal static partial class Open123Log
{
    [LoggerMessage(EventId = 1300, Level = LogLevel.Information, Message = "123 Open storage {MountPath} is ready (root folder {RootFolderId}, tokens: {TokenMode})")]
    public static partial void Ready(ILogger logger, string mountPath, string rootFolderId, Open123TokenMode? tokenMode);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Information, Message = "123 Open storage {MountPath}: {Operation} rejected the access token ({Code}); renewing it and retrying once")]
    public static partial void AccessTokenRejected(ILogger logger, string mountPath, string operation, string code);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Warning, Message = "123 Open storage {MountPath}: {Operation} was throttled (retry after {RetryAfter})")]
    public static partial void Throttled(ILogger logger, string mountPath, string operation, TimeSpan? retryAfter);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Debug, Message = "123 Open storage {MountPath} hides an entry of {Path}: {Reason}")]
    public static partial void EntryHidden(ILogger logger, string mountPath, StoragePath path, string reason);

    [LoggerMessage(EventId = 1304, Level = LogLevel.Warning, Message = "123 Open storage {MountPath} could not reach 123 while starting ({Reason}); requests will try again")]
    public static partial void NotReadyYet(ILogger logger, string mountPath, string reason);

    [LoggerMessage(EventId = 1305, Level = LogLevel.Warning, Message = "123 Open storage {MountPath}: slice {Slice} of {Path} failed (attempt {Attempt}: {Reason}); retrying")]
    public static partial void SliceRetry(ILogger logger, string mountPath, StoragePath path, int slice, int attempt, string reason);

    [LoggerMessage(EventId = 1306, Level = LogLevel.Information, Message = "123 Open storage {MountPath}: {Path} was stored by instant upload ({Hash}; no bytes sent)")]
    public static partial void InstantUpload(ILogger logger, string mountPath, StoragePath path, string hash);

    [LoggerMessage(EventId = 1307, Level = LogLevel.Debug, Message = "123 Open storage {MountPath}: {Path} is not complete yet (poll {Poll})")]
    public static partial void NotCompleteYet(ILogger logger, string mountPath, StoragePath path, int poll);

    [LoggerMessage(EventId = 1308, Level = LogLevel.Information, Message = "123 Open storage {MountPath}: sha1_reuse of {Path} failed ({Reason}); uploading by MD5")]
    public static partial void Sha1ReuseFailed(ILogger logger, string mountPath, StoragePath path, string reason);

    [LoggerMessage(EventId = 1309, Level = LogLevel.Warning, Message = "123 Open storage {MountPath}: a move of {Path} failed half way and could not be undone; it may sit in the target folder under its old name")]
    public static partial void MoveNotUndone(ILogger logger, string mountPath, StoragePath path, Exception exception);

    [LoggerMessage(EventId = 1310, Level = LogLevel.Warning, Message = "123 Open storage {MountPath} could not remove the partial copy {Path}")]
    public static partial void PartialCopyNotRemoved(ILogger logger, string mountPath, StoragePath path, Exception exception);

    [LoggerMessage(EventId = 1311, Level = LogLevel.Warning, Message = "123 Open storage {MountPath}: the download link of {Path} failed ({Reason} at byte {Offset}); trying again")]
    public static partial void ReadRetry(ILogger logger, string mountPath, StoragePath path, string reason, long offset);
}
