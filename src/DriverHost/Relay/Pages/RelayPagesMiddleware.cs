using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;
using OpenList.DriverHost.Drivers.Relay;

namespace OpenList.DriverHost.Relay.Pages;

/// <summary>
/// The relay's browser authorization pages under <c>/relay/</c> (issue 9). Routes (anything else under
/// <c>/relay/</c>, such as <c>renewapi</c>, goes to the next middleware):
/// <code>
/// GET       /relay/                         the enabled providers
/// GET       /relay/&lt;prefix&gt;/               the provider's options (this browser, phone QR, device code)
/// GET|POST  /relay/&lt;prefix&gt;/start          a new flow (mode=browser|qr|device); cookie; 303 to the provider or to wait
/// GET       /relay/&lt;prefix&gt;/go/&lt;id&gt;        QR mode, on the phone: a page with a "continue" link
/// GET       /relay/&lt;prefix&gt;/go/&lt;id&gt;/continue   spends the go id; 303 to the provider
/// GET       /relay/&lt;prefix&gt;/callback       the provider's redirect (code, state or error)
/// GET       /relay/&lt;prefix&gt;/wait           QR and device mode, on the desktop: the QR code or user code, polling
/// GET       /relay/&lt;prefix&gt;/qr.png         the QR code of the cookie's flow, drawn here
/// GET       /relay/&lt;prefix&gt;/status         JSON progress of the cookie's flow (never tokens)
/// GET       /relay/&lt;prefix&gt;/result         the tokens, once, and the drivers.json record
/// GET       /relay/static/relay.{js,css}
/// </code>
/// <para><b>Binding.</b> <c>start</c> creates a server-side <see cref="RelayFlow"/> and sets a cookie holding only its
/// random id (<c>HttpOnly; SameSite=Lax; Path=/relay/</c>, <c>Secure</c> when the public URL or the request is
/// https, <c>Max-Age</c> the flow's 10 minutes). The provider gets a separate random state (and a PKCE challenge when
/// it takes one). The callback is accepted only when its state is that of a pending flow of this provider, unexpired
/// and not yet called back, and — in browser mode — when the request carries that flow's cookie. A callback that
/// fails these checks is answered 400 and the code is never exchanged. The state is spent by the first callback that
/// passes them. Tokens stay in the flow record and reach the browser only on <c>result</c>, once; the cookie is
/// deleted there. They are never put in a URL.</para>
/// <para><b>QR mode.</b> The desktop's flow also gets a one-time <c>go</c> id. The desktop page (holding the cookie)
/// shows the QR code of <c>&lt;public_url&gt;/relay/&lt;prefix&gt;/go/&lt;id&gt;</c>. The phone opens it and gets a page with a
/// "continue" link; only following that link (<c>go/&lt;id&gt;/continue</c>) spends the id and sends the phone to the
/// provider with the flow's state. This way a link preview or a prefetching scanner, which fetch the QR's URL but
/// follow no link in it, cannot spend it. (A link, not a form: under <c>form-action 'self'</c> a form submission may
/// not be redirected to the provider.) The phone has no cookie, and its callback may
/// come back in a different browser than the one that scanned (the provider's app can open links elsewhere). So in
/// this mode the flow record itself says "qr", and a callback is accepted on the state alone, with every other
/// check above. The state is 32 random bytes that only the phone's trip through the provider carries, and it works
/// once. The phone sees only "done, return to your computer". The tokens go to the desktop that holds the cookie:
/// its page polls <c>status</c> and then loads <c>result</c>. What QR mode cannot prevent, like every cross-device
/// flow, is someone else scanning the code off your screen and signing in first: your computer would then receive
/// their tokens, not yours, and nothing of yours leaks. The go link is single-use, and the phone's page tells its
/// user to close it unless they started the flow on a computer in front of them.</para>
/// <para><b>Device mode</b> (providers with <see cref="IRelayUpstream.SupportsDeviceFlow"/>): the device code stays in
/// the flow record. The page shows the user code and the verification link with its QR code, and <c>status</c>
/// polls the provider no faster than the provider's interval (slow_down widens it).</para>
/// <para>Every response here carries a strict CSP (no inline script or style), <c>nosniff</c>, <c>no-referrer</c> and
/// <c>no-store</c>. start, go, callback and status are rate limited per client IP. Nothing secret is logged: no code,
/// state, flow or go id, verifier or token (the request line logs the path only, and no secret is ever in a path).</para>
/// </summary>
internal sealed partial class RelayPagesMiddleware
{
    public const string CookieName = "relay_flow";

    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /// <summary>How long a code exchange or a device poll may take; it is not tied to the browser's request (see <see cref="UpstreamToken"/>).</summary>
    private static readonly TimeSpan UpstreamTimeout = TimeSpan.FromSeconds(60);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly RequestDelegate _next;
    private readonly RelayDirectory? _directory;
    private readonly RelayFlowStore _flows;
    private readonly RelayRateLimiter _flowLimiter;
    private readonly RelayRateLimiter _statusLimiter;
    private readonly ILogger<RelayPagesMiddleware> _logger;
    private readonly CancellationToken _stopping;

