namespace OpenList.DriverHost.Drivers.Tokens;

/// <summary>Calls the provider (or the online API relay) with a refresh token and returns the new tokens.</summary>
public delegate Task<TokenSet> TokenRefresher(string refreshToken, CancellationToken cancellationToken);

/// <summary>How one mount obtains and renews its access token.</summary>
public sealed record TokenSourceOptions
{
    /// <summary>The mount path, for messages and logs.</summary>
    public required string MountPath { get; init; }

    /// <summary>The provider's name as users know it, for messages ("Aliyun", "115").</summary>
    public required string Provider { get; init; }

    /// <summary>Where rotated tokens are saved.</summary>
    public required ITokenStore Store { get; init; }

    /// <summary>The access token typed into drivers.json, if any.</summary>
    public string? ConfiguredAccessToken { get; init; }

    /// <summary>The refresh token typed into drivers.json, if any.</summary>
    public string? ConfiguredRefreshToken { get; init; }

    /// <summary>Renews tokens; null when the mount has pasted tokens only.</summary>
    public TokenRefresher? Refresher { get; init; }

    /// <summary>
    /// The refresher obtains a new access token without any refresh token (client credentials, as 123's developer
    /// token endpoint): it is called with an empty string, and a missing refresh token is no reason to give up.
    /// </summary>
    public bool RenewsWithoutRefreshToken { get; init; }

    /// <summary>Reads an access token's expiry when the refresh response does not say (a JWT's <c>exp</c>).</summary>
    public Func<string, DateTimeOffset?>? ReadExpiry { get; init; }

    /// <summary>Refresh this long before the access token expires.</summary>
    public TimeSpan RefreshBeforeExpiry { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>After the provider rejects the refresh token, answer with that error for this long before trying again.</summary>
    public TimeSpan RetryRejectedAfter { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>What the user must do when the refresh token is rejected.</summary>
    public string ReauthorizeHint { get; init; } = "re-authorize and paste a new refresh token";

    /// <summary>What the user must do when there is neither a usable access token nor a refresh token.</summary>
    public string MissingTokenHint { get; init; } = "paste a new token";

    /// <summary>Upper bound for one refresh call, independent of the requests waiting for it.</summary>
    public TimeSpan RefreshTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
