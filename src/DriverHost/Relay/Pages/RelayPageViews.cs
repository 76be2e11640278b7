using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using OpenList.DriverHost.Drivers.Relay;

namespace OpenList.DriverHost.Relay.Pages;

/// <summary>
/// The HTML of the authorization pages. Every value that is not a constant of this file goes through
/// <see cref="H"/> (HTML-encoded: <c>&lt; &gt; &amp; " '</c> and non-ASCII become character references), in text or
/// in a double-quoted attribute, never into a script, a style or an unquoted attribute; so a token or a provider
/// message holding markup is shown as text. No inline script or style (the CSP forbids them).
/// </summary>
internal static class RelayPageViews
{
    public static string H(string? value) => HtmlEncoder.Default.Encode(value ?? "");

    public static string Index(IEnumerable<RelayProvider> providers)
    {
        var body = new StringBuilder();
        body.Append("<h1>Authorize a cloud drive</h1>\n<p>Pick the provider. You sign in on the provider's own page; this relay then shows the tokens once, with the <code>drivers.json</code> storage record to paste.</p>\n<ul class=\"providers\">\n");
        foreach (var provider in providers.OrderBy(p => p.Upstream.DisplayName, StringComparer.Ordinal))
        {
            body.Append("<li><a href=\"/relay/").Append(H(provider.Prefix)).Append("/\">").Append(H(provider.Upstream.DisplayName)).Append("</a></li>\n");
        }

        body.Append("</ul>\n");
        return Layout("Authorize a cloud drive", body.ToString());
    }

    public static string Provider(RelayProvider provider, Uri redirectUri, Uri renewUri)
    {
        var upstream = provider.Upstream;
        var start = "/relay/" + H(provider.Prefix) + "/start";
        var body = new StringBuilder();
        body.Append("<p><a href=\"/relay/\">All providers</a></p>\n<h1>").Append(H(upstream.DisplayName)).Append("</h1>\n");
        // Links, not forms: start answers with a redirect to the provider, and a form submission may not be
        // redirected off this origin under CSP form-action 'self'.
        body.Append("<section class=\"option\"><h2>Authorize in this browser</h2><p>You go to the provider's sign-in page and come back here to the tokens.</p>")
            .Append("<p><a class=\"button primary\" href=\"").Append(start).Append("?mode=browser\">Authorize in this browser</a></p></section>\n");
        body.Append("<section class=\"option\"><h2>Scan with your phone</h2><p>Shows a QR code; sign in on your phone, and the tokens appear here on this computer.</p>")
            .Append("<p><a class=\"button\" href=\"").Append(start).Append("?mode=qr\">Scan with your phone</a></p></section>\n");
        if (upstream.SupportsDeviceFlow)
        {
            body.Append("<section class=\"option\"><h2>Device code</h2><p>Shows a short code to enter on the provider's page on any device.</p>")
                .Append("<p><a class=\"button\" href=\"").Append(start).Append("?mode=device\">Device code</a></p></section>\n");
        }

        body.Append("<h2>For the relay's operator</h2><p class=\"hint\">Callback URL registered with the provider: <code>").Append(H(redirectUri.AbsoluteUri))
            .Append("</code><br>Renew URL (<code>api_url_address</code>): <code>").Append(H(renewUri.AbsoluteUri)).Append("</code></p>\n");
        return Layout(upstream.DisplayName, body.ToString());
    }

    /// <summary>The desktop's page while the phone signs in: the QR code of the go link, and the status line the script updates.</summary>
    public static string WaitQr(RelayProvider provider, Uri goUri)
    {
        var prefix = H(provider.Prefix);
        var body = new StringBuilder();
        body.Append("<h1>").Append(H(provider.Upstream.DisplayName)).Append(": scan with your phone</h1>\n");
        body.Append("<p>Scan this code with your phone's camera and sign in there. Keep this page open: the tokens appear here.</p>\n");
        body.Append("<p><img class=\"qr\" src=\"/relay/").Append(prefix).Append("/qr.png\" alt=\"QR code of the sign-in link\"></p>\n");
        body.Append("<p class=\"hint\">Or open this link on the phone (it works once, for 10 minutes; keep it to yourself): <code id=\"golink\">").Append(H(goUri.AbsoluteUri)).Append("</code></p>\n");
        body.Append("<p id=\"status\" role=\"status\">Waiting for your phone…</p>\n");
        return Layout("Scan with your phone", body.ToString(), WaitAttributes(prefix));
    }

    /// <summary>The device-code page: the user code, the verification link and its QR code.</summary>
    public static string WaitDevice(RelayProvider provider, RelayDeviceCode device)
    {
        var prefix = H(provider.Prefix);
        var link = device.VerificationUriComplete ?? device.VerificationUri;
        var body = new StringBuilder();
        body.Append("<h1>").Append(H(provider.Upstream.DisplayName)).Append(": device code</h1>\n");
        body.Append("<p>On any device, open <a href=\"").Append(H(SafeLink(device.VerificationUri))).Append("\" rel=\"noopener noreferrer\" target=\"_blank\">")
            .Append(H(device.VerificationUri.AbsoluteUri)).Append("</a> and enter this code:</p>\n");
        body.Append("<p class=\"usercode\" id=\"usercode\">").Append(H(device.UserCode)).Append("</p>\n");
        body.Append("<p><button type=\"button\" data-copy=\"usercode\">Copy the code</button></p>\n");
        body.Append("<p>Or scan this QR code (it opens <code>").Append(H(link.AbsoluteUri)).Append("</code>):</p>\n");
        body.Append("<p><img class=\"qr\" src=\"/relay/").Append(prefix).Append("/qr.png\" alt=\"QR code of the verification link\"></p>\n");
        body.Append("<p id=\"status\" role=\"status\">Waiting for approval…</p>\n");
        return Layout("Device code", body.ToString(), WaitAttributes(prefix));
    }

