using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace OpenList.DriverHost.CloudFakes.DiskTop;

/// <summary>
/// OAuth 2.0: <c>GET /oauth/authorize</c> (auto-approving test mode), <c>POST /oauth/token</c>
/// (authorization_code with PKCE S256, refresh_token with rotation, device_code), <c>POST /oauth/device-code</c>,
/// <c>POST /oauth/device-token</c> and the verification page <c>/oauth/device</c>. Errors are RFC 6749
/// <c>{"error","error_description"}</c>: 400 invalid_request / invalid_grant / unsupported_grant_type /
/// invalid_scope, 401 invalid_client. Bodies must be form-urlencoded (as documented).
/// </summary>
internal static partial class DiskTopOAuthEndpoints
{
    public const string AuthorizePath = "/oauth/authorize";
    public const string TokenPath = "/oauth/token";
    public const string DeviceCodePath = "/oauth/device-code";
    public const string DeviceTokenPath = "/oauth/device-token";
    public const string DevicePagePath = "/oauth/device";
    public const string DeviceGrantUrn = "urn:ietf:params:oauth:grant-type:device_code";
    private static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(10);

    public static void Map(IEndpointRouteBuilder routes, DiskTopFake fake)
    {
        // GET /oauth/authorize is mapped by OAuthAuthorizeRoute (the path is shared with Aliyun).
        MapForm(routes, fake, TokenPath, Token);
        MapForm(routes, fake, DeviceCodePath, DeviceCode);
        MapForm(routes, fake, DeviceTokenPath, (f, form) => PollDevice(f, form, form["client_id"].ToString()));
        routes.MapGet(DevicePagePath, context => DevicePage(context)).WithMetadata(DiskTopRoutes.OAuthOperation(DevicePagePath));
        MapForm(routes, fake, DevicePagePath, DeviceDecision);
    }

