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
    /// <summary>
    /// grant_type=authorization_code: a code from <c>/oauth/authorize</c>, single use, bound to the client, valid
    /// 10 minutes. Aliyun's exchange carries no redirect_uri (the relay sends none, online-api-relay.md §3.3), so
    /// redirect_uri is checked only when sent. Any problem with the code is 400 InvalidCode (DESIGN: the status).
    /// </summary>
    public static AliyunTokens ExchangeCode(AliyunFake fake, string? clientId, string? clientSecret, string? code, string? redirectUri)
    {
        CheckClient(fake, clientId, clientSecret);
        var check = fake.Codes.Redeem(code, clientId!, string.IsNullOrEmpty(redirectUri) ? null : redirectUri, out var grant);
        var problem = check switch
        {
            CodeCheck.Valid when fake.FindAccount(grant!.Subject) is null => "the account no longer exists",
            CodeCheck.Valid => null,
            CodeCheck.Missing => "code is required",
            CodeCheck.Used => "the code was already used",
            CodeCheck.Expired => "the code expired",
            CodeCheck.RedirectMismatch => "redirect_uri does not match the authorization request",
            _ => "the code is invalid",
        };
        if (problem is not null)
        {
            throw new FakeApiException(400, "InvalidCode", "Code is invalid: " + problem + ".");
        }

        return AliyunFake.ToPublic(fake.Tokens.Issue(grant!.Subject, clientId!, fake.AccessTokenLifetime, fake.RefreshTokenLifetime));
    }

    /// <summary>Unknown client → 401 InvalidClientId, wrong secret → 401 InvalidClientSecret; checked before the grant.</summary>
    public static void CheckClient(AliyunFake fake, [System.Diagnostics.CodeAnalysis.NotNull] string? clientId, string? clientSecret)
    {
        if (string.IsNullOrEmpty(clientId) || !fake.TryGetClientSecret(clientId, out var secret))
        {
            throw new FakeApiException(401, "InvalidClientId", "Client id is invalid.");
        }

        if (clientSecret != secret)
        {
            throw new FakeApiException(401, "InvalidClientSecret", "Client secret is invalid.");
        }
    }

    public static AliyunTokens Refresh(AliyunFake fake, string? clientId, string? clientSecret, string? grantType, string? refreshToken)
    {
        CheckClient(fake, clientId, clientSecret);
        if (grantType != "refresh_token")
        {
            throw new FakeApiException(400, "InvalidGrantType", "grant_type must be authorization_code or refresh_token.");
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