    /// <summary>The tokens, shown once, with copy buttons and the drivers.json record.</summary>
    public static string Result(RelayProvider provider, RelayTokens tokens, string snippet, Uri renewUri)
    {
        var body = new StringBuilder();
        body.Append("<h1>").Append(H(provider.Upstream.DisplayName)).Append(": authorized</h1>\n");
        body.Append("<p><strong>These tokens are shown once.</strong> Copy them now; reloading this page will not show them again. Treat them like a password.</p>\n");
        Token(body, "refresh", "Refresh token", tokens.RefreshToken);
        Token(body, "access", "Access token", tokens.AccessToken);
        if (tokens.ExpiresIn is { } seconds)
        {
            body.Append("<p class=\"hint\">The access token expires in ").Append(seconds.ToString(CultureInfo.InvariantCulture)).Append(" seconds; the drivers renew it with the refresh token.</p>\n");
        }

        body.Append("<h2>drivers.json</h2>\n<p>Add this storage record to <code>storages</code> in <code>drivers.json</code> (change <code>mount_path</code> as you like):</p>\n");
        body.Append("<pre><code id=\"snippet\">").Append(H(snippet)).Append("</code></pre>\n<p><button type=\"button\" data-copy=\"snippet\">Copy the record</button></p>\n");
        body.Append("<h2>OpenList</h2>\n<p>In OpenList, paste the refresh token into the storage's refresh token field, turn on “use online API” and set <code>api_url_address</code> to <code>")
            .Append(H(renewUri.AbsoluteUri)).Append("</code>.</p>\n");
        return Layout("Authorized", body.ToString());
    }

    /// <summary>The phone's last page in QR mode: never the tokens.</summary>
    public static string PhoneDone(RelayProvider provider) =>
        Layout("Done", "<h1>" + H(provider.Upstream.DisplayName) + ": done</h1>\n<p>Signed in. Return to your computer: the tokens are shown there.</p>\n");

    /// <summary>
    /// The phone's page behind the QR code: a link the user follows, so that link previews and prefetching (which
    /// fetch the QR's URL but follow no link in it) do not spend the one-time link.
    /// </summary>
    public static string GoConfirm(RelayProvider provider, string continuePath) =>
        Layout(
            "Continue",
            "<h1>" + H(provider.Upstream.DisplayName) + "</h1>\n<p>You scanned the QR code shown on your computer. Continue to sign in at the provider; the tokens will appear on that computer, not here.</p>\n"
            + "<p class=\"hint\">If you did not start this yourself on a computer in front of you, close this page.</p>\n"
            + "<p><a class=\"button primary\" id=\"continue\" href=\"" + H(continuePath) + "\">Continue to " + H(provider.Upstream.DisplayName) + "</a></p>\n");

    /// <summary>An error page: a title and a reason, both shown as text, and a way back.</summary>
    public static string Error(string title, string reason, string? prefix = null)
    {
        var back = prefix is null ? "/relay/" : "/relay/" + H(prefix) + "/";
        return Layout(title, "<h1>" + H(title) + "</h1>\n<p class=\"error\" id=\"reason\">" + H(reason) + "</p>\n<p><a href=\"" + back + "\">Start again</a></p>\n");
    }

    private static string WaitAttributes(string encodedPrefix) =>
        " data-status-url=\"/relay/" + encodedPrefix + "/status\" data-result-url=\"/relay/" + encodedPrefix + "/result\"";

    private static void Token(StringBuilder body, string id, string label, string value)
    {
        body.Append("<label for=\"").Append(id).Append("\">").Append(label).Append("</label>\n");
        body.Append("<textarea id=\"").Append(id).Append("\" readonly spellcheck=\"false\" autocomplete=\"off\">").Append(H(value)).Append("</textarea>\n");
        body.Append("<p><button type=\"button\" data-copy=\"").Append(id).Append("\">Copy the ").Append(label.ToLowerInvariant()).Append("</button></p>\n");
    }

    /// <summary>An http(s) link as given, anything else (javascript:, data:) as "#".</summary>
    private static string SafeLink(Uri uri) =>
        uri.IsAbsoluteUri && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) ? uri.AbsoluteUri : "#";

    private static string Layout(string title, string body, string mainAttributes = "") =>
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        + "<meta name=\"referrer\" content=\"no-referrer\">\n<title>" + H(title) + " · OpenList.DriverHost relay</title>\n"
        + "<link rel=\"stylesheet\" href=\"" + RelayStaticAssets.StylePath + "\">\n<script src=\"" + RelayStaticAssets.ScriptPath + "\" defer></script>\n</head>\n<body>\n<main"
        + mainAttributes + ">\n" + body + "</main>\n</body>\n</html>\n";
}