    /// <summary>A form POST answering JSON (200 for success, the <see cref="OAuthException"/>'s status otherwise).</summary>
    private static void MapForm(IEndpointRouteBuilder routes, DiskTopFake fake, string path, Func<DiskTopFake, IFormCollection, object> handler)
    {
        async Task Handle(HttpContext context)
        {
            context.Response.Headers.CacheControl = "no-store";
            context.Response.Headers.Pragma = "no-cache";
            try
            {
                if (!context.Request.HasFormContentType || !(context.Request.ContentType ?? "").StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
                {
                    throw new OAuthException(400, "invalid_request", "the body must be application/x-www-form-urlencoded");
                }

                var form = await context.Request.ReadFormAsync(context.RequestAborted);
                await DiskTopJson.WriteAsync(context, 200, handler(fake, form));
            }
            catch (OAuthException error)
            {
                await DiskTopJson.WriteAsync(context, error.Status, new OAuthError(error.Error, error.Message));
            }
        }

        routes.MapPost(path, Handle).WithMetadata(DiskTopRoutes.OAuthOperation(path));
    }

    /// <summary>
    /// Validates the client and redirect_uri (errors there are a 400 JSON page: no redirect to an unverified URI),
    /// then redirects (302) to redirect_uri with code and state, or with error=… and state.
    /// </summary>
    public static async Task Authorize(HttpContext context, DiskTopFake fake)
    {
        var query = context.Request.Query;
        string Q(string name) => query[name].ToString();
        var redirectUri = Q("redirect_uri");
        OAuthError? problem;
        string? location = null;
        lock (fake.Gate)
        {
            var client = fake.FindClient(Q("client_id"));
            problem = client is null ? new OAuthError("invalid_client", Q("client_id").Length == 0 ? "client_id is required" : "unknown client_id")
                : redirectUri.Length == 0 ? new OAuthError("invalid_request", "redirect_uri is required")
                : !Uri.TryCreate(redirectUri, UriKind.Absolute, out _) ? new OAuthError("invalid_request", "redirect_uri must be an absolute URI")
                : client.RedirectUris.Count > 0 && !client.RedirectUris.Contains(redirectUri) ? new OAuthError("invalid_request", "redirect_uri is not registered for this client")
                : null;
            if (problem is null)
            {
                location = AuthorizeRedirect(fake, client!, redirectUri, Q);
            }
        }

        if (problem is not null)
        {
            await DiskTopJson.WriteAsync(context, 400, problem);
            return;
        }

        context.Response.Redirect(location!);
    }

    /// <summary>The redirect for a verified client and redirect_uri. Call under the lock.</summary>
    private static string AuthorizeRedirect(DiskTopFake fake, DiskTopClient client, string redirectUri, Func<string, string> q)
    {
        var state = q("state");
        string Redirect(params (string Key, string Value)[] fields)
        {
            var all = fields.Concat(state.Length > 0 ? [("state", state)] : Array.Empty<(string Key, string Value)>());
            var separator = redirectUri.Contains('?', StringComparison.Ordinal) ? "&" : "?";
            return redirectUri + separator + string.Join('&', all.Select(f => f.Key + "=" + Uri.EscapeDataString(f.Value)));
        }

        if (q("response_type") != "code")
        {
            return Redirect(("error", "unsupported_response_type"), ("error_description", "response_type must be code"));
        }

        var scopes = DiskTopFake.ParseScopes(q("scope"), client);
        if (scopes is null)
        {
            return Redirect(("error", "invalid_scope"), ("error_description", "a requested scope is unknown or not approved for this app"));
        }

        var challenge = q("code_challenge");
        var method = q("code_challenge_method");
        if (challenge.Length > 0 && method != "S256")
        {
            return Redirect(("error", "invalid_request"), ("error_description", "code_challenge_method must be S256"));
        }

        if (challenge.Length == 0 && method.Length > 0)
        {
            return Redirect(("error", "invalid_request"), ("error_description", "code_challenge_method without code_challenge"));
        }

        if (challenge.Length > 0 && !ChallengeShape().IsMatch(challenge))
        {
            return Redirect(("error", "invalid_request"), ("error_description", "code_challenge must be base64url(SHA256(code_verifier)) without padding"));
        }

        var account = fake.DefaultAccount();
        if (!fake.AutoApproveAuthorization || account is null || !fake.Consent.TakeDecision())
        {
            return Redirect(("error", "access_denied"), ("error_description", "the user denied the request"));
        }

        var code = DiskTopSecrets.Hex(20);
        fake.Codes.Add(code, new DiskTopAuthCode(account, client.ClientId, redirectUri, scopes, challenge.Length > 0 ? challenge : null, fake.Time.GetUtcNow() + CodeLifetime));
        return Redirect(("code", code));
    }

    private static object Token(DiskTopFake fake, IFormCollection form)
    {
        var grantType = form["grant_type"].ToString();
        switch (grantType)
        {
            case "":
                throw new OAuthException(400, "invalid_request", "grant_type is required");
            case "authorization_code":
                return ExchangeCode(fake, form);
            case "refresh_token":
                return Refresh(fake, form);
            case "device_code" or DeviceGrantUrn:
                return PollDevice(fake, form, form["client_id"].ToString());
            default:
                throw new OAuthException(400, "unsupported_grant_type", $"grant_type '{grantType}' is not supported");
        }
    }

    /// <summary>
    /// authorization_code: the code is single-use (burnt by any attempt that names the right client), bound to
    /// client_id and redirect_uri, valid 10 minutes. With a code_challenge the code_verifier must hash to it
    /// (S256) and client_secret may be left out (public client); without one, client_secret is required and a
    /// code_verifier is an error.
    /// </summary>
    private static DiskTopTokenResponse ExchangeCode(DiskTopFake fake, IFormCollection form)
    {
        var code = form["code"].ToString();
        var verifier = form["code_verifier"].ToString();
        if (code.Length == 0)
        {
            throw new OAuthException(400, "invalid_request", "code is required");
        }

        lock (fake.Gate)
        {
            var client = Client(fake, form);
            var secret = form["client_secret"].ToString();
            if (!fake.Codes.TryGetValue(code, out var grant) || grant.ClientId != client.ClientId)
            {
                throw new OAuthException(400, "invalid_grant", "the authorization code is not valid");
            }

            if (grant.Used)
            {
                throw new OAuthException(400, "invalid_grant", "the authorization code was already used");
            }

            grant.Used = true;
            if (fake.Time.GetUtcNow() >= grant.ExpiresAt)
            {
                throw new OAuthException(400, "invalid_grant", "the authorization code expired");
            }

            if (form["redirect_uri"].ToString() != grant.RedirectUri)
            {
                throw new OAuthException(400, "invalid_grant", "redirect_uri does not match the authorization request");
            }

            if (secret.Length > 0 ? secret != client.ClientSecret : grant.CodeChallenge is null)
            {
                throw new OAuthException(401, "invalid_client", secret.Length > 0 ? "client authentication failed" : "client_secret is required (no PKCE code_challenge was sent)");
            }

            if (grant.CodeChallenge is null)
            {
                if (verifier.Length > 0)
                {
                    throw new OAuthException(400, "invalid_grant", "code_verifier sent, but the authorization request had no code_challenge");
                }
            }
            else
            {
                if (verifier.Length == 0)
                {
                    throw new OAuthException(400, "invalid_grant", "code_verifier is required (the authorization request had a code_challenge)");
                }

                if (!VerifierShape().IsMatch(verifier) || S256(verifier) != grant.CodeChallenge)
                {
                    throw new OAuthException(400, "invalid_grant", "code_verifier does not match the code_challenge");
                }
            }

            return Response(fake.Issue(grant.Account, client, grant.Scopes, publicClient: secret.Length == 0));
        }
    }

    /// <summary>
    /// refresh_token: single use — the old token is refused (invalid_grant) once a new pair was issued; access tokens
    /// issued before stay valid until they expire. client_secret is required unless the chain began with a public
    /// PKCE exchange. An optional scope may only narrow the grant.
    /// </summary>
    private static DiskTopTokenResponse Refresh(DiskTopFake fake, IFormCollection form)
    {
        var token = form["refresh_token"].ToString();
        if (token.Length == 0)
        {
            throw new OAuthException(400, "invalid_request", "refresh_token is required");
        }

        lock (fake.Gate)
        {
            var client = Client(fake, form);
            var secret = form["client_secret"].ToString();
            var grant = fake.RefreshTokens.GetValueOrDefault(token);
            if (secret.Length > 0 ? secret != client.ClientSecret : grant is not { PublicClient: true })
            {
                throw new OAuthException(401, "invalid_client", secret.Length > 0 ? "client authentication failed" : "client_secret is required");
            }

            var problem = grant switch
            {
                null => "the refresh token is not valid",
                { Used: true } => "the refresh token was already used (refresh tokens rotate on each use)",
                { Revoked: true } => "the refresh token was revoked",
                _ when grant.ClientId != client.ClientId => "the refresh token was issued to another client",
                _ when fake.Time.GetUtcNow() >= grant.ExpiresAt => "the refresh token expired",
                _ => null,
            };
            if (problem is not null)
            {
                throw new OAuthException(400, "invalid_grant", problem);
            }

            var scopes = grant!.Scopes;
            if (form["scope"].ToString() is { Length: > 0 } narrowed)
            {
                var requested = narrowed.Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList();
                if (!requested.All(grant.Scopes.Contains))
                {
                    throw new OAuthException(400, "invalid_scope", "scope may only narrow the original grant");
                }

                scopes = requested;
            }

            grant.Used = true;
            fake.CountRefresh();
            return Response(fake.Issue(grant.Account, client, scopes, grant.PublicClient));
        }
    }

    /// <summary>
    /// <c>POST /oauth/device-code</c> (client_id, scope): 200 with the documented fields. The verification URIs
    /// point at this fake's <c>/oauth/device</c>.
    /// </summary>
    private static object DeviceCode(DiskTopFake fake, IFormCollection form)
    {
        lock (fake.Gate)
        {
            var clientId = form["client_id"].ToString();
            var client = fake.FindClient(clientId) ?? throw new OAuthException(401, "invalid_client", clientId.Length == 0 ? "client_id is required" : "unknown client_id");
            var scopes = DiskTopFake.ParseScopes(form["scope"].ToString(), client)
                ?? throw new OAuthException(400, "invalid_scope", "a requested scope is unknown or not approved for this app");
            var now = fake.Time.GetUtcNow();
            var deviceCode = DiskTopSecrets.Opaque(36);
            string userCode;
            do
            {
                userCode = DiskTopSecrets.UserCode();
            }
            while (fake.Devices.Values.Any(d => d.UserCode == userCode));

            var interval = Math.Max(0, fake.DeviceIntervalSeconds);
            fake.Devices.Add(deviceCode, new DiskTopDeviceGrant(deviceCode, userCode, client.ClientId, scopes, now, now + fake.DeviceCodeLifetime, interval));
            var verification = new Uri(fake.BaseUrl, DevicePagePath.TrimStart('/')).ToString();
            var complete = verification + "?user_code=" + Uri.EscapeDataString(userCode);
            return new DiskTopDeviceCodeResponse(
                deviceCode,
                userCode,
                verification,
                complete,
                "https://api.qrserver.com/v1/create-qr-code/?size=240x240&data=" + Uri.EscapeDataString(complete),
                (int)fake.DeviceCodeLifetime.TotalSeconds,
                interval);
        }
    }

    /// <summary>
    /// One poll (<c>/oauth/device-token</c>, or <c>/oauth/token</c> with grant_type device_code). In order:
    /// expired_token once expires_in has passed; access_denied after a deny; invalid_grant for an unknown or
    /// already redeemed code; slow_down when this poll comes sooner than <c>interval</c> after the previous poll
    /// (or after issue, for the first poll) — and the interval grows by 5 s; then the token pair once approved,
    /// else authorization_pending. Errors use <see cref="DiskTopFake.DevicePollErrorStatus"/>.
    /// </summary>
    private static DiskTopTokenResponse PollDevice(DiskTopFake fake, IFormCollection form, string clientId)
    {
        var deviceCode = form["device_code"].ToString();
        var status = fake.DevicePollErrorStatus;
        lock (fake.Gate)
        {
            if (clientId.Length == 0 || fake.FindClient(clientId) is not { } client)
            {
                throw new OAuthException(401, "invalid_client", clientId.Length == 0 ? "client_id is required" : "unknown client_id");
            }

            if (deviceCode.Length == 0)
            {
                throw new OAuthException(400, "invalid_request", "device_code is required");
            }

            if (!fake.Devices.TryGetValue(deviceCode, out var device) || device.ClientId != clientId || device.State == DeviceState.Consumed)
            {
                throw new OAuthException(400, "invalid_grant", "the device code is not valid");
            }

            var now = fake.Time.GetUtcNow();
            if (now >= device.ExpiresAt)
            {
                throw new OAuthException(status, "expired_token", "the device code expired; request a new one");
            }

            if (device.State == DeviceState.Denied)
            {
                throw new OAuthException(status, "access_denied", "the user denied the request");
            }

            var previous = device.LastPoll ?? device.IssuedAt;
            device.LastPoll = now;
            if (device.IntervalSeconds > 0 && now - previous < TimeSpan.FromSeconds(device.IntervalSeconds))
            {
                device.IntervalSeconds += 5;
                throw new OAuthException(status, "slow_down", $"polling too fast; wait at least {device.IntervalSeconds} seconds between polls");
            }

            device.Polls++;
            if (device.State == DeviceState.Pending && fake.DeviceAutoApproveAfterPolls is { } after && device.Polls >= after && fake.DefaultAccount() is { } account)
            {
                device.State = DeviceState.Approved;
                device.Account = account;
            }

            if (device.State != DeviceState.Approved)
            {
                throw new OAuthException(status, "authorization_pending", "the user has not approved the request yet");
            }

            device.State = DeviceState.Consumed;
            return Response(fake.Issue(device.Account!, client, device.Scopes, publicClient: false));
        }
    }

    /// <summary>The verification page (test mode): a form posting user_code and action=approve|deny back here.</summary>
    private static Task DevicePage(HttpContext context)
    {
        var code = System.Net.WebUtility.HtmlEncode(context.Request.Query["user_code"].ToString());
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync($"""
            <!doctype html><title>Disk.Top device login (fake)</title>
            <form method="post"><input name="user_code" value="{code}">
            <button name="action" value="approve">Approve</button><button name="action" value="deny">Deny</button></form>
            """);
    }

    /// <summary><c>POST /oauth/device</c> user_code, action=approve|deny: acts as <see cref="DiskTopFake.AuthorizingAccount"/>.</summary>
    private static object DeviceDecision(DiskTopFake fake, IFormCollection form)
    {
        try
        {
            var userCode = form["user_code"].ToString();
            switch (form["action"].ToString())
            {
                case "deny":
                    fake.DenyDevice(userCode);
                    return new { ok = true, state = "denied" };
                case "approve" or "":
                    fake.ApproveDevice(userCode);
                    return new { ok = true, state = "approved" };
                default:
                    throw new OAuthException(400, "invalid_request", "action must be approve or deny");
            }
        }
        catch (ArgumentException ex)
        {
            throw new OAuthException(400, "invalid_request", ex.Message);
        }
        catch (InvalidOperationException ex)
        {
            throw new OAuthException(400, "invalid_request", ex.Message);
        }
    }

    /// <summary>The client named by client_id (401 invalid_client when missing or unknown). Call under the lock.</summary>
    private static DiskTopClient Client(DiskTopFake fake, IFormCollection form)
    {
        var clientId = form["client_id"].ToString();
        return fake.FindClient(clientId) ?? throw new OAuthException(401, "invalid_client", clientId.Length == 0 ? "client_id is required" : "unknown client_id");
    }

    private static DiskTopTokenResponse Response(DiskTopTokens tokens) =>
        new(tokens.AccessToken, "Bearer", tokens.ExpiresIn, tokens.RefreshToken, tokens.Scope);

    private static string S256(string verifier) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>RFC 7636 §4.1: 43-128 unreserved characters.</summary>
    [GeneratedRegex("^[A-Za-z0-9\\-._~]{43,128}$")]
    private static partial Regex VerifierShape();

    /// <summary>base64url of 32 bytes, no padding: 43 characters.</summary>
    [GeneratedRegex("^[A-Za-z0-9\\-_]{43}$")]
    private static partial Regex ChallengeShape();

    private sealed class OAuthException(int status, string error, string description) : Exception(description)
    {
        public int Status { get; } = status;

        public string Error { get; } = error;
    }
}
