using System.Text.Json;
using OpenList.DriverHost.Drivers.Tokens;

namespace OpenList.DriverHost.Drivers.Authorization;

/// <summary>
/// A driver whose provider lets a user authorize the app interactively (OAuth device flow, or a browser with a
/// loopback redirect). Implemented by the driver's <see cref="IDriverFactory"/>, so <c>driverhost auth &lt;mount&gt;</c>
/// can obtain tokens without starting the driver: the command finds the mount's storage record, checks its factory
/// implements this interface, runs <see cref="AuthorizeAsync"/> and saves the result in the mount's token store,
/// where the driver's token source reads it.
/// </summary>
public interface IInteractiveAuthorizer
{
    /// <summary>The flows offered; the first is the default.</summary>
    IReadOnlyList<AuthorizationFlow> Flows { get; }

    /// <summary>
    /// Problems with <paramref name="addition"/> that stop an authorization (a missing <c>client_id</c>), as
    /// (key, message) pairs; empty when it can start. Never echoes secret values.
    /// </summary>
    IReadOnlyList<DriverSettingError> ValidateForAuthorization(JsonElement addition);

    /// <summary>
    /// Runs one flow to its end: shows the user what to do through <paramref name="prompt"/>, waits for the approval
    /// and returns the tokens. Never writes a token anywhere itself.
    /// </summary>
    /// <exception cref="AuthorizationFailedException">Denied, expired, refused by the provider, or unreachable.</exception>
    Task<AuthorizationResult> AuthorizeAsync(
        JsonElement addition,
        DriverContext context,
        AuthorizationRequest request,
        IAuthorizationPrompt prompt,
        CancellationToken cancellationToken);
}

/// <summary>How the user approves the app.</summary>
public enum AuthorizationFlow
{
    /// <summary>OAuth 2.0 device authorization grant (RFC 8628): a code typed in (or a QR code scanned) on another device.</summary>
    DeviceCode,

    /// <summary>OAuth 2.0 authorization code with PKCE (RFC 7636) and a loopback redirect (RFC 8252 §7.3).</summary>
    Browser,
}

/// <summary>What the user asked for on the command line.</summary>
/// <param name="Flow">The flow to run.</param>
/// <param name="RedirectPort">Loopback port for <see cref="AuthorizationFlow.Browser"/>; 0 picks a free one.</param>
/// <param name="Timeout">How long to wait for the user before giving up; null uses the flow's own limit.</param>
public sealed record AuthorizationRequest(AuthorizationFlow Flow, int RedirectPort = 0, TimeSpan? Timeout = null);

/// <summary>
/// The tokens an authorization obtained, and the values drivers.json holds for this mount now: saved with the tokens
/// so the token source does not mistake them for a token the user typed after this authorization.
/// </summary>
/// <param name="Tokens">The new access and refresh token.</param>
/// <param name="ConfiguredAccessToken">The mount's <c>access_token</c> in drivers.json (trimmed; null when blank).</param>
/// <param name="ConfiguredRefreshToken">The mount's <c>refresh_token</c> in drivers.json (trimmed; null when blank).</param>
/// <param name="Account">Who authorized, for the user (a user name), when the provider says; never a secret.</param>
public sealed record AuthorizationResult(TokenSet Tokens, string? ConfiguredAccessToken, string? ConfiguredRefreshToken, string? Account)
{
    /// <summary>The record the mount's token store keeps.</summary>
    public StoredTokens ToStoredTokens() => new(Tokens.AccessToken, Tokens.RefreshToken, Tokens.ExpiresAt, ConfiguredAccessToken, ConfiguredRefreshToken);
}

/// <summary>What a flow shows the user. The command line renders it (text, a QR code); tests read it.</summary>
public interface IAuthorizationPrompt
{
    /// <summary>Device flow: the code to enter and where; <see cref="DeviceCodePrompt.VerificationUriComplete"/> is worth a QR code.</summary>
    Task ShowDeviceCodeAsync(DeviceCodePrompt prompt, CancellationToken cancellationToken);

    /// <summary>Browser flow: the page to open; the provider sends the browser back to <paramref name="redirectUri"/>.</summary>
    Task ShowAuthorizeUrlAsync(Uri authorizeUrl, Uri redirectUri, CancellationToken cancellationToken);

    /// <summary>A short status line while waiting ("slowing down", "still waiting").</summary>
    void Status(string message);
}

/// <param name="UserCode">The code the user types on the verification page.</param>
/// <param name="VerificationUri">The page where the code is typed.</param>
/// <param name="VerificationUriComplete">The page with the code filled in, when the provider gives one.</param>
/// <param name="ExpiresAt">When the code stops working.</param>
public sealed record DeviceCodePrompt(string UserCode, Uri VerificationUri, Uri? VerificationUriComplete, DateTimeOffset ExpiresAt);
