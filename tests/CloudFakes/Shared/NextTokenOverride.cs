namespace OpenList.DriverHost.CloudFakes.Shared;

/// <summary>
/// Values the next minted token pair takes instead of random ones, so tests can hand a client hostile tokens
/// (e.g. one containing <c>&lt;script&gt;</c>) that still work as real tokens of the account. Each value is used
/// once: the next pair minted by any path (code exchange, refresh, relay, in-process issue) consumes it.
/// </summary>
internal sealed class NextTokenOverride
{
    private readonly Lock gate = new();
    private string? access;
    private string? refresh;

    /// <summary>
    /// Arms the override. At least one value; values must differ from each other and must not have been issued
    /// before (<paramref name="alreadyIssued"/>), because the registries key grants by token.
    /// </summary>
    public void Set(string? accessToken, string? refreshToken, Func<string, bool> alreadyIssued)
    {
        if (string.IsNullOrEmpty(accessToken) && string.IsNullOrEmpty(refreshToken))
        {
            throw new ArgumentException("Give access_token and/or refresh_token.");
        }

        if (accessToken is { Length: > 0 } && accessToken == refreshToken)
        {
            throw new ArgumentException("access_token and refresh_token must differ.");
        }

        foreach (var token in new[] { accessToken, refreshToken })
        {
            if (token is { Length: > 0 } && alreadyIssued(token))
            {
                throw new ArgumentException("That token value was already issued; choose a fresh one.");
            }
        }

        lock (gate)
        {
            access = string.IsNullOrEmpty(accessToken) ? null : accessToken;
            refresh = string.IsNullOrEmpty(refreshToken) ? null : refreshToken;
        }
    }

    /// <summary>The armed values (null where none), disarming them.</summary>
    public (string? Access, string? Refresh) Take()
    {
        lock (gate)
        {
            var taken = (access, refresh);
            access = null;
            refresh = null;
            return taken;
        }
    }
}