    public RelayPagesMiddleware(
        RequestDelegate next,
        RelayFlowStore flows,
        TimeProvider time,
        ILogger<RelayPagesMiddleware> logger,
        RelayDirectory? directory = null,
        IHostApplicationLifetime? lifetime = null)
    {
        _next = next;
        _flows = flows;
        // The renew routes' limiter (per-IP windows on the injected clock); status polling has its own budget, so a
        // waiting page cannot starve the callback.
        _flowLimiter = new RelayRateLimiter(time);
        _statusLimiter = new RelayRateLimiter(time);
        _logger = logger;
        _directory = directory;
        _stopping = lifetime?.ApplicationStopping ?? CancellationToken.None;
    }

    private enum Page
    {
        Index,
        Script,
        Style,
        Provider,
        Start,
        Go,
        GoContinue,
        Callback,
        Wait,
        Qr,
        Status,
        Result,
    }

    /// <summary>Not async itself: every WebDAV request passes through here and should not pay for a state machine.</summary>
    public Task InvokeAsync(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/relay", StringComparison.Ordinal, out var rest) && Route(rest.Value ?? "") is { } route
            ? ServeAsync(context, route)
            : _next(context);

    private async Task ServeAsync(HttpContext context, (Page Page, string Prefix, string? GoId) route)
    {
        var (page, prefix, goId) = route;
        var headers = context.Response.Headers;
        headers[HeaderNames.ContentSecurityPolicy] = ContentSecurityPolicy;
        headers[HeaderNames.XContentTypeOptions] = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers[HeaderNames.CacheControl] = "no-store";
        headers[HeaderNames.XFrameOptions] = "DENY";

        if (_directory is not { Enabled: true })
        {
            await Html(context, StatusCodes.Status404NotFound, RelayPageViews.Error("Not found", "The relay is not enabled on this server.")).ConfigureAwait(false);
            return;
        }

        string[] allowed = page switch
        {
            Page.Start => ["GET", "POST"],
            Page.Callback or Page.Result or Page.GoContinue => ["GET"], // a HEAD must not spend a state, a go id or a result
            _ => ["GET", "HEAD"],
        };
        if (!allowed.Contains(context.Request.Method, StringComparer.Ordinal))
        {
            headers[HeaderNames.Allow] = string.Join(", ", allowed);
            await Html(context, StatusCodes.Status405MethodNotAllowed, RelayPageViews.Error("Method not allowed", $"{context.Request.Method} is not allowed here.")).ConfigureAwait(false);
            return;
        }

        switch (page)
        {
            case Page.Index:
                await Html(context, StatusCodes.Status200OK, RelayPageViews.Index(_directory.Providers.Values)).ConfigureAwait(false);
                return;
            case Page.Script:
                await Text(context, "text/javascript; charset=utf-8", RelayStaticAssets.Script).ConfigureAwait(false);
                return;
            case Page.Style:
                await Text(context, "text/css; charset=utf-8", RelayStaticAssets.Style).ConfigureAwait(false);
                return;
        }

        if (!_directory.Providers.TryGetValue(prefix, out var provider))
        {
            await Html(context, StatusCodes.Status404NotFound, RelayPageViews.Error("Not found", "This relay has no such provider.")).ConfigureAwait(false);
            return;
        }

        if (!TryUrls(provider, out var urls))
        {
            await Html(context, StatusCodes.Status503ServiceUnavailable, RelayPageViews.Error("Relay not configured", "relay.public_url is not an absolute http(s) URL, so the relay cannot tell the provider where to come back.")).ConfigureAwait(false);
            return;
        }

        var task = page switch
        {
            Page.Provider => Html(context, StatusCodes.Status200OK, RelayPageViews.Provider(provider, urls.Callback, urls.Renew)),
            Page.Start => StartAsync(context, provider, urls),
            Page.Go => GoAsync(context, provider, urls, goId!, proceed: false),
            Page.GoContinue => GoAsync(context, provider, urls, goId!, proceed: true),
            Page.Callback => CallbackAsync(context, provider, urls),
            Page.Wait => WaitAsync(context, provider, urls),
            Page.Qr => QrAsync(context, provider, urls),
            Page.Status => StatusAsync(context, provider),
            _ => ResultAsync(context, provider, urls),
        };
        await task.ConfigureAwait(false);
    }

    /// <summary>The page a path under <c>/relay</c> names, or null when it is not one of ours.</summary>
    private static (Page Page, string Prefix, string? GoId)? Route(string rest)
    {
        if (rest is "" or "/")
        {
            return (Page.Index, "", null);
        }

        if (rest == "/static/relay.js")
        {
            return (Page.Script, "", null);
        }

        if (rest == "/static/relay.css")
        {
            return (Page.Style, "", null);
        }

        var parts = rest[1..].Split('/');
        if (parts[0].Length == 0 || parts[0] == "static")
        {
            return null;
        }

        return parts switch
        {
            [var p] => (Page.Provider, p, null),
            [var p, ""] => (Page.Provider, p, null),
            [var p, "start"] => (Page.Start, p, null),
            [var p, "callback"] => (Page.Callback, p, null),
            [var p, "wait"] => (Page.Wait, p, null),
            [var p, "qr.png"] => (Page.Qr, p, null),
            [var p, "status"] => (Page.Status, p, null),
            [var p, "result"] => (Page.Result, p, null),
            [var p, "go", var id] when id.Length > 0 => (Page.Go, p, id),
            [var p, "go", var id, "continue"] when id.Length > 0 => (Page.GoContinue, p, id),
            _ => null,
        };
    }

    /// <summary>The relay's own URLs for a provider, from relay.public_url (never from the request's Host header).</summary>
    private bool TryUrls(RelayProvider provider, out RelayUrls urls)
    {
        urls = default;
        var publicUrl = _directory!.Settings.PublicUrl.TrimEnd('/');
        if (!Uri.TryCreate(publicUrl, UriKind.Absolute, out var parsed) || (parsed.Scheme != Uri.UriSchemeHttps && parsed.Scheme != Uri.UriSchemeHttp))
        {
            return false;
        }

        var root = publicUrl + "/relay/" + Uri.EscapeDataString(provider.Prefix) + "/";
        urls = new RelayUrls(
            provider.Settings.Keys.RedirectUri ?? new Uri(root + "callback"),
            new Uri(root + "renewapi"),
            root,
            parsed.Scheme == Uri.UriSchemeHttps);
        return true;
    }

    /// <summary>Counts the request against the client's per-minute budget; answers 429 and returns false when over it.</summary>
    private async Task<bool> WithinLimitAsync(HttpContext context, RelayProvider provider, string bucket, bool json = false)
    {
        var perMinute = provider.Settings.RateLimits.PerIpPerMinute;
        var limiter = bucket == "status" ? _statusLimiter : _flowLimiter;
        var address = context.Connection.RemoteIpAddress is { IsIPv4MappedToIPv6: true } mapped ? mapped.MapToIPv4() : context.Connection.RemoteIpAddress;
        var retryAfter = TimeSpan.Zero;
        if (address is null || limiter.TryAcquire(address.ToString(), perMinute, out retryAfter))
        {
            return true;
        }

        LogRateLimited(_logger, provider.Prefix, bucket);
        context.Response.Headers[HeaderNames.RetryAfter] = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        if (json)
        {
            await JsonAsync(context, StatusCodes.Status429TooManyRequests, new StatusBody("pending", "Too many requests; slowing down.")).ConfigureAwait(false);
        }
        else
        {
            await Html(context, StatusCodes.Status429TooManyRequests, RelayPageViews.Error("Too many requests", "Too many requests from your address; wait a minute and try again.", provider.Prefix)).ConfigureAwait(false);
        }

        return false;
    }

    /// <summary>The flow the request's cookie names, or null.</summary>
    private RelayFlow? CookieFlow(HttpContext context) =>
        context.Request.Cookies.TryGetValue(CookieName, out var id) ? _flows.FindById(id) : null;

    private void SetFlowCookie(HttpContext context, RelayFlow flow, RelayUrls urls)
    {
        var maxAge = Math.Max(1, (int)Math.Ceiling((flow.ExpiresAt - _flows.Now).TotalSeconds));
        context.Response.Headers.Append(HeaderNames.SetCookie, Cookie(flow.Id, maxAge, urls.Secure || context.Request.IsHttps));
    }

    private static void DeleteFlowCookie(HttpContext context, RelayUrls urls)
    {
        if (context.Request.Cookies.ContainsKey(CookieName))
        {
            context.Response.Headers.Append(HeaderNames.SetCookie, Cookie("", 0, urls.Secure || context.Request.IsHttps));
        }
    }

    /// <summary>
    /// The flow cookie: HttpOnly, SameSite=Lax (sent on the provider's top-level redirect back to the callback), scoped
    /// to /relay/, and Secure whenever the relay is reached over https. On a plain-http relay (loopback tests, a
    /// relay behind nothing) Secure cannot be set: the browser would drop the cookie.
    /// </summary>
    private static string Cookie(string value, int maxAge, bool secure) =>
        $"{CookieName}={value}; Max-Age={maxAge.ToString(CultureInfo.InvariantCulture)}; Path=/relay/; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : "");

    /// <summary>
    /// A code exchange or device poll spends one-time provider state, so it runs to its end even when the browser
    /// goes away (the tokens then wait for the result page); it is bounded by <see cref="UpstreamTimeout"/> and host shutdown.
    /// </summary>
    private CancellationTokenSource UpstreamToken()
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(_stopping);
        cts.CancelAfter(UpstreamTimeout);
        return cts;
    }

