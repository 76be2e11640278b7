using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using OpenList.DriverHost.Drivers.Errors;

namespace OpenList.DriverHost.Drivers.Tokens;

/// <summary>
/// Renews tokens through an "online API" relay in OpenList's request format:
/// <c>GET &lt;api_url_address&gt;?refresh_ui=&lt;refresh token&gt;&amp;server_use=true&amp;driver_txt=&lt;variant&gt;</c>.
/// The request URL holds the refresh token, so it is never logged or put into an error message.
/// </summary>
public static class OnlineApiRelayClient
{
    /// <summary>
    /// Success is a 2xx JSON body with non-empty <c>access_token</c> and <c>refresh_token</c>; <c>expires_in</c> is
    /// read when present and positive. A relay that answered with a reason (any JSON, whatever the shape of
    /// <c>text</c>) rejected the token; gateway errors, non-JSON 5xx and network failures are transient.
    /// </summary>
    public static async Task<TokenSet> RefreshAsync(HttpClient http, Uri apiUrl, string refreshToken, string driverTxt, TimeProvider time, CancellationToken cancellationToken)
    {
        var separator = string.IsNullOrEmpty(apiUrl.Query) ? "?" : "&";
        var url = new Uri(apiUrl.AbsoluteUri + separator
            + "refresh_ui=" + Uri.EscapeDataString(refreshToken)
            + "&server_use=true&driver_txt=" + Uri.EscapeDataString(driverTxt));
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var json = TryParseObject(body);
        var status = (int)response.StatusCode;

        if (response.IsSuccessStatusCode && json is { } ok)
        {
            var access = StringField(ok, "access_token");
            var refresh = StringField(ok, "refresh_token");
            if (!string.IsNullOrEmpty(access) && !string.IsNullOrEmpty(refresh))
            {
                var expiresIn = NumberField(ok, "expires_in");
                return new TokenSet(access, refresh, expiresIn > 0 ? time.GetUtcNow().AddSeconds(expiresIn.Value) : null);
            }

            throw new TokenRefreshRejectedException(Reason(ok) ?? "empty token returned by the online API");
        }

        if (json is null && (status >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests))
        {
            throw new StorageException(
                response.StatusCode == HttpStatusCode.TooManyRequests ? StorageErrorKind.RateLimited : StorageErrorKind.Unavailable,
                $"online API answered HTTP {status.ToString(CultureInfo.InvariantCulture)}",
                response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(10));
        }

        throw new TokenRefreshRejectedException(
            (json is { } failed ? Reason(failed) : null) ?? $"online API answered HTTP {status.ToString(CultureInfo.InvariantCulture)} without a reason");
    }

    private static JsonElement? TryParseObject(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.ValueKind == JsonValueKind.Object ? doc.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The relay's reason: <c>text</c> (a string, or an object worth nothing), else the usual OAuth fields.</summary>
    private static string? Reason(JsonElement body)
    {
        foreach (var name in new[] { "text", "error_description", "message", "error" })
        {
            if (StringField(body, name) is { Length: > 0 } reason)
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

    private static string? StringField(JsonElement body, string name) =>
        body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static long? NumberField(JsonElement body, string name) =>
        body.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.Number when v.TryGetInt64(out var n) => n,
            JsonValueKind.String when long.TryParse(v.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
            _ => null,
        } : null;
}
