using System.Globalization;
using System.Net;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace OpenList.DriverHost.Auth;

/// <summary>
/// HTTP Basic authentication for everything except the exempt paths.
/// <list type="bullet">
/// <item>No users configured: every request runs as <see cref="AuthenticatedUser.AnonymousOwner"/> (read/write).</item>
/// <item>OPTIONS always passes, as <see cref="AuthenticatedUser.AnonymousReader"/> (clients probe before sending credentials).</item>
/// <item>A blocked client gets 429 with <c>Retry-After</c>.</item>
/// <item>Missing or wrong credentials get 401 with <c>WWW-Authenticate: Basic realm="OpenList.DriverHost", charset="UTF-8"</c>,
/// never 403 (clients only prompt on 401). Wrong credentials count towards the lockout; a request without any does not.</item>
/// </list>
/// The Authorization header and passwords are never logged.
/// </summary>
public sealed partial class BasicAuthenticationMiddleware
{
    public const string Realm = "OpenList.DriverHost";
    public const string Challenge = "Basic realm=\"" + Realm + "\", charset=\"UTF-8\"";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly RequestDelegate _next;
    private readonly UserDirectory _users;
    private readonly LoginLockout _lockout;
    private readonly ILogger<BasicAuthenticationMiddleware> _logger;
    private readonly PathString[] _exemptPaths;

    /// <param name="next">The rest of the pipeline.</param>
    /// <param name="users">The configured users (may be replaced on reload).</param>
    /// <param name="lockout">Failed-login throttling.</param>
    /// <param name="logger">Failures are logged with username and client IP.</param>
    /// <param name="exemptPaths">Paths served without authentication, matched by whole segments (<c>/healthz</c>).</param>
    public BasicAuthenticationMiddleware(
        RequestDelegate next,
        UserDirectory users,
        LoginLockout lockout,
        ILogger<BasicAuthenticationMiddleware> logger,
        IEnumerable<string> exemptPaths)
    {
        _next = next;
        _users = users;
        _lockout = lockout;
        _logger = logger;
        _exemptPaths = exemptPaths.Select(p => new PathString(p)).ToArray();
    }

    public Task InvokeAsync(HttpContext context)
    {
        if (IsExempt(context.Request.Path))
        {
            return _next(context);
        }

        if (!_users.HasUsers)
        {
            context.SetUser(AuthenticatedUser.AnonymousOwner);
            return _next(context);
        }

        if (HttpMethods.IsOptions(context.Request.Method))
        {
            context.SetUser(AuthenticatedUser.AnonymousReader);
            return _next(context);
        }

        var client = context.Connection.RemoteIpAddress;
        if (_lockout.IsBlocked(client, out var retryAfter))
        {
            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            var seconds = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds));
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            LogBlockedRequest(_logger, ClientText(client), seconds);
            return Task.CompletedTask;
        }

        var credentials = ReadCredentials(context.Request);
        if (credentials.Status == CredentialStatus.Missing)
        {
            return ChallengeAsync(context);
        }

        var user = credentials.Status == CredentialStatus.Present ? _users.Authenticate(credentials.Username, credentials.Password) : null;
        if (user is null)
        {
            LogLoginFailed(_logger, credentials.Status == CredentialStatus.Present ? credentials.Username : "(malformed credentials)", ClientText(client));
            if (_lockout.RecordFailure(client))
            {
                LogClientBlocked(_logger, ClientText(client), _lockout.MaxFailures, _lockout.BlockDuration.TotalMinutes);
            }

            return ChallengeAsync(context);
        }

        _lockout.RecordSuccess(client);
        context.SetUser(user);

        // The standard principal too, so the protocol layer can tell lock owners apart without knowing this type.
        context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, user.Username)], "Basic"));
        return _next(context);
    }

    private bool IsExempt(PathString path) => _exemptPaths.Any(p => path.StartsWithSegments(p));

    private static Task ChallengeAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = Challenge;
        return Task.CompletedTask;
    }

    private static string ClientText(IPAddress? client) => client?.ToString() ?? "unknown";

    /// <summary>Parses <c>Authorization: Basic base64(user:password)</c>, decoded as UTF-8.</summary>
    internal static Credentials ReadCredentials(HttpRequest request)
    {
        var header = request.Headers[HeaderNames.Authorization].ToString();
        if (header.Length == 0)
        {
            return new Credentials(CredentialStatus.Missing, "", "");
        }

        const string scheme = "Basic ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            // Bearer and other schemes are not accepted: answer with the Basic challenge, without counting a failure.
            return new Credentials(CredentialStatus.Missing, "", "");
        }

        string decoded;
        try
        {
            decoded = StrictUtf8.GetString(Convert.FromBase64String(header[scheme.Length..].Trim()));
        }
        catch (Exception ex) when (ex is FormatException or DecoderFallbackException)
        {
            return new Credentials(CredentialStatus.Malformed, "", "");
        }

        var colon = decoded.IndexOf(':');
        return colon < 0
            ? new Credentials(CredentialStatus.Malformed, "", "")
            : new Credentials(CredentialStatus.Present, decoded[..colon], decoded[(colon + 1)..]);
    }

    internal enum CredentialStatus
    {
        Missing,
        Malformed,
        Present,
    }

    internal readonly record struct Credentials(CredentialStatus Status, string Username, string Password)
    {
        public override string ToString() => $"{Status} {Username}";
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Login failed for user {Username} from {RemoteIp}")]
    private static partial void LogLoginFailed(ILogger logger, string username, string remoteIp);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Client {RemoteIp} blocked after {Failures} failed logins for {Minutes} minutes")]
    private static partial void LogClientBlocked(ILogger logger, string remoteIp, int failures, double minutes);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Debug, Message = "Request from blocked client {RemoteIp} refused; retry after {Seconds} s")]
    private static partial void LogBlockedRequest(ILogger logger, string remoteIp, long seconds);
}