    private static Task Html(HttpContext context, int status, string html)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : context.Response.WriteAsync(html, Encoding.UTF8, context.RequestAborted);
    }

    private static Task Text(HttpContext context, string contentType, string text)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = contentType;
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : context.Response.WriteAsync(text, Encoding.UTF8, context.RequestAborted);
    }

    private static Task JsonAsync(HttpContext context, int status, StatusBody body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : context.Response.WriteAsync(JsonSerializer.Serialize(body, Json), Encoding.UTF8, context.RequestAborted);
    }

    private static void SeeOther(HttpContext context, string location)
    {
        context.Response.StatusCode = StatusCodes.Status303SeeOther;
        context.Response.Headers.Location = location;
    }

    /// <param name="Callback">The redirect URI registered with the provider.</param>
    /// <param name="Renew">The renew URL for <c>api_url_address</c>.</param>
    /// <param name="Root">&lt;public_url&gt;/relay/&lt;prefix&gt;/ (with the slash).</param>
    /// <param name="Secure">The public URL is https: the cookie gets Secure.</param>
    private readonly record struct RelayUrls(Uri Callback, Uri Renew, string Root, bool Secure);

    /// <summary>The body of <c>status</c>: pending, scanned, done, failed, expired or none; never a token.</summary>
    private sealed record StatusBody(string Status, string Message);
}
