using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OpenList.DriverHost.Drivers.Relay;

namespace OpenList.DriverHost.Relay;

/// <summary>
/// <c>/relay/&lt;prefix&gt;/renewapi</c>: OpenList's renew request as a GET query (<c>refresh_ui</c>,
/// <c>server_use=true</c>, <c>driver_txt</c>) or, keeping the refresh token out of URLs, the same fields as a POST
/// form. Runs before Basic authentication: the refresh token is the credential, and per-IP and per-token budgets
/// keep the relay from being an open token oracle. With the relay off every <c>/relay</c> path is 404; with it on,
/// other <c>/relay</c> paths go on to the authorization pages. Nothing secret is logged: no token, no query string.
/// </summary>
public sealed partial class RelayRenewMiddleware
{
    private const string Root = "/relay";
    private const string RenewSegment = "renewapi";

    /// <summary>Largest POST body read: three short fields.</summary>
    private const long MaxFormBytes = 16 * 1024;

    /// <summary>Provider answers slower than this are treated as an outage.</summary>
    private static readonly TimeSpan UpstreamTimeout = TimeSpan.FromSeconds(30);

    /// <summary>driver_txt values OpenList knows that this relay deliberately does not serve, and why.</summary>
    private static readonly Dictionary<string, string> Unsupported = new(StringComparer.Ordinal)
    {
        ["alicloud_tv"] = "driver_txt alicloud_tv (Aliyun TV-app login) is not offered by this relay: those tokens renew through a third-party TV-app backend; sign in again with alicloud_qr or alicloud_go",
    };

    private readonly RequestDelegate _next;
    private readonly RelayDirectory _directory;
    private readonly RelayCors _cors;
    private readonly RelayRateLimiter _perIp;
    private readonly RelayRateLimiter _perToken;
    private readonly ILogger<RelayRenewMiddleware> _logger;

    public RelayRenewMiddleware(RequestDelegate next, RelayDirectory directory, TimeProvider time, ILogger<RelayRenewMiddleware> logger)
    {
        _next = next;
        _directory = directory;
        _cors = new RelayCors(directory.Settings);
        _perIp = new RelayRateLimiter(time);
        _perToken = new RelayRateLimiter(time);
        _logger = logger;
    }

    public Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        if (!path.StartsWith(Root, StringComparison.Ordinal) || (path.Length > Root.Length && path[Root.Length] != '/'))
        {
            return _next(context);
        }

