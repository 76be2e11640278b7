namespace OpenList.DriverHost.Drivers.Tokens;

/// <summary>
/// The provider (or relay) refused the refresh token itself: retrying cannot help, the user must re-authorise.
/// Refreshers raise it; the token source turns it into the mount's AuthExpired error. Transient failures
/// (network, 5xx, throttling) are raised as anything else.
/// </summary>
public sealed class TokenRefreshRejectedException : Exception
{
    public TokenRefreshRejectedException(string providerCode, string? detail = null)
        : base(detail is null ? providerCode : $"{providerCode}: {detail}")
    {
        ProviderCode = providerCode;
    }

    /// <summary>The provider's own code (<c>RefreshTokenExpired</c>, <c>40140116</c>), shown to the user.</summary>
    public string ProviderCode { get; }
}
