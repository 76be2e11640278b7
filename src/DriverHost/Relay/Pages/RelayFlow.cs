using OpenList.DriverHost.Drivers.Relay;

namespace OpenList.DriverHost.Relay.Pages;

/// <summary>How the user authorizes: in the browser that started, on a phone that scanned the desktop's QR code, or with a device code.</summary>
internal enum RelayFlowMode
{
    Browser,
    Qr,
    Device,
}

internal enum RelayFlowStatus
{
    /// <summary>Waiting for the provider's callback or the device approval.</summary>
    Pending,

    /// <summary>Tokens are held, waiting for the result page of the browser holding the flow cookie.</summary>
    Succeeded,

    /// <summary>The provider refused or the user denied; <see cref="RelayFlow.Failure"/> says why.</summary>
    Failed,
}

/// <summary>
/// One authorization in progress, kept server-side only (<see cref="RelayFlowStore"/>). The browser holds nothing but
/// <see cref="Id"/> in an HttpOnly cookie; the state, the PKCE verifier, the device code and the tokens never leave
/// this record except the state (to the provider) and the tokens (once, on the result page). Mutable fields are
/// changed under the store's lock only.
/// </summary>
internal sealed class RelayFlow
{
    public RelayFlow(string id, string prefix, RelayFlowMode mode, string state, string? codeVerifier, string? goId, DateTimeOffset expiresAt)
    {
        Id = id;
        Prefix = prefix;
        Mode = mode;
        State = state;
        CodeVerifier = codeVerifier;
        GoId = goId;
        ExpiresAt = expiresAt;
    }

    /// <summary>The cookie value: 32 random bytes, base64url.</summary>
    public string Id { get; }

    public string Prefix { get; }

    public RelayFlowMode Mode { get; }

    /// <summary>The OAuth state: 32 random bytes, base64url; sent to the provider, compared on the callback.</summary>
    public string State { get; }

    /// <summary>The PKCE verifier when the provider supports PKCE.</summary>
    public string? CodeVerifier { get; }

    /// <summary>QR mode: the one-time id of <c>/relay/&lt;prefix&gt;/go/&lt;id&gt;</c> the phone opens.</summary>
    public string? GoId { get; }

    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>QR mode: the phone has opened the go link and been sent to the provider (the link is spent).</summary>
    public bool GoUsed { get; set; }

    /// <summary>A callback with this flow's state has arrived (the state is spent, whatever the outcome).</summary>
    public bool CallbackUsed { get; set; }

    public RelayFlowStatus Status { get; set; }

    /// <summary>Secret: never log. Dropped once shown.</summary>
    public RelayTokens? Tokens { get; set; }

    /// <summary>Why the flow failed, safe to show (the provider's own reason, as text).</summary>
    public string? Failure { get; set; }

    /// <summary>Device mode: the started device flow; <see cref="RelayDeviceCode.DeviceCode"/> never leaves the server.</summary>
    public RelayDeviceCode? Device { get; init; }

    /// <summary>Device mode: the provider's polling interval (grows on slow_down).</summary>
    public TimeSpan PollInterval { get; set; }

    /// <summary>Device mode: no poll of the provider before this time.</summary>
    public DateTimeOffset NextPollAt { get; set; }

    /// <summary>Device mode: a poll of the provider is running (one at a time per flow).</summary>
    public bool Polling { get; set; }
}
