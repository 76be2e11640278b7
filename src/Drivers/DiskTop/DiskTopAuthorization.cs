using System.Net.Sockets;
using System.Text.Json;
using OpenList.DriverHost.Drivers.Authorization;
using OpenList.DriverHost.Drivers.DiskTop.Models;
using OpenList.DriverHost.Drivers.Http;
using OpenList.DriverHost.Drivers.Tokens;

namespace OpenList.DriverHost.Drivers.DiskTop;

/// <summary>
/// <c>driverhost auth</c> for Disk.Top (cloud-apis.md §4.3): the device flow (<c>/oauth/device-code</c>, then
/// <c>/oauth/device-token</c> polled at <c>interval</c>, <c>slow_down</c> adding 5 s), or the authorization code flow
/// with PKCE S256, a random <c>state</c> and a loopback redirect. Both end at the token JSON; nothing is saved here.
/// </summary>
internal sealed class DiskTopAuthorization
{
    /// <summary>Documented defaults of the device-code answer.</summary>
    private static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan DefaultDeviceLifetime = TimeSpan.FromSeconds(600);

    /// <summary>RFC 8628 §3.5: slow_down adds 5 seconds to the interval.</summary>
    private static readonly TimeSpan SlowDownStep = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan DefaultBrowserTimeout = TimeSpan.FromMinutes(5);

    /// <summary>Failures in a row (5xx, network) a poll may meet before the flow gives up.</summary>
    private const int MaxPollFailures = 5;

    private readonly DiskTopOptions _options;
    private readonly DriverContext _context;
    private readonly TimeProvider _time;

    public DiskTopAuthorization(DiskTopOptions options, DriverContext context)
    {
        _options = options;
        _context = context;
        _time = context.TimeProvider;
    }

