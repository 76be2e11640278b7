using OpenList.DriverHost.Drivers.Resilience;
using OpenList.DriverHost.Drivers.Tokens;

namespace OpenList.DriverHost.Drivers.Relay;

/// <summary>
/// Runs one provider token call for the relay with the driver's own wire code and turns the driver's failures into
/// <see cref="RelayUpstreamException"/>: a refusal of the token or code is <c>rejected</c> (with the provider's
/// reason); a refusal of the relay's own client keys, throttling, 5xx, timeouts and network errors are not, because
/// the person holding the token can do nothing about them.
/// </summary>
internal static class RelayUpstreamCall
{
    /// <summary>Provider codes that mean "the app (client id/secret) is wrong", not "the token is wrong".</summary>
    private static readonly HashSet<string> ClientKeyCodes = new(StringComparer.Ordinal)
    {
        "InvalidClientId", "InvalidClientSecret", "AppNotExists", "invalid_client", "unauthorized_client",
    };

    /// <param name="keepRefreshToken">The refresh token to hand back when the provider did not rotate it (answered none).</param>
    public static async Task<RelayTokens> RunAsync(string provider, Func<CancellationToken, Task<TokenSet>> call, TimeProvider time, CancellationToken cancellationToken, string? keepRefreshToken = null)
    {
        TokenSet tokens;
        try
        {
            tokens = await call(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (Translate(provider, e, cancellationToken) is { } translated)
        {
            throw translated;
        }

        if (string.IsNullOrEmpty(tokens.RefreshToken) && !string.IsNullOrEmpty(keepRefreshToken))
        {
            tokens = tokens with { RefreshToken = keepRefreshToken };
        }

        if (string.IsNullOrEmpty(tokens.AccessToken) || string.IsNullOrEmpty(tokens.RefreshToken))
        {
            throw new RelayUpstreamException($"{provider} answered without an access or refresh token", rejected: false);
        }

        return new RelayTokens(tokens.AccessToken, tokens.RefreshToken, ExpiresIn(tokens, time));
    }

    /// <summary>The relay exception for a driver failure; null for the caller's own cancellation and unknown bugs.</summary>
    public static RelayUpstreamException? Translate(string provider, Exception e, CancellationToken cancellationToken) => e switch
    {
        TokenRefreshRejectedException r when ClientKeyCodes.Contains(r.ProviderCode) => new RelayUpstreamException(
            $"{provider} refused the relay's client keys ({r.ProviderCode}); the relay operator must check client_id and the secret",
            rejected: false,
            upstreamStatus: 401),
        TokenRefreshRejectedException r => new RelayUpstreamException(RelayText.Plain(r.Message), rejected: true, upstreamStatus: 400),
        ThrottledCloudException t => new RelayUpstreamException($"{provider} is throttling the relay", rejected: false, upstreamStatus: 429, retryAfter: t.RetryAfter),
        TransientCloudException t => new RelayUpstreamException($"{provider} failed: {RelayText.Plain(t.Message)}", rejected: false, upstreamStatus: 502),
        HttpRequestException => new RelayUpstreamException($"{provider} could not be reached", rejected: false),
        OperationCanceledException when !cancellationToken.IsCancellationRequested => new RelayUpstreamException($"{provider} did not answer in time", rejected: false),
        _ => null,
    };

    /// <summary>Seconds left on the access token, when the provider said (the drivers keep an expiry time).</summary>
    internal static long? ExpiresIn(TokenSet tokens, TimeProvider time) =>
        tokens.ExpiresAt is { } at ? Math.Max(1, (long)Math.Round((at - time.GetUtcNow()).TotalSeconds)) : null;
}
