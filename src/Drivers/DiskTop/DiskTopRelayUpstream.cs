using OpenList.DriverHost.Drivers.Relay;
using OpenList.DriverHost.Drivers.Tokens;

namespace OpenList.DriverHost.Drivers.DiskTop;

/// <summary>
/// Disk.Top for the self-hosted relay (cloud-apis.md §4.3): consent at <c>/oauth/authorize</c> with PKCE S256, code
/// exchange and refresh at <c>/oauth/token</c>, and the device flow (<c>/oauth/device-code</c>,
/// <c>/oauth/device-token</c>). The secret is optional: a public client relies on PKCE. All wire work is
/// <see cref="DiskTopOAuthClient"/>'s, the driver's own.
/// </summary>
public sealed class DiskTopRelayUpstream : IRelayUpstream
{
    public const string RelayPrefix = "disktop";

    /// <summary>Documented defaults of the device-code answer.</summary>
    private static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan DefaultDeviceLifetime = TimeSpan.FromSeconds(600);

    private readonly RelayClientKeys _keys;
    private readonly TimeProvider _time;
    private readonly DiskTopOAuthClient _oauth;
    private readonly DiskTopOAuthClient _authorizePage;

    public DiskTopRelayUpstream(RelayClientKeys keys, HttpClient http, TimeProvider time)
    {
        _keys = keys;
        _time = time;
        var options = new DiskTopOptions { ClientId = keys.ClientId, ClientSecret = keys.ClientSecret, ApiBaseUrl = keys.ApiBaseUrl };
        _oauth = new DiskTopOAuthClient(http, options, time);
        _authorizePage = new DiskTopOAuthClient(http, options with { ApiBaseUrl = keys.AuthorizeBaseUrl ?? keys.ApiBaseUrl }, time);
    }

    /// <summary>The provider host when the operator names none.</summary>
    public static Uri DefaultApiBaseUrl { get; } = new(DiskTopOptions.DefaultApiBaseUrl);

    public string Prefix => RelayPrefix;

    public string DisplayName => "Disk.Top";

    public string DriverName => DiskTopDriverFactory.DriverName;

    public IReadOnlyList<string> DriverTxts { get; } = [DiskTopOptions.DriverTxt];

    public bool SupportsPkce => true;

    public bool SupportsDeviceFlow => true;

    public Uri BuildAuthorizeUri(Uri redirectUri, string state, string? codeChallenge) =>
        _authorizePage.AuthorizeUrl(redirectUri, state, codeChallenge ?? throw new ArgumentException("Disk.Top's authorization needs a PKCE challenge", nameof(codeChallenge)));

    public Task<RelayTokens> ExchangeCodeAsync(string code, Uri redirectUri, string? codeVerifier, CancellationToken cancellationToken) =>
        RelayUpstreamCall.RunAsync(
            "Disk.Top",
            async ct =>
            {
                var reply = await _oauth.ExchangeCodeAsync(code, redirectUri, codeVerifier ?? "", ct).ConfigureAwait(false);
                return reply.Tokens(_time) ?? throw reply.RefreshFailure(code);
            },
            _time,
            cancellationToken);

    public Task<RelayTokens> RefreshAsync(string refreshToken, string driverTxt, CancellationToken cancellationToken) =>
        RelayUpstreamCall.RunAsync("Disk.Top", ct => _oauth.RefreshAsync(refreshToken, ct), _time, cancellationToken, keepRefreshToken: refreshToken);

    public async Task<RelayDeviceCode> StartDeviceFlowAsync(CancellationToken cancellationToken)
    {
        var (code, reply) = await Guard(ct => _oauth.RequestDeviceCodeAsync(ct), cancellationToken).ConfigureAwait(false);
        if (code is null || !Uri.TryCreate(code.VerificationUri, UriKind.Absolute, out var verification))
        {
            throw Translate(reply.RefreshFailure(""), cancellationToken);
        }

        return new RelayDeviceCode(
            code.DeviceCode!,
            code.UserCode!,
            verification,
            Uri.TryCreate(code.VerificationUriComplete, UriKind.Absolute, out var complete) ? complete : null,
            code.ExpiresIn is > 0 ? TimeSpan.FromSeconds(code.ExpiresIn.Value) : DefaultDeviceLifetime,
            code.Interval is > 0 ? TimeSpan.FromSeconds(code.Interval.Value) : DefaultInterval);
    }

    public async Task<RelayDevicePoll> PollDeviceFlowAsync(string deviceCode, CancellationToken cancellationToken)
    {
        var reply = await Guard(ct => _oauth.PollDeviceTokenAsync(deviceCode, ct), cancellationToken).ConfigureAwait(false);
        if (reply.Tokens(_time) is { } tokens)
        {
            return new RelayDevicePoll(RelayDevicePollState.Approved, new RelayTokens(tokens.AccessToken, tokens.RefreshToken, RelayUpstreamCall.ExpiresIn(tokens, _time)));
        }

        // §4.6: the errors may come with HTTP 400 or 200; the error field decides.
        return reply.Error switch
        {
            "authorization_pending" => new RelayDevicePoll(RelayDevicePollState.Pending),
            "slow_down" => new RelayDevicePoll(RelayDevicePollState.SlowDown),
            "access_denied" => new RelayDevicePoll(RelayDevicePollState.Denied, Reason: "the authorization was denied on the Disk.Top page"),
            "expired_token" => new RelayDevicePoll(RelayDevicePollState.Expired, Reason: "the device code expired before it was approved"),
            _ => throw Translate(reply.RefreshFailure(deviceCode), cancellationToken),
        };
    }

    private static async Task<T> Guard<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (RelayUpstreamCall.Translate("Disk.Top", e, cancellationToken) is { } translated)
        {
            throw translated;
        }
    }

    private static RelayUpstreamException Translate(Exception failure, CancellationToken cancellationToken) =>
        RelayUpstreamCall.Translate("Disk.Top", failure, cancellationToken)
        ?? new RelayUpstreamException("Disk.Top refused the request", rejected: true);
}