        if (!_directory.Enabled)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        var segments = path[Root.Length..].Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length != 2 || segments[1] != RenewSegment)
        {
            return _next(context); // the authorization pages
        }

        RelayResponses.NoStore(context.Response);
        return _directory.Providers.TryGetValue(segments[0], out var provider)
            ? RenewAsync(context, provider)
            : RelayResponses.TextAsync(context, StatusCodes.Status404NotFound, $"this relay does not serve \"{Clip(segments[0])}\"; it serves: {string.Join(", ", _directory.Providers.Keys)}");
    }

    private async Task RenewAsync(HttpContext context, RelayProvider provider)
    {
        var request = context.Request;
        var originAllowed = _cors.Apply(context);
        if (HttpMethods.IsOptions(request.Method))
        {
            RelayCors.Preflight(context, originAllowed);
            return;
        }

        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsPost(request.Method))
        {
            context.Response.Headers.Allow = "GET, POST, OPTIONS";
            await RelayResponses.TextAsync(context, StatusCodes.Status405MethodNotAllowed, "renewapi takes GET (OpenList's query) or POST (a form)").ConfigureAwait(false);
            return;
        }

        if (HttpMethods.IsPost(request.Method) && request.Headers.Origin.Count > 0 && !originAllowed)
        {
            // A browser page of another site must not spend this relay's budgets (or a user's token) through a form post.
            await RelayResponses.TextAsync(context, StatusCodes.Status403Forbidden, "this origin may not call the relay; the operator can add it to relay.allowed_origins").ConfigureAwait(false);
            return;
        }

        var limits = provider.Settings.RateLimits;
        var ip = context.Connection.RemoteIpAddress?.ToString() ?? "-";
        if (!_perIp.TryAcquire(provider.Prefix + "|" + ip, limits.PerIpPerMinute, out var ipWait))
        {
            LogThrottled(_logger, provider.Prefix, "client IP", RelayResponses.Seconds(ipWait));
            await RelayResponses.TextAsync(context, StatusCodes.Status429TooManyRequests, "too many requests from this address; try again later", ipWait).ConfigureAwait(false);
            return;
        }

        var fields = await RelayRenewFields.ReadAsync(context, MaxFormBytes).ConfigureAwait(false);
        if (fields.Problem is { } problem)
        {
            await RelayResponses.TextAsync(context, problem.Status, problem.Text).ConfigureAwait(false);
            return;
        }

        if (fields.ServerUse != "true")
        {
            await RelayResponses.TextAsync(context, StatusCodes.Status400BadRequest, "this relay only renews with its own client keys: send server_use=true (your own client keys never need a relay)").ConfigureAwait(false);
            return;
        }

        if (string.IsNullOrEmpty(fields.RefreshToken))
        {
            await RelayResponses.TextAsync(context, StatusCodes.Status400BadRequest, "missing refresh_ui: the refresh token to renew").ConfigureAwait(false);
            return;
        }

        var driverTxt = string.IsNullOrEmpty(fields.DriverTxt) ? provider.Upstream.DriverTxts[0] : fields.DriverTxt;
        if (!provider.Upstream.DriverTxts.Contains(driverTxt, StringComparer.Ordinal))
        {
            await RelayResponses.TextAsync(
                context,
                StatusCodes.Status400BadRequest,
                Unsupported.GetValueOrDefault(driverTxt) ?? $"driver_txt \"{Clip(driverTxt)}\" is not served here; use one of: {string.Join(", ", provider.Upstream.DriverTxts)}").ConfigureAwait(false);
            return;
        }

        var tokenKey = TokenKey(provider.Prefix, fields.RefreshToken);
        if (!_perToken.TryAcquire(tokenKey, limits.PerTokenPerMinute, out var tokenWait))
        {
            LogThrottled(_logger, provider.Prefix, "refresh token " + tokenKey[..8], RelayResponses.Seconds(tokenWait));
            await RelayResponses.TextAsync(context, StatusCodes.Status429TooManyRequests, "this refresh token was renewed too often; try again later", tokenWait).ConfigureAwait(false);
            return;
        }

        await CallUpstreamAsync(context, provider, fields.RefreshToken, driverTxt, tokenKey[..8]).ConfigureAwait(false);
    }

    private async Task CallUpstreamAsync(HttpContext context, RelayProvider provider, string refreshToken, string driverTxt, string tokenId)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeout.CancelAfter(UpstreamTimeout);
        try
        {
            var tokens = await provider.Upstream.RefreshAsync(refreshToken, driverTxt, timeout.Token).ConfigureAwait(false);
            LogRenewed(_logger, provider.Prefix, tokenId, context.Request.Method);
            await RelayResponses.TokensAsync(context, tokens).ConfigureAwait(false);
        }
        catch (RelayUpstreamException e)
        {
            var (status, text, retryAfter) = RelayResponses.ForUpstream(e);
            if (e is { Rejected: false, UpstreamStatus: 401 })
            {
                LogKeysRefused(_logger, provider.Prefix, e.Message);
            }
            else
            {
                LogRefused(_logger, provider.Prefix, tokenId, status, e.Message);
            }

            await RelayResponses.TextAsync(context, status, text, retryAfter).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The caller went away; nothing to answer.
        }
        catch (OperationCanceledException)
        {
            LogRefused(_logger, provider.Prefix, tokenId, StatusCodes.Status504GatewayTimeout, "the provider did not answer in time");
            await RelayResponses.TextAsync(context, StatusCodes.Status504GatewayTimeout, "the provider did not answer in time", RelayResponses.OutageRetryAfter).ConfigureAwait(false);
        }
    }

    /// <summary>The per-token budget's key: a hash, so the table never holds a refresh token.</summary>
    private static string TokenKey(string prefix, string refreshToken) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(prefix + "\n" + refreshToken)));

    /// <summary>Echoed request text: short and plain.</summary>
    private static string Clip(string text) => RelayText.Plain(text.Length > 40 ? text[..40] : text);

    [LoggerMessage(EventId = 90, Level = LogLevel.Information, Message = "relay {Prefix}: renewed token {TokenId} ({Method})")]
    private static partial void LogRenewed(ILogger logger, string prefix, string tokenId, string method);

    [LoggerMessage(EventId = 91, Level = LogLevel.Information, Message = "relay {Prefix}: renewal of token {TokenId} answered {Status}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string prefix, string tokenId, int status, string reason);

    [LoggerMessage(EventId = 92, Level = LogLevel.Warning, Message = "relay {Prefix}: {Reason}")]
    private static partial void LogKeysRefused(ILogger logger, string prefix, string reason);

    [LoggerMessage(EventId = 93, Level = LogLevel.Information, Message = "relay {Prefix}: {Key} over its budget; retry in {Seconds} s")]
    private static partial void LogThrottled(ILogger logger, string prefix, string key, long seconds);
}
