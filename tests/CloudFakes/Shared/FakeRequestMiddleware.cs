using Microsoft.Extensions.Logging;

namespace OpenList.DriverHost.CloudFakes.Shared;

/// <summary>
/// Runs around every endpoint: applies injected faults (down, delay, fail/throttle), turns stray exceptions
/// into 500s, and records the request in the <see cref="RequestLog"/>. Never logs query strings or headers
/// other than User-Agent: links and relay calls carry tokens there.
/// </summary>
internal sealed partial class FakeRequestMiddleware(RequestDelegate next, FaultInjector faults, RequestLog requests, TimeProvider time, ILogger logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var operation = context.GetEndpoint()?.Metadata.GetMetadata<FakeOperation>() ?? FakeOperation.Unmatched;
        var request = context.Request;
        operation = operation.Resolve?.Invoke(request) ?? operation;
        var operationName = operation.NameFor(request);
        var entry = requests.Begin(
            operation.Provider,
            operationName,
            request.Method,
            request.Path.Value ?? "",
            time.GetUtcNow(),
            request.Headers.UserAgent.ToString() is { Length: > 0 } ua ? ua : null);
        var outcome = new RequestOutcome(entry);
        context.Features.Set(outcome);
        context.Response.OnStarting(() =>
        {
            // Kestrel still runs OnStarting for a connection the fake aborted; nothing was sent then.
            if (!entry.Aborted)
            {
                entry.Status = context.Response.StatusCode;
            }

            return Task.CompletedTask;
        });
        try
        {
            await HandleAsync(context, operation, operationName, outcome);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            entry.Aborted = true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogUnhandled(logger, ex, operation.Provider, operationName);
            if (context.Response.HasStarted)
            {
                outcome.Abort(context);
            }
            else
            {
                context.Response.Clear();
                await operation.Errors.WriteAsync(context, new InjectedFailure(500, "InternalError", "Internal error in the fake."));
            }
        }
        finally
        {
            LogRequest(logger, operation.Provider, request.Method, request.Path.Value ?? "", context.Response.StatusCode, entry.Aborted);
        }
    }

    private async Task HandleAsync(HttpContext context, FakeOperation operation, string operationName, RequestOutcome outcome)
    {
        if (!operation.IsAdmin)
        {
            if (faults.IsDown)
            {
                outcome.Abort(context);
                return;
            }

            var delay = faults.TakeDelay(operationName);
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, time, context.RequestAborted);
            }

            if (faults.TakeFailure(operationName) is { } failure)
            {
                await operation.Errors.WriteAsync(context, failure);
                return;
            }
        }

        await next(context);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{Provider} {Method} {Path} -> {Status} (aborted: {Aborted})")]
    private static partial void LogRequest(ILogger logger, string provider, string method, string path, int status, bool aborted);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "Unhandled exception in {Provider} operation {Operation}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string provider, string operation);
}

/// <summary>Per-request handle through which endpoints cut the connection on purpose (recorded before the cut).</summary>
internal sealed class RequestOutcome(RequestLogEntry entry)
{
    public void Abort(HttpContext context)
    {
        entry.Aborted = true;
        context.Abort();
    }
}
