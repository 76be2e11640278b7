using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;

namespace OpenList.DriverHost.Config;

/// <summary>
/// A parsed <c>server.listen</c>: <c>http(s)://host:port</c> with an explicit port (0 = any free port) and no
/// path. Hosts may be names, IP literals (IPv6 in brackets) or Kestrel's wildcards <c>*</c> and <c>+</c>.
/// </summary>
public sealed record ListenAddress(string Scheme, string Host, int Port)
{
    /// <summary>True for <c>localhost</c>, 127.0.0.0/8 and ::1.</summary>
    public bool IsLoopback =>
        string.Equals(Host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    public override string ToString() => $"{Scheme}://{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";

    public static bool TryParse(string? text, [NotNullWhen(true)] out ListenAddress? address, [NotNullWhen(false)] out string? error)
    {
        address = null;
        error = "not an http(s) URL with host and port";
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "listen URL is empty";
            return false;
        }

        var schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0)
        {
            return false;
        }

        var scheme = text[..schemeEnd].ToLowerInvariant();
        if (scheme is not ("http" or "https"))
        {
            error = $"scheme \"{scheme}\" is not http or https";
            return false;
        }

        var rest = text[(schemeEnd + 3)..];
        var slash = rest.IndexOf('/');
        var authority = slash < 0 ? rest : rest[..slash];
        if (slash >= 0 && rest.Length > slash + 1)
        {
            error = "listen URL must not have a path (use dav_prefix for the WebDAV path)";
            return false;
        }

        if (authority.IndexOfAny(['@', '?', '#', ' ']) >= 0)
        {
            return false;
        }

        string host;
        string portText;
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']');
            if (close < 0 || close + 1 >= authority.Length || authority[close + 1] != ':')
            {
                error = "listen URL has no port";
                return false;
            }

            host = authority[..(close + 1)];
            portText = authority[(close + 2)..];
            if (!IPAddress.TryParse(host[1..^1], out _))
            {
                error = $"\"{host}\" is not an IPv6 address";
                return false;
            }
        }
        else
        {
            var colon = authority.LastIndexOf(':');
            if (colon < 0)
            {
                error = "listen URL has no port";
                return false;
            }

            host = authority[..colon];
            portText = authority[(colon + 1)..];
            if (host.Length == 0 || host.Contains(':'))
            {
                error = host.Length == 0 ? "listen URL has no host" : "IPv6 hosts must be written in brackets";
                return false;
            }

            if (host is not ("*" or "+") && Uri.CheckHostName(host) == UriHostNameType.Unknown)
            {
                error = $"\"{host}\" is not a host name or IP address";
                return false;
            }
        }

        if (portText.Length == 0 || !portText.All(char.IsAsciiDigit)
            || !int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            error = "listen URL has no valid port (0-65535)";
            return false;
        }

        address = new ListenAddress(scheme, host, port);
        error = null;
        return true;
    }
}
