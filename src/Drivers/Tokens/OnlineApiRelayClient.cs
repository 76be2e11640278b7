using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using OpenList.DriverHost.Drivers.Errors;
using OpenList.DriverHost.Drivers.Http;

namespace OpenList.DriverHost.Drivers.Tokens;

/// <summary>
/// Renews tokens through an "online API" relay in OpenList's request format:
/// <c>GET &lt;api_url_address&gt;?refresh_ui=&lt;refresh token&gt;&amp;server_use=true&amp;driver_txt=&lt;variant&gt;</c>,
/// or (<c>online_api_post</c>, for relays that take it, such as this host's own) the same fields as a
/// <c>POST</c> form, which keeps the refresh token out of URLs and access logs.
/// The request URL may hold the refresh token, so it is never logged or put into an error message.
/// </summary>
public static class OnlineApiRelayClient
{
    /// <summary>OpenList's GET request; see <see cref="RefreshAsync(HttpClient, Uri, string, string, bool, TimeProvider, CancellationToken)"/>.</summary>
    public static Task<TokenSet> RefreshAsync(HttpClient http, Uri apiUrl, string refreshToken, string driverTxt, TimeProvider time, CancellationToken cancellationToken) =>
        RefreshAsync(http, apiUrl, refreshToken, driverTxt, post: false, time, cancellationToken);

    /// <summary>
    /// Success is a 2xx JSON body with non-empty <c>access_token</c> and <c>refresh_token</c>; <c>expires_in</c> is
    /// read when present and positive. 429, 502, 503 and 504 are transient whatever the body (a relay that is
    /// throttled or cannot reach the provider), as are other non-JSON 5xx and network failures. Any other answer
    /// with a reason (any JSON, whatever the shape of <c>text</c>; OpenList's public relay refuses with 500 JSON)
    /// rejected the token.
    /// </summary>
    /// <param name="post">Send the fields as an <c>application/x-www-form-urlencoded</c> POST body instead of the query string.</param>
    public static async Task<TokenSet> RefreshAsync(HttpClient http, Uri apiUrl, string refreshToken, string driverTxt, bool post, TimeProvider time, CancellationToken cancellationToken)
    {
        using var request = post ? PostRequest(apiUrl, refreshToken, driverTxt) : GetRequest(apiUrl, refreshToken, driverTxt);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var json = JsonFields.TryParseObject(body);
        var status = (int)response.StatusCode;

        if (response.IsSuccessStatusCode && json is { } ok)
        {
            var access = JsonFields.String(ok, "access_token");
            var refresh = JsonFields.String(ok, "refresh_token");
            if (!string.IsNullOrEmpty(access) && !string.IsNullOrEmpty(refresh))
            {
                var expiresIn = JsonFields.Number(ok, "expires_in");
                return new TokenSet(access, refresh, expiresIn > 0 ? time.GetUtcNow().AddSeconds(expiresIn.Value) : null);
            }

            throw new TokenRefreshRejectedException(Reason(ok) ?? "empty token returned by the online API");
        }

        if (IsTransientStatus(response.StatusCode) || (json is null && status >= 500))
        {
            throw new StorageException(
                response.StatusCode == HttpStatusCode.TooManyRequests ? StorageErrorKind.RateLimited : StorageErrorKind.Unavailable,
                $"online API answered HTTP {status.ToString(CultureInfo.InvariantCulture)}{(json is { } busy && Reason(busy) is { } why ? ": " + why : "")}",
                response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(10));
        }

        throw new TokenRefreshRejectedException(
            (json is { } failed ? Reason(failed) : null) ?? $"online API answered HTTP {status.ToString(CultureInfo.InvariantCulture)} without a reason");
    }

    private static HttpRequestMessage GetRequest(Uri apiUrl, string refreshToken, string driverTxt)
    {
        var separator = string.IsNullOrEmpty(apiUrl.Query) ? "?" : "&";
        var url = new Uri(apiUrl.AbsoluteUri + separator
            + "refresh_ui=" + Uri.EscapeDataString(refreshToken)
            + "&server_use=true&driver_txt=" + Uri.EscapeDataString(driverTxt));
        return new HttpRequestMessage(HttpMethod.Get, url);
    }

    private static HttpRequestMessage PostRequest(Uri apiUrl, string refreshToken, string driverTxt) =>
        new(HttpMethod.Post, apiUrl)
        {
            Content = new FormUrlEncodedContent(
            [
                new KeyValuePair<string, string>("refresh_ui", refreshToken),
                new KeyValuePair<string, string>("server_use", "true"),
                new KeyValuePair<string, string>("driver_txt", driverTxt),
            ]),
        };

    /// <summary>Throttled, or a gateway that could not reach the provider: worth retrying later, JSON body or not.</summary>
    private static bool IsTransientStatus(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    /// <summary>The relay's reason: <c>text</c> (a string, or an object worth nothing), else the usual OAuth fields.</summary>
    private static string? Reason(JsonElement body)
    {
        foreach (var name in new[] { "text", "error_description", "message", "error" })
        {
            if (JsonFields.String(body, name) is { Length: > 0 } reason)
            {
                return Sanitize(reason);
            }
        }

        return null;
    }

    /// <summary>Reasons end up in 503 bodies and logs: keep them short and free of markup.</summary>
    private static string Sanitize(string reason)
    {
        var plain = new string(reason.Where(c => !char.IsControl(c) && c is not '<' and not '>').ToArray());
        return plain.Length > 200 ? plain[..200] : plain;
    }
}
