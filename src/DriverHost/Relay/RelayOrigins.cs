namespace OpenList.DriverHost.Relay;

/// <summary>Browser origins (<c>scheme://host[:port]</c>) as the relay compares them: lower-case, default port left out.</summary>
internal static class RelayOrigins
{
    public static bool TryNormalize(string? text, out string origin)
    {
        origin = "";
        if (string.IsNullOrWhiteSpace(text) || !Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            return false;
        }

        origin = uri.GetLeftPart(UriPartial.Authority).ToLowerInvariant();
        return true;
    }
}
