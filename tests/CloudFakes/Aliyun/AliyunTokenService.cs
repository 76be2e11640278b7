using OpenList.DriverHost.CloudFakes.Shared;

namespace OpenList.DriverHost.CloudFakes.Aliyun;

/// <summary>
/// The refresh_token grant, shared by <c>POST /oauth/access_token</c> and the relay.
/// Refresh tokens are single-use and rotate; the access tokens issued before stay valid until their own
/// expiry (documented: the old access token is not invalidated immediately).
/// DESIGN (the real statuses are not documented): a bad client is 401 InvalidClientId / InvalidClientSecret;
/// an unknown, already used, or other-app refresh token is 400 RefreshTokenInvalid; a revoked or expired one
/// is 400 RefreshTokenExpired.
/// </summary>
internal static class AliyunTokenService
{
    public static AliyunTokens Refresh(AliyunFake fake, string? clientId, string? clientSecret, string? grantType, string? refreshToken)
    {
        if (string.IsNullOrEmpty(clientId) || !fake.TryGetClientSecret(clientId, out var secret))
        {
            throw new FakeApiException(401, "InvalidClientId", "Client id is invalid.");
        }

        if (clientSecret != secret)
        {
            throw new FakeApiException(401, "InvalidClientSecret", "Client secret is invalid.");
        }

        if (grantType != "refresh_token")
        {
            throw new FakeApiException(400, "InvalidGrantType", "grant_type must be refresh_token.");
        }

        if (string.IsNullOrEmpty(refreshToken))
        {
            throw new FakeApiException(400, "RefreshTokenInvalid", "refresh_token is required.");
        }

        // The server limits token calls like any other call of the user; the user is known from the token.
        if (fake.Tokens.PeekRefresh(refreshToken) is { } grant && grant.ClientId == clientId)
        {
            fake.TakeRateLimit(grant.Subject, clientId, AliyunRateClass.Other);
        }

        var check = fake.Tokens.Redeem(refreshToken, clientId, fake.AccessTokenLifetime, fake.RefreshTokenLifetime, out var tokens);
        switch (check)
        {
            case RefreshCheck.Valid:
                fake.CountRefresh();
                return AliyunFake.ToPublic(tokens!);
            case RefreshCheck.Revoked:
            case RefreshCheck.Expired:
                throw new FakeApiException(400, "RefreshTokenExpired", "Refresh token is expired.");
            case RefreshCheck.Used:
                throw new FakeApiException(400, "RefreshTokenInvalid", "Refresh token is invalid: it was already used.");
            case RefreshCheck.OtherClient:
                throw new FakeApiException(400, "RefreshTokenInvalid", "Refresh token is invalid: it was issued to another client_id.");
            default:
                throw new FakeApiException(400, "RefreshTokenInvalid", "Refresh token is invalid.");
        }
    }
}
