using Microsoft.Extensions.Logging;

namespace OpenList.DriverHost.Relay.Pages;

/// <summary>The pages' log lines: provider prefixes, modes and the relay's own reasons; never a code, state, id or token.</summary>
internal sealed partial class RelayPagesMiddleware
{
    [LoggerMessage(EventId = 540, Level = LogLevel.Information, Message = "Relay {Prefix}: {Mode} authorization started")]
    private static partial void LogFlowStarted(ILogger logger, string prefix, RelayFlowMode mode);

    [LoggerMessage(EventId = 541, Level = LogLevel.Information, Message = "Relay {Prefix}: the phone opened the QR link")]
    private static partial void LogPhoneOpened(ILogger logger, string prefix);

    [LoggerMessage(EventId = 542, Level = LogLevel.Warning, Message = "Relay {Prefix}: callback refused: {Reason}")]
    private static partial void LogCallbackRefused(ILogger logger, string prefix, string reason);

    [LoggerMessage(EventId = 543, Level = LogLevel.Warning, Message = "Relay {Prefix}: {Step} failed: {Error}")]
    private static partial void LogUpstreamFailed(ILogger logger, string prefix, string step, string error);

    [LoggerMessage(EventId = 544, Level = LogLevel.Information, Message = "Relay {Prefix}: {Mode} authorization succeeded")]
    private static partial void LogAuthorized(ILogger logger, string prefix, RelayFlowMode mode);

    [LoggerMessage(EventId = 545, Level = LogLevel.Information, Message = "Relay {Prefix}: device authorization ended: {Status}")]
    private static partial void LogDeviceEnded(ILogger logger, string prefix, RelayFlowStatus status);

    [LoggerMessage(EventId = 546, Level = LogLevel.Information, Message = "Relay {Prefix}: tokens shown on the result page")]
    private static partial void LogShown(ILogger logger, string prefix);

    [LoggerMessage(EventId = 547, Level = LogLevel.Warning, Message = "Relay {Prefix}: rate limit reached ({Bucket})")]
    private static partial void LogRateLimited(ILogger logger, string prefix, string bucket);
}
