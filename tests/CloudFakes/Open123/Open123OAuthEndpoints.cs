using System.Text.Json;
using System.Text.Json.Serialization;
using OpenList.DriverHost.CloudFakes.Shared;

namespace OpenList.DriverHost.CloudFakes.Open123;

/// <summary>
/// 123's third-party OAuth (online-api-relay.md §3.4, cloud-apis.md §3.1, §3.3). The consent page
/// <c>GET /auth?client_id&amp;redirect_uri&amp;scope&amp;state</c> (yun.123pan.com in reality; here on the same base
/// URL) auto-approves as <see cref="Open123Fake.AuthorizingAccount"/> and redirects (302) with <c>code</c> and the
/// state exactly as received; the relay sends no response_type, so it is optional (but must be "code" when sent).
/// <c>POST /api/v1/oauth2/access_token</c> reads EVERY parameter from the query string, as the relay sends them, with
/// an empty body; a body is ignored, so body-only parameters count as missing. Success is the unwrapped OAuth answer
/// <c>{access_token, refresh_token, expires_in, token_type:"Bearer", scope}</c>. DESIGN (the spec shows no error
/// body; the relay reads <c>error_description</c> from it): errors are RFC 6749 <c>{error, error_description}</c>,
/// HTTP 400 (invalid_request, invalid_grant, unsupported_grant_type) or 401 (invalid_client), not the API envelope;
/// an unknown client or an unacceptable redirect_uri at <c>/auth</c> is the same 400 JSON, with no redirect.
/// </summary>
internal static class Open123OAuthEndpoints
{
    public const string AuthorizePath = "/auth";
    public const string TokenPath = "/api/v1/oauth2/access_token";

    private static readonly HashSet<string> KnownScopes = new(Open123Fake.OAuthScope.Split(','), StringComparer.Ordinal);

    public static void Map(IEndpointRouteBuilder routes, Open123Fake fake)
    {
        routes.MapGet(AuthorizePath, context => AuthorizeAsync(context, fake))
            .WithMetadata(new FakeOperation(Open123Fake.Provider, AuthorizePath, Open123OAuthErrorWriter.Instance));
        routes.MapPost(TokenPath, context => TokenAsync(context, fake))
            .WithMetadata(new FakeOperation(Open123Fake.Provider, TokenPath, Open123OAuthErrorWriter.Instance));
    }

    private static async Task AuthorizeAsync(HttpContext context, Open123Fake fake)
    {
        var query = context.Request.Query;
        var clientId = query["client_id"].ToString();
        var redirectUri = query["redirect_uri"].ToString();
        var state = query["state"].ToString();
        var client = fake.FindOAuthClient(clientId);
        var problem = client is null ? null : ConsentPage.CheckRedirectUri(redirectUri, client.RedirectUris);
        if (client is null || problem is not null)
        {
            await WriteErrorAsync(context, client is null ? new Open123OAuthException(400, "invalid_client", "unknown client_id") : new Open123OAuthException(400, "invalid_request", problem!));
            return;
        }

        var scopes = query["scope"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var responseType = query["response_type"].ToString();
        var location = fake.Consent.Answer(
            redirectUri,
            state,
            responseType.Length == 0 || responseType == "code",
            scopes.Length > 0 && scopes.All(KnownScopes.Contains),
            () => fake.DefaultAccount() is { } account
                ? fake.Codes.Issue(account.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture), clientId, redirectUri, string.Join(',', scopes))
                : null);
        context.Response.Redirect(location);
    }

    private static async Task TokenAsync(HttpContext context, Open123Fake fake)
    {
        context.Response.Headers.CacheControl = "no-store";
        var query = context.Request.Query;
        string Q(string name) => query[name].ToString();
        try
        {
            var tokens = Q("grant_type") switch
            {
                "authorization_code" => Open123OAuthService.ExchangeCode(fake, Q("client_id"), Q("client_secret"), Q("code"), Q("redirect_uri")),
                "refresh_token" => Open123OAuthService.Refresh(fake, Q("client_id"), Q("client_secret"), Q("refresh_token")),
                "" => throw new Open123OAuthException(400, "invalid_request", "grant_type is required (in the query string)"),
                var other => throw new Open123OAuthException(400, "unsupported_grant_type", $"grant_type '{other}' is not supported"),
            };
            fake.CountOAuthToken();
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/json; charset=utf-8";
            var body = new TokenResponse(tokens.AccessToken, tokens.RefreshToken, tokens.ExpiresIn, "Bearer", tokens.Scope);
            await JsonSerializer.SerializeAsync(context.Response.Body, body, Open123Json.Options, context.RequestAborted);
        }
        catch (Open123OAuthException error)
        {
            await WriteErrorAsync(context, error);
        }
    }

    private static Task WriteErrorAsync(HttpContext context, Open123OAuthException error) =>
        Open123OAuthErrorWriter.WriteAsync(context, error.Status, error.Error, error.Message);

    private sealed record TokenResponse(
        [property: JsonPropertyName("access_token")] string AccessToken,
        [property: JsonPropertyName("refresh_token")] string RefreshToken,
        [property: JsonPropertyName("expires_in")] long ExpiresIn,
        [property: JsonPropertyName("token_type")] string TokenType,
        [property: JsonPropertyName("scope")] string Scope);
}

/// <summary>RFC 6749 error bodies for the OAuth routes, also for faults injected on them (status → error name).</summary>
internal sealed class Open123OAuthErrorWriter : IFakeErrorWriter
{
    public static readonly Open123OAuthErrorWriter Instance = new();

    public static async Task WriteAsync(HttpContext context, int status, string error, string description)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(context.Response.Body, new ErrorBody(error, description), Open123Json.Options, context.RequestAborted);
    }

    public Task WriteAsync(HttpContext context, InjectedFailure failure)
    {
        if (failure.RetryAfter is { } wait)
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var error = failure.Status switch
        {
            503 => "temporarily_unavailable",
            >= 500 => "server_error",
            401 => "invalid_client",
            _ => "invalid_request",
        };
        return WriteAsync(context, failure.Status, error, failure.Message);
    }

    private sealed record ErrorBody(
        [property: JsonPropertyName("error")] string Error,
        [property: JsonPropertyName("error_description")] string ErrorDescription);
}
