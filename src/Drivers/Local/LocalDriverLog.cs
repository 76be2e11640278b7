using Microsoft.Extensions.Logging;

namespace OpenList.DriverHost.Drivers.Local;

/// <summary>Source-generated log lines of the Local driver (event ids 1100–1199).</summary>
internal static partial class LocalDriverLog
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "Local storage {MountPath} serves {RootFolder} (mtime precision {Precision}, case-insensitive {CaseInsensitive})")]
    public static partial void Ready(ILogger logger, string mountPath, string rootFolder, TimeSpan? precision, bool caseInsensitive);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Error, Message = "Local storage {MountPath} cannot use its root folder {RootFolder}")]
    public static partial void RootUnusable(ILogger logger, string mountPath, string rootFolder, Exception? exception);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "Local storage {MountPath} could not remove the temporary upload file {TempFile}")]
    public static partial void TempFileNotRemoved(ILogger logger, string mountPath, string tempFile, Exception exception);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Debug, Message = "Local storage {MountPath} hides {Path}/{Name}: {Reason}")]
    public static partial void EntryHidden(ILogger logger, string mountPath, StoragePath path, string name, string reason);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Warning, Message = "Local storage {MountPath} could not probe the modification-time precision; assuming {Precision}")]
    public static partial void PrecisionProbeFailed(ILogger logger, string mountPath, TimeSpan precision, Exception exception);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Warning, Message = "Local storage {MountPath} could not read free space")]
    public static partial void QuotaFailed(ILogger logger, string mountPath, Exception exception);

    [LoggerMessage(EventId = 1106, Level = LogLevel.Warning, Message = "Local storage {MountPath} refused {Path}: a symbolic link leads outside the root")]
    public static partial void LinkEscapes(ILogger logger, string mountPath, StoragePath path);
}
