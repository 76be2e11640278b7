using OpenList.DriverHost.CloudFakes.Shared;

namespace OpenList.DriverHost.CloudFakes.Aliyun;

/// <summary>
/// <c>POST /oauth/access_token</c>: JSON (as documented) or form-urlencoded (as the relay sends it);
/// grant_type <c>authorization_code</c> (code from <c>/oauth/authorize</c>) or <c>refresh_token</c>.
/// </summary>
internal static class AliyunTokenEndpoint
{
    public const string Path = "/oauth/access_token";
    private static readonly string[] TokenFields = ["client_id", "client_secret", "grant_type", "refresh_token", "code", "redirect_uri"];

    public static void Map(IEndpointRouteBuilder routes, AliyunFake fake)
    {
        async Task Handle(HttpContext context)
        {
            try
            {
                var fields = await ReadFieldsAsync(context.Request, context.RequestAborted);
                var clientId = fields.GetValueOrDefault("client_id");
                var secret = fields.GetValueOrDefault("client_secret");
                var grantType = fields.GetValueOrDefault("grant_type");
                var tokens = grantType == "authorization_code"
                    ? AliyunTokenService.ExchangeCode(fake, clientId, secret, fields.GetValueOrDefault("code"), fields.GetValueOrDefault("redirect_uri"))
                    : AliyunTokenService.Refresh(fake, clientId, secret, grantType, fields.GetValueOrDefault("refresh_token"));
                await AliyunJson.WriteAsync(context, 200, new AliyunTokenResponse("Bearer", tokens.AccessToken, tokens.RefreshToken, tokens.ExpiresIn));
            }
            catch (FakeApiException error)
            {
                await JsonErrorWriter.Instance.WriteAsync(context, error.ToFailure());
            }
        }

        routes.MapPost(Path, Handle).WithMetadata(AliyunRoutes.Operation(Path));
    }

    private static async Task<Dictionary<string, string?>> ReadFieldsAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(cancellationToken);
            return form.ToDictionary(f => f.Key, f => (string?)f.Value.ToString(), StringComparer.Ordinal);
        }

        var body = await JsonRequest.ReadAsync(request, allowEmpty: false, cancellationToken);
        return TokenFields.ToDictionary(name => name, body.OptionalString, StringComparer.Ordinal);
    }
}
