using OpenList.DriverHost.CloudFakes.Shared;

namespace OpenList.DriverHost.CloudFakes.Open123;

/// <summary>
/// The two grants of 123's OAuth token endpoint, shared by <c>POST /api/v1/oauth2/access_token</c> and the relay's
/// <c>/123cloud/renewapi</c> (which refreshes with <see cref="Open123Fake.RelayClientId"/>). Refresh tokens are
/// single use and rotate, and the chain's previous access token dies at once (cloud-apis.md §3.3). Failures are
/// RFC 6749 errors (see <see cref="Open123OAuthException"/>); the client is checked before the grant.
/// </summary>
internal static class Open123OAuthService
{
    public static Open123Tokens Refresh(Open123Fake fake, string clientId, string clientSecret, string refreshToken)
    {
        Authenticate(fake, clientId, clientSecret);
        if (refreshToken.Length == 0)
        {
            throw new Open123OAuthException(400, "invalid_request", "refresh_token is required");
        }

        var problem = fake.Tokens.Redeem(refreshToken, clientId, fake.AccessTokenLifetime, fake.RefreshTokenLifetime, out var tokens) switch
        {
            RefreshCheck.Valid => null,
            RefreshCheck.Used => "the refresh token was already used (refresh tokens rotate on each use)",
            RefreshCheck.Revoked => "the refresh token was revoked",
            RefreshCheck.Expired => "the refresh token expired",
            RefreshCheck.OtherClient => "the refresh token was issued to another client",
            _ => "the refresh token is not valid",
        };
        return problem is null ? tokens! : throw new Open123OAuthException(400, "invalid_grant", problem);
    }

    /// <summary>authorization_code: single use, bound to client_id and redirect_uri (required, exact), 10 minutes.</summary>
    public static Open123Tokens ExchangeCode(Open123Fake fake, string clientId, string clientSecret, string code, string redirectUri)
    {
        Authenticate(fake, clientId, clientSecret);
        if (code.Length == 0 || redirectUri.Length == 0)
        {
            throw new Open123OAuthException(400, "invalid_request", code.Length == 0 ? "code is required" : "redirect_uri is required");
        }

        var problem = fake.Codes.Redeem(code, clientId, redirectUri, out var grant) switch
        {
            CodeCheck.Valid => null,
            CodeCheck.Used => "the authorization code was already used",
            CodeCheck.Expired => "the authorization code expired",
            CodeCheck.RedirectMismatch => "redirect_uri does not match the authorization request",
            _ => "the authorization code is not valid",
        };
        if (problem is not null || !long.TryParse(grant!.Subject, out var uid) || fake.FindAccount(uid) is null)
        {
            throw new Open123OAuthException(400, "invalid_grant", problem ?? "the account no longer exists");
        }

        return fake.Tokens.IssueOAuth(uid, clientId, fake.AccessTokenLifetime, fake.RefreshTokenLifetime, grant.Scope);
    }

    private static void Authenticate(Open123Fake fake, string clientId, string clientSecret)
    {
        if (clientId.Length == 0 || fake.FindOAuthClient(clientId) is not { } client)
        {
            throw new Open123OAuthException(401, "invalid_client", clientId.Length == 0 ? "client_id is required" : "unknown client_id");
        }

        if (client.Secret != clientSecret)
        {
            throw new Open123OAuthException(401, "invalid_client", "client authentication failed");
        }
    }
}

/// <summary>An RFC 6749 error: <c>{"error", "error_description"}</c> with 400 (401 for invalid_client).</summary>
internal sealed class Open123OAuthException(int status, string error, string description) : Exception(description)
{
    public int Status { get; } = status;

    public string Error { get; } = error;
}
