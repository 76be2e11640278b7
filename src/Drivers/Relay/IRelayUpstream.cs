namespace OpenList.DriverHost.Drivers.Relay;

/// <summary>
/// One provider's token endpoints as the self-hosted online API relay calls them, with the relay operator's own
/// client keys (<see cref="RelayClientKeys"/>). One implementation per cloud driver folder
/// (<c>&lt;Driver&gt;RelayUpstream.cs</c>), because only the driver folder knows its provider's wire format.
/// Implementations never log or put into an exception message a client secret, a code, a code verifier or a token.
/// </summary>
public interface IRelayUpstream
{
    /// <summary>The URL segment under <c>/relay/</c>, as OpenList's relay spells it: <c>alicloud</c>, <c>123cloud</c>, <c>115cloud</c>, <c>disktop</c>.</summary>
    string Prefix { get; }

    /// <summary>The provider's name for people ("Aliyundrive Open").</summary>
    string DisplayName { get; }

    /// <summary>The OpenList driver name the tokens are for (<c>AliyundriveOpen</c>), used in the drivers.json snippet.</summary>
    string DriverName { get; }

    /// <summary>The <c>driver_txt</c> values renewapi accepts for this provider; the first is what our drivers send.</summary>
    IReadOnlyList<string> DriverTxts { get; }

    /// <summary>The authorization-code flow takes a PKCE challenge (S256).</summary>
    bool SupportsPkce { get; }

    /// <summary>The provider has a device flow (<see cref="StartDeviceFlowAsync"/>).</summary>
    bool SupportsDeviceFlow { get; }

    /// <summary>The provider's consent page for the authorization-code flow.</summary>
    /// <param name="redirectUri">The relay's callback, <c>&lt;public_url&gt;/relay/&lt;prefix&gt;/callback</c>.</param>
    /// <param name="state">The relay's random state, to come back unchanged on the callback.</param>
    /// <param name="codeChallenge">base64url(SHA-256(verifier)) when <see cref="SupportsPkce"/>; otherwise null.</param>
    Uri BuildAuthorizeUri(Uri redirectUri, string state, string? codeChallenge);

    /// <summary>Exchanges an authorization code (with its PKCE verifier when one was sent) for tokens.</summary>
    /// <exception cref="RelayUpstreamException">The provider refused, or could not be reached.</exception>
    Task<RelayTokens> ExchangeCodeAsync(string code, Uri redirectUri, string? codeVerifier, CancellationToken cancellationToken);

    /// <summary>Renews with a refresh token; <paramref name="driverTxt"/> is one of <see cref="DriverTxts"/>.</summary>
    /// <exception cref="RelayUpstreamException">The provider refused, or could not be reached.</exception>
    Task<RelayTokens> RefreshAsync(string refreshToken, string driverTxt, CancellationToken cancellationToken);

    /// <summary>Starts the device flow. Throws <see cref="NotSupportedException"/> unless <see cref="SupportsDeviceFlow"/>.</summary>
    Task<RelayDeviceCode> StartDeviceFlowAsync(CancellationToken cancellationToken);

    /// <summary>Polls a device flow once. Throws <see cref="NotSupportedException"/> unless <see cref="SupportsDeviceFlow"/>.</summary>
    Task<RelayDevicePoll> PollDeviceFlowAsync(string deviceCode, CancellationToken cancellationToken);
}

/// <summary>What the relay operator configured for one provider. <see cref="ClientSecret"/> is secret: never log it.</summary>
/// <param name="ClientId">The operator's app id (not secret).</param>
/// <param name="ClientSecret">The app secret, read from an environment variable or a file; null when the provider needs none (115 refresh, PKCE-only).</param>
/// <param name="ApiBaseUrl">The provider's API/token host; the cloud fakes in tests.</param>
/// <param name="AuthorizeBaseUrl">The host of the provider's consent page when it differs from the API host (123's <c>yun.123pan.com</c>); null = <see cref="ApiBaseUrl"/>.</param>
/// <param name="RedirectUri">The callback registered with the provider, when the operator must pin it (123's <c>cloud123_url</c>); null = derived from the public URL.</param>
public sealed record RelayClientKeys(string ClientId, string? ClientSecret, Uri ApiBaseUrl, Uri? AuthorizeBaseUrl = null, Uri? RedirectUri = null)
{
    public override string ToString() =>
        $"RelayClientKeys {{ ClientId = {ClientId}, ClientSecret = {(ClientSecret is null ? "(none)" : "***")}, ApiBaseUrl = {ApiBaseUrl}, AuthorizeBaseUrl = {AuthorizeBaseUrl}, RedirectUri = {RedirectUri} }}";
}

/// <summary>Tokens from the provider. Secret: never log.</summary>
/// <param name="ExpiresIn">Seconds the access token lives, when the provider says.</param>
public sealed record RelayTokens(string AccessToken, string RefreshToken, long? ExpiresIn)
{
    public override string ToString() => $"RelayTokens {{ AccessToken = ***, RefreshToken = ***, ExpiresIn = {ExpiresIn} }}";
}

/// <summary>A started device flow: what the user types or scans, and the code the relay polls with (kept server-side).</summary>
public sealed record RelayDeviceCode(string DeviceCode, string UserCode, Uri VerificationUri, Uri? VerificationUriComplete, TimeSpan ExpiresIn, TimeSpan Interval)
{
    public override string ToString() => $"RelayDeviceCode {{ UserCode = {UserCode}, VerificationUri = {VerificationUri}, ExpiresIn = {ExpiresIn}, Interval = {Interval} }}";
}

/// <summary>One device-flow poll: still pending (maybe slow down), done with tokens, or ended (denied, expired).</summary>
public sealed record RelayDevicePoll(RelayDevicePollState State, RelayTokens? Tokens = null, TimeSpan? NewInterval = null, string? Reason = null);

public enum RelayDevicePollState
{
    Pending,
    SlowDown,
    Approved,
    Denied,
    Expired,
}

/// <summary>
/// The provider refused (<see cref="Rejected"/>: a bad refresh token or code, with the provider's own reason) or
/// could not be reached (transient). <see cref="Exception.Message"/> is safe to show: it never holds a secret.
/// </summary>
public sealed class RelayUpstreamException(string message, bool rejected, int? upstreamStatus = null, TimeSpan? retryAfter = null, Exception? inner = null)
    : Exception(message, inner)
{
    /// <summary>The provider answered with a refusal (4xx, an error code); false for timeouts, 5xx, network errors.</summary>
    public bool Rejected { get; } = rejected;

    /// <summary>The provider's HTTP status, when it answered.</summary>
    public int? UpstreamStatus { get; } = upstreamStatus;

    /// <summary>The provider throttled the relay and said for how long.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
