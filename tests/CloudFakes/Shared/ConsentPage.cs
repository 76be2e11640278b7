namespace OpenList.DriverHost.CloudFakes.Shared;

/// <summary>
/// What the user "clicks" on an auto-approving consent page: approve, unless <see cref="AutoApprove"/> is off or a
/// one-shot denial is armed (<see cref="DenyNext"/>). Also builds the redirects back to the client.
/// </summary>
internal sealed class ConsentPage
{
    private int denyNext;

    public bool AutoApprove { get; set; } = true;

    public void DenyNext() => Interlocked.Increment(ref denyNext);

    /// <summary>True when this authorization is approved; consumes one armed denial otherwise.</summary>
    public bool TakeDecision()
    {
        while (true)
        {
            var pending = Volatile.Read(ref denyNext);
            if (pending == 0)
            {
                return AutoApprove;
            }

            if (Interlocked.CompareExchange(ref denyNext, pending - 1, pending) == pending)
            {
                return false;
            }
        }
    }

    /// <summary>
    /// The redirect for a verified client and redirect_uri, checking in order: response_type (<paramref name="responseTypeOk"/>),
    /// scope (<paramref name="scopeOk"/>), the user's decision, then the code from <paramref name="issueCode"/> (null when
    /// there is no account to approve as, which counts as a denial). Errors are RFC 6749 §4.1.2.1 names.
    /// </summary>
    public string Answer(string redirectUri, string state, bool responseTypeOk, bool scopeOk, Func<string?> issueCode)
    {
        if (!responseTypeOk)
        {
            return Redirect(redirectUri, state, ("error", "unsupported_response_type"), ("error_description", "response_type must be code"));
        }

        if (!scopeOk)
        {
            return Redirect(redirectUri, state, ("error", "invalid_scope"), ("error_description", "scope must list user:base, file:all:read, file:all:write"));
        }

        return TakeDecision() && issueCode() is { } code
            ? Redirect(redirectUri, state, ("code", code))
            : Redirect(redirectUri, state, ("error", "access_denied"), ("error_description", "the user denied the request"));
    }

    /// <summary>
    /// Null when <paramref name="redirectUri"/> is acceptable: an absolute http(s) URI, and one of
    /// <paramref name="registered"/> exactly when any are registered. Otherwise the problem, shown without a redirect.
    /// </summary>
    public static string? CheckRedirectUri(string redirectUri, IReadOnlyCollection<string> registered)
    {
        if (redirectUri.Length == 0)
        {
            return "redirect_uri is required";
        }

        if (!Uri.TryCreate(redirectUri, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return "redirect_uri must be an absolute http(s) URI";
        }

        return registered.Count > 0 && !registered.Contains(redirectUri) ? "redirect_uri is not registered for this client" : null;
    }

    /// <summary>redirect_uri plus the fields and, when the request had one, the state exactly as received.</summary>
    public static string Redirect(string redirectUri, string state, params (string Key, string Value)[] fields)
    {
        var all = state.Length > 0 ? fields.Append((Key: "state", Value: state)) : fields;
        var separator = redirectUri.Contains('?', StringComparison.Ordinal) ? "&" : "?";
        return redirectUri + separator + string.Join('&', all.Select(f => f.Key + "=" + Uri.EscapeDataString(f.Value)));
    }
}