    /// <summary>Shortest wait between two polls, whatever <c>interval</c> says.</summary>
    internal static TimeSpan MinimumPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    public async Task<AuthorizationResult> RunAsync(AuthorizationRequest request, IAuthorizationPrompt prompt, CancellationToken cancellationToken)
    {
        using var http = _context.CreateHttpClient();
        var oauth = new DiskTopOAuthClient(http, _options, _time);
        TokenSet tokens;
        try
        {
            tokens = request.Flow == AuthorizationFlow.Browser
                ? await BrowserAsync(oauth, request, prompt, cancellationToken).ConfigureAwait(false)
                : await DeviceAsync(oauth, request, prompt, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new AuthorizationFailedException(AuthorizationFailure.Unavailable, $"Disk.Top ({_options.ApiBaseUrl.Host}) could not be reached", e);
        }

        var account = await AccountAsync(http, tokens.AccessToken, cancellationToken).ConfigureAwait(false);
        return new AuthorizationResult(tokens, Blank(_options.AccessToken), Blank(_options.RefreshToken), account);
    }

    private async Task<TokenSet> DeviceAsync(DiskTopOAuthClient oauth, AuthorizationRequest request, IAuthorizationPrompt prompt, CancellationToken cancellationToken)
    {
        var (code, reply) = await oauth.RequestDeviceCodeAsync(cancellationToken).ConfigureAwait(false);
        if (code is null)
        {
            throw Failure(reply, "the device code request");
        }

        var now = _time.GetUtcNow();
        var expiresAt = now + (code.ExpiresIn is > 0 ? TimeSpan.FromSeconds(code.ExpiresIn.Value) : DefaultDeviceLifetime);
        var deadline = request.Timeout is { } limit && now + limit < expiresAt ? now + limit : expiresAt;
        var interval = code.Interval is >= 0 ? TimeSpan.FromSeconds(code.Interval.Value) : DefaultInterval;
        var verification = AbsoluteUri(code.VerificationUri)
            ?? throw new AuthorizationFailedException(AuthorizationFailure.Refused, "Disk.Top answered the device code request without a verification_uri");
        await prompt.ShowDeviceCodeAsync(new DeviceCodePrompt(code.UserCode!, verification, AbsoluteUri(code.VerificationUriComplete), expiresAt), cancellationToken).ConfigureAwait(false);

        var failures = 0;
        while (true)
        {
            var wait = interval < MinimumPollInterval ? MinimumPollInterval : interval;
            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
            if (_time.GetUtcNow() >= deadline)
            {
                throw Expired();
            }

            TokenReply poll;
            try
            {
                poll = await oauth.PollDeviceTokenAsync(code.DeviceCode!, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException) when (++failures < MaxPollFailures)
            {
                prompt.Status("Disk.Top did not answer; trying again");
                continue;
            }

            if (poll.Tokens(_time) is { } tokens)
            {
                return tokens;
            }

            // §4.6: the errors may come with HTTP 400 or 200; the error field decides.
            switch (poll.Error)
            {
                case "authorization_pending":
                    failures = 0;
                    continue;
                case "slow_down":
                    interval += SlowDownStep;
                    prompt.Status($"Disk.Top asked to poll more slowly; now every {interval.TotalSeconds:0} s");
                    continue;
                case "access_denied":
                    throw new AuthorizationFailedException(AuthorizationFailure.Denied, "the authorization was denied on the Disk.Top page; nothing was saved");
                case "expired_token":
                    throw Expired();
                default:
                    if ((poll.Status >= 500 || poll.Status == 429) && ++failures < MaxPollFailures)
                    {
                        prompt.Status("Disk.Top is busy; trying again");
                        continue;
                    }

                    throw Failure(poll, "the device token poll");
            }
        }

        static AuthorizationFailedException Expired() => new(
            AuthorizationFailure.Expired,
            "the device code expired before it was approved; run the command again for a new code");
    }

    private async Task<TokenSet> BrowserAsync(DiskTopOAuthClient oauth, AuthorizationRequest request, IAuthorizationPrompt prompt, CancellationToken cancellationToken)
    {
        LoopbackRedirectListener listener;
        try
        {
            listener = LoopbackRedirectListener.Start(request.RedirectPort);
        }
        catch (SocketException e)
        {
            throw new AuthorizationFailedException(AuthorizationFailure.Refused, $"cannot listen on 127.0.0.1:{request.RedirectPort} for the redirect ({e.SocketErrorCode}); pick another --port", e);
        }

        using (listener)
        {
            var verifier = Pkce.CreateVerifier();
            var state = Pkce.CreateState();
            var redirect = listener.RedirectUri;
            await prompt.ShowAuthorizeUrlAsync(oauth.AuthorizeUrl(redirect, state, Pkce.Challenge(verifier)), redirect, cancellationToken).ConfigureAwait(false);

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var limit = request.Timeout ?? DefaultBrowserTimeout;
            timeout.CancelAfter(limit);
            IReadOnlyDictionary<string, string> query;
            try
            {
                query = await listener.WaitForCallbackAsync(
                    q => !string.Equals(q.GetValueOrDefault("state"), state, StringComparison.Ordinal)
                        ? (false, "The answer does not belong to this authorization request (state mismatch). Nothing was saved.")
                        : q.GetValueOrDefault("error") is { Length: > 0 } error
                            ? (false, $"Disk.Top did not authorize the app ({error}). Nothing was saved.")
                            : (true, "Disk.Top authorized the app. You can close this window and return to the terminal."),
                    timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new AuthorizationFailedException(AuthorizationFailure.Expired, $"nobody completed the authorization within {limit.TotalMinutes:0.#} minutes; run the command again");
            }

            if (!string.Equals(query.GetValueOrDefault("state"), state, StringComparison.Ordinal))
            {
                throw new AuthorizationFailedException(AuthorizationFailure.Refused, "the redirect carried a state that does not match this request (a forged or stale redirect); nothing was saved");
            }

            if (query.GetValueOrDefault("error") is { Length: > 0 } denied)
            {
                throw new AuthorizationFailedException(
                    denied == "access_denied" ? AuthorizationFailure.Denied : AuthorizationFailure.Refused,
                    denied == "access_denied" ? "the authorization was denied on the Disk.Top page; nothing was saved" : $"Disk.Top did not authorize the app ({Clean(denied)}); nothing was saved");
            }

            if (query.GetValueOrDefault("code") is not { Length: > 0 } code)
            {
                throw new AuthorizationFailedException(AuthorizationFailure.Refused, "the redirect carried no authorization code; nothing was saved");
            }

            var reply = await oauth.ExchangeCodeAsync(code, redirect, verifier, cancellationToken).ConfigureAwait(false);
            return reply.Tokens(_time) ?? throw Failure(reply, "the code exchange");
        }
    }

    /// <summary>Who authorized (<c>/v1/user/info</c>'s username), when the token may read it; null otherwise.</summary>
    private async Task<string?> AccountAsync(HttpClient http, string accessToken, CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, CloudReplies.Endpoint(_options.ApiBaseUrl, "/v1/user/info", []));
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + accessToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(15));
            using var response = await http.SendAsync(request, timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode || DiskTopApiClient.TryParseObject(await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false)) is not { } root
                || !root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            return data.Deserialize(DiskTopJsonContext.Default.DiskTopUserInfo)?.Username is { Length: > 0 } name ? Clean(name) : null;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or JsonException)
        {
            return null;
        }
    }

    private static AuthorizationFailedException Failure(TokenReply reply, string what)
    {
        var description = reply.Description(null);
        var error = reply.Error ?? "no token in the answer";
        var text = $"Disk.Top refused {what} ({error}{(description.Length > 0 ? ": " + description : "")})";
        return reply.Status >= 500 || reply.Status == 429
            ? new AuthorizationFailedException(AuthorizationFailure.Unavailable, text)
            : error is "access_denied"
                ? new AuthorizationFailedException(AuthorizationFailure.Denied, text)
                : error is "expired_token"
                    ? new AuthorizationFailedException(AuthorizationFailure.Expired, text)
                    : new AuthorizationFailedException(AuthorizationFailure.Refused, text + "; check client_id and client_secret");
    }

    private static Uri? AbsoluteUri(string? text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) ? uri : null;

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string Clean(string text) => CloudReplies.Clean(text, null);
}
