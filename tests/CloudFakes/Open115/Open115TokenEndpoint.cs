using OpenList.DriverHost.CloudFakes.Shared;

namespace OpenList.DriverHost.CloudFakes.Open115;

/// <summary>
/// passportapi <c>POST /open/refreshToken</c> (form <c>refresh_token</c>, no client id or secret). Success:
/// <c>{state:1, code:0, message:"", data:{access_token, refresh_token, expires_in}, error:"", errno:0}</c>.
/// The refresh token rotates (single use) and the new one keeps the authorization's expiry; unless
/// <see cref="Open115Fake.OldAccessTokenSurvivesRefresh"/>, older access tokens of the authorization end.
/// Errors (DESIGN where the doc gives only the code's meaning): missing or malformed → 40140114, forged
/// → 40140115, a valid token that is not a refresh token → 40140120, used / revoked / displaced by a third
/// authorization → 40140116, expired → 40140119, refreshing faster than <see cref="Open115RateLimits"/> → 40140117.
/// </summary>
internal static class Open115TokenEndpoint
{
    public const string Path = "/open/refreshToken";

    public static void Map(IEndpointRouteBuilder routes, Open115Fake fake) =>
        routes.MapPost(Path, context => HandleAsync(context, fake))
            .WithMetadata(Open115Routes.Operation(Path, Open115PassportErrorWriter.Instance));

    private static async Task HandleAsync(HttpContext context, Open115Fake fake)
    {
        try
        {
            var parameters = await Open115Routes.ReadParametersAsync(context.Request, context.RequestAborted);
            var tokens = Refresh(fake, parameters.GetValueOrDefault("refresh_token"));
            await WriteTokensAsync(context, tokens);
        }
        catch (FakeApiException error)
        {
            await Open115PassportErrorWriter.Instance.WriteAsync(context, error.ToFailure());
        }
    }

    /// <summary>The passport success envelope with a token pair (refresh and code exchange answer the same).</summary>
    public static Task WriteTokensAsync(HttpContext context, Open115Tokens tokens) =>
        Open115Json.WriteAsync(context, StatusCodes.Status200OK, new Dictionary<string, object?>
        {
            ["state"] = 1,
            ["code"] = 0,
            ["message"] = "",
            ["data"] = new Dictionary<string, object?>
            {
                ["access_token"] = tokens.AccessToken,
                ["refresh_token"] = tokens.RefreshToken,
                ["expires_in"] = tokens.ExpiresIn,
            },
            ["error"] = "",
            ["errno"] = 0,
        });

    private static Open115Tokens Refresh(Open115Fake fake, string? refreshToken)
    {
        switch (fake.Tokens.Knows(refreshToken) ? TokenShape.Signed : fake.Tokens.Factory.Verify(refreshToken))
        {
            case TokenShape.Malformed:
                throw Open115Errors.Api(Open115Errors.RefreshTokenFormat, "refresh_token 格式错误");
            case TokenShape.BadSignature:
                throw Open115Errors.Api(Open115Errors.RefreshTokenSignature, "refresh_token 签名校验失败");
        }

        var grant = fake.Tokens.PeekRefresh(refreshToken!) ?? throw Open115Errors.Api(Open115Errors.RefreshTokenVerification, "refresh_token 校验失败");
        if (fake.RateLimited("refresh/" + grant.Family.Sequence, out var retryAfter))
        {
            throw new FakeApiException(StatusCodes.Status200OK, Open115Errors.RefreshTooFrequent.ToString(System.Globalization.CultureInfo.InvariantCulture), "access_token 刷新太频繁", retryAfter);
        }

        var options = new RotationOptions(KeepRefreshExpiry: true, EndPreviousAccessTokens: !fake.OldAccessTokenSurvivesRefresh);
        var check = fake.Tokens.Redeem(refreshToken!, grant.ClientId, fake.AccessTokenLifetime, fake.RefreshTokenLifetime, out var tokens, options);
        switch (check)
        {
            case RefreshCheck.Valid:
                fake.CountRefresh();
                return Open115Fake.ToPublic(tokens!);
            case RefreshCheck.Expired:
                throw Open115Errors.Api(Open115Errors.RefreshTokenExpired, "refresh_token 已过期");
            case RefreshCheck.Used:
            case RefreshCheck.Revoked:
            case RefreshCheck.Displaced:
                throw Open115Errors.Api(Open115Errors.RefreshTokenInvalid, "no auth");
            default:
                throw Open115Errors.Api(Open115Errors.RefreshTokenVerification, "refresh_token 校验失败");
        }
    }
}
