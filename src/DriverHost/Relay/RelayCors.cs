using Microsoft.AspNetCore.Http;

namespace OpenList.DriverHost.Relay;

/// <summary>
/// Which browser origins may read renewapi's answers (and POST to it): <c>relay.allowed_origins</c> plus the
/// relay's own public URL. Others get no <c>Access-Control-Allow-Origin</c>, so their pages cannot read tokens.
/// </summary>
internal sealed class RelayCors
{
    private readonly HashSet<string> _allowed = new(StringComparer.Ordinal);

    public RelayCors(RelaySettings settings)
    {
        foreach (var origin in settings.AllowedOrigins.Append(settings.PublicUrl))
        {
            if (RelayOrigins.TryNormalize(origin, out var normalized) || RelayOrigins.TryNormalize(OriginOf(origin), out normalized))
            {
                _allowed.Add(normalized);
            }
        }
    }

    /// <summary>Adds the CORS answer headers when the request's Origin is allowed; true when it is.</summary>
    public bool Apply(HttpContext context)
    {
        context.Response.Headers.Vary = "Origin";
        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length == 0 || !RelayOrigins.TryNormalize(origin, out var normalized) || !_allowed.Contains(normalized))
        {
            return false;
        }

        context.Response.Headers.AccessControlAllowOrigin = origin;
        return true;
    }

    /// <summary>OPTIONS: 204, with the allowed methods and headers only for an allowed origin.</summary>
    public static void Preflight(HttpContext context, bool originAllowed)
    {
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        context.Response.Headers.Allow = "GET, POST, OPTIONS";
        if (originAllowed)
        {
            context.Response.Headers.AccessControlAllowMethods = "GET, POST";
            context.Response.Headers.AccessControlAllowHeaders = "Content-Type";
            context.Response.Headers.AccessControlMaxAge = "600";
        }
    }

    private static string OriginOf(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Authority) : "";
}
