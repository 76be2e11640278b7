using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace OpenList.DriverHost.Drivers.Authorization;

/// <summary>
/// The loopback end of a browser authorization (RFC 8252 §7.3): listens on <c>127.0.0.1:&lt;port&gt;</c> for the one
/// request the provider redirects the browser to (<c>GET /callback?code=…&amp;state=…</c>), answers it with a short
/// page and hands its query to the caller. Other paths (a browser's favicon request) get a 404 and are ignored.
/// </summary>
public sealed class LoopbackRedirectListener : IDisposable
{
    public const string CallbackPath = "/callback";

    private const int MaxRequestHead = 16 * 1024;
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);

    private readonly TcpListener _listener;

    private LoopbackRedirectListener(TcpListener listener)
    {
        _listener = listener;
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        RedirectUri = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}{CallbackPath}");
    }

    /// <summary><c>http://127.0.0.1:&lt;port&gt;/callback</c>.</summary>
    public Uri RedirectUri { get; }

    /// <summary>Starts listening on <paramref name="port"/> (0 picks a free one).</summary>
    /// <exception cref="SocketException">The port is taken.</exception>
    public static LoopbackRedirectListener Start(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        return new LoopbackRedirectListener(listener);
    }

    /// <summary>
    /// Waits for the callback and returns its query parameters. <paramref name="answer"/> decides what the browser is
    /// told (success or the reason of a failure): true shows a success page.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> WaitForCallbackAsync(
        Func<IReadOnlyDictionary<string, string>, (bool Ok, string Message)> answer,
        CancellationToken cancellationToken)
    {
        while (true)
        {
            using var client = await _listener.AcceptTcpClientAsync(cancellationToken).ConfigureAwait(false);
            var stream = client.GetStream();
            string? target;
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(ReadTimeout);
                target = await ReadRequestTargetAsync(stream, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                continue;
            }

            if (target is null)
            {
                await RespondAsync(stream, 400, "Bad request", "This address only takes the authorization callback.", cancellationToken).ConfigureAwait(false);
                continue;
            }

            var queryAt = target.IndexOf('?', StringComparison.Ordinal);
            var path = queryAt < 0 ? target : target[..queryAt];
            if (!string.Equals(path, CallbackPath, StringComparison.Ordinal))
            {
                await RespondAsync(stream, 404, "Not found", "This address only takes the authorization callback.", cancellationToken).ConfigureAwait(false);
                continue;
            }

            var query = QueryHelpers.ParseQuery(queryAt < 0 ? "" : target[queryAt..])
                .ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);
            var (ok, message) = answer(query);
            await RespondAsync(stream, ok ? 200 : 400, ok ? "Authorized" : "Authorization failed", message, cancellationToken).ConfigureAwait(false);
            return query;
        }
    }

    public void Dispose() => _listener.Stop();

    /// <summary>The request target of a <c>GET</c> request line, or null for anything else.</summary>
    private static async Task<string?> ReadRequestTargetAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxRequestHead];
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            filled += read;
            if (buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8) >= 0)
            {
                break;
            }
        }

        var head = Encoding.ASCII.GetString(buffer, 0, filled);
        var lineEnd = head.IndexOf("\r\n", StringComparison.Ordinal);
        var parts = (lineEnd < 0 ? head : head[..lineEnd]).Split(' ');
        return parts.Length == 3 && parts[0] == "GET" && parts[1].StartsWith('/') ? parts[1] : null;
    }

    private static async Task RespondAsync(NetworkStream stream, int status, string title, string message, CancellationToken cancellationToken)
    {
        var html = $"<!doctype html><html><head><meta charset=\"utf-8\"><title>{WebUtility.HtmlEncode(title)}</title></head>"
            + $"<body><h1>{WebUtility.HtmlEncode(title)}</h1><p>{WebUtility.HtmlEncode(message)}</p></body></html>";
        var body = Encoding.UTF8.GetBytes(html);
        var reason = status switch { 200 => "OK", 404 => "Not Found", _ => "Bad Request" };
        var head = Encoding.ASCII.GetBytes(
            $"HTTP/1.1 {status.ToString(CultureInfo.InvariantCulture)} {reason}\r\nContent-Type: text/html; charset=utf-8\r\n"
            + $"Content-Length: {body.Length.ToString(CultureInfo.InvariantCulture)}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n");
        try
        {
            await stream.WriteAsync(head, cancellationToken).ConfigureAwait(false);
            await stream.WriteAsync(body, cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // the browser went away; the callback (if any) was read already
        }
    }
}
