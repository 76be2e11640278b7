namespace OpenList.DriverHost.Drivers.Tokens;

/// <summary>What a provider's token endpoint (or the online API relay) returned.</summary>
/// <param name="AccessToken">The new access token.</param>
/// <param name="RefreshToken">The refresh token to use next time (the same one when the provider does not rotate).</param>
/// <param name="ExpiresAt">When the access token expires, when known.</param>
public sealed record TokenSet(string AccessToken, string RefreshToken, DateTimeOffset? ExpiresAt);

/// <summary>
/// One mount's tokens as the state store keeps them. <see cref="ConfiguredRefreshToken"/> and
/// <see cref="ConfiguredAccessToken"/> are the values drivers.json held when these tokens were saved: a different
/// value in drivers.json now means the user re-authorised, and the file wins.
/// </summary>
public sealed record StoredTokens(
    string? AccessToken,
    string? RefreshToken,
    DateTimeOffset? ExpiresAt,
    string? ConfiguredAccessToken,
    string? ConfiguredRefreshToken);
