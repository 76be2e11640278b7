using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;
using OpenList.DriverHost.Drivers.Relay;

namespace OpenList.DriverHost.Relay.Pages;

/// <summary>start, go and callback: the legs that send the user to the provider and take the code back.</summary>
internal sealed partial class RelayPagesMiddleware
{
    private static readonly FormOptions StartForm = new() { ValueCountLimit = 8, KeyLengthLimit = 64, ValueLengthLimit = 256, BufferBodyLengthLimit = 4096 };

    private async Task StartAsync(HttpContext context, RelayProvider provider, RelayUrls urls)
    {
        if (!await WithinLimitAsync(context, provider, "flow").ConfigureAwait(false))
        {
            return;
        }

        StringValues requested = context.Request.Query["mode"];
        if (HttpMethods.IsPost(context.Request.Method) && context.Request.HasFormContentType)
        {
            // One short field is expected: anything bigger is refused, not buffered.
            context.Features.Set<IFormFeature>(new FormFeature(context.Request, StartForm));
            try
            {
                requested = (await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false))["mode"];
            }
            catch (InvalidDataException)
            {
                await Html(context, StatusCodes.Status400BadRequest, RelayPageViews.Error("Bad request", "The form is too large.", provider.Prefix)).ConfigureAwait(false);
                return;
            }
        }

        RelayFlowMode? mode = requested.ToString() switch
        {
            "" or "browser" => RelayFlowMode.Browser,
            "qr" => RelayFlowMode.Qr,
            "device" => RelayFlowMode.Device,
            _ => null,
        };
        var upstream = provider.Upstream;
        if (mode is null || (mode == RelayFlowMode.Device && !upstream.SupportsDeviceFlow))
        {
            await Html(context, StatusCodes.Status400BadRequest, RelayPageViews.Error("Unknown option", $"{upstream.DisplayName} offers no such way to authorize.", provider.Prefix)).ConfigureAwait(false);
            return;
        }

        RelayFlow? flow;
        if (mode == RelayFlowMode.Device)
        {
            RelayDeviceCode device;
            try
            {
                using var cts = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
                cts.CancelAfter(UpstreamTimeout);
                device = await upstream.StartDeviceFlowAsync(cts.Token).ConfigureAwait(false);
            }
            catch (RelayUpstreamException ex)
            {
                LogUpstreamFailed(_logger, provider.Prefix, "device code", ex.Message);
                await Html(context, ex.Rejected ? StatusCodes.Status400BadRequest : StatusCodes.Status502BadGateway, RelayPageViews.Error($"{upstream.DisplayName} refused", ex.Message, provider.Prefix)).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !context.RequestAborted.IsCancellationRequested)
            {
                LogUpstreamFailed(_logger, provider.Prefix, "device code", ex.GetType().Name);
                await Html(context, StatusCodes.Status502BadGateway, RelayPageViews.Error($"{upstream.DisplayName} unreachable", "The provider could not be reached; try again in a moment.", provider.Prefix)).ConfigureAwait(false);
                return;
            }

            flow = _flows.TryCreate(provider.Prefix, RelayFlowMode.Device, pkce: false, device, device.ExpiresIn);
        }
        else
        {
            flow = _flows.TryCreate(provider.Prefix, mode.Value, upstream.SupportsPkce);
        }

        if (flow is null)
        {
            context.Response.Headers.RetryAfter = "60";
            await Html(context, StatusCodes.Status503ServiceUnavailable, RelayPageViews.Error("Busy", "Too many authorizations are in progress on this relay; try again in a few minutes.", provider.Prefix)).ConfigureAwait(false);
            return;
        }

        SetFlowCookie(context, flow, urls);
        LogFlowStarted(_logger, provider.Prefix, flow.Mode);
        SeeOther(context, flow.Mode == RelayFlowMode.Browser ? AuthorizeUri(provider, urls, flow) : "/relay/" + Uri.EscapeDataString(provider.Prefix) + "/wait");
    }

    /// <summary>QR mode on the phone: go/&lt;id&gt; shows a "continue" link (prefetch-safe); go/&lt;id&gt;/continue spends the id and goes to the provider.</summary>
    private async Task GoAsync(HttpContext context, RelayProvider provider, RelayUrls urls, string goId, bool proceed)
    {
        if (!await WithinLimitAsync(context, provider, "flow").ConfigureAwait(false))
        {
            return;
        }

        var flow = _flows.FindByGoId(goId);
        var problem = flow is null || flow.Prefix != provider.Prefix ? "This sign-in link is unknown: it may have expired. Start again on your computer."
            : _flows.IsExpired(flow) ? "This sign-in link has expired. Start again on your computer."
            : flow.GoUsed || flow.Status != RelayFlowStatus.Pending ? "This sign-in link was already used. If that was not you, someone else may have scanned your code: start again on your computer."
            : null;
        if (problem is null && proceed
            && !_flows.Update(flow!, f => !f.GoUsed && f.Status == RelayFlowStatus.Pending && (f.GoUsed = true)))
        {
            problem = "This sign-in link was already used. If that was not you, someone else may have scanned your code: start again on your computer.";
        }

        if (problem is not null)
        {
            await Html(context, StatusCodes.Status410Gone, RelayPageViews.Error("Link not usable", problem, provider.Prefix)).ConfigureAwait(false);
            return;
        }

        if (!proceed)
        {
            await Html(context, StatusCodes.Status200OK, RelayPageViews.GoConfirm(provider, "/relay/" + Uri.EscapeDataString(provider.Prefix) + "/go/" + Uri.EscapeDataString(goId) + "/continue")).ConfigureAwait(false);
            return;
        }

        LogPhoneOpened(_logger, provider.Prefix);
        SeeOther(context, AuthorizeUri(provider, urls, flow!));
    }

    private async Task CallbackAsync(HttpContext context, RelayProvider provider, RelayUrls urls)
    {
        if (!await WithinLimitAsync(context, provider, "flow").ConfigureAwait(false))
        {
            return;
        }

        var query = context.Request.Query;
        string state = query["state"].ToString(), code = query["code"].ToString(), error = query["error"].ToString();
        var cookieFlow = CookieFlow(context);
        var flow = _flows.FindByState(state);
        string? reason = null;
        if (state.Length == 0)
        {
            reason = "The provider's answer has no state, so it cannot be matched to an authorization started here.";
        }
        else if (flow is null)
        {
            reason = cookieFlow is not null
                ? "The state does not match the authorization started in this browser."
                : "The state matches no authorization in progress (wrong, expired or already finished), and this browser has none.";
        }
        else if (flow.Prefix != provider.Prefix)
        {
            reason = "This answer belongs to an authorization for another provider.";
        }
        else if (flow.Mode == RelayFlowMode.Device || (flow.Mode == RelayFlowMode.Qr && !flow.GoUsed))
        {
            reason = "This authorization was not sent to the provider this way.";
        }
        else if (flow.Mode == RelayFlowMode.Browser && !RelayFlowStore.FixedTimeEquals(cookieFlow?.Id, flow.Id))
        {
            reason = "This authorization was started in another browser (its cookie is missing here).";
        }
        else if (_flows.IsExpired(flow))
        {
            reason = "This authorization has expired (10 minutes); start again.";
        }
        else if (!_flows.Update(flow, f => !f.CallbackUsed && f.Status == RelayFlowStatus.Pending && (f.CallbackUsed = true)))
        {
            reason = "This answer was already used; an authorization can come back only once.";
        }

        if (reason is not null)
        {
            LogCallbackRefused(_logger, provider.Prefix, reason);
            await Html(context, StatusCodes.Status400BadRequest, RelayPageViews.Error("Authorization not accepted", reason, provider.Prefix)).ConfigureAwait(false);
            return;
        }

        var upstream = provider.Upstream;
        if (error.Length > 0 || code.Length == 0)
        {
            var description = query["error_description"].ToString();
            var why = error.Length == 0 ? "The provider's answer has no code."
                : $"{upstream.DisplayName} did not authorize: {error}" + (description.Length > 0 ? $" ({description})" : "");
            await FailAsync(context, provider, urls, flow!, StatusCodes.Status400BadRequest, "Not authorized", why).ConfigureAwait(false);
            return;
        }

        RelayTokens tokens;
        try
        {
            using var cts = UpstreamToken();
            tokens = await upstream.ExchangeCodeAsync(code, urls.Callback, flow!.CodeVerifier, cts.Token).ConfigureAwait(false);
        }
        catch (RelayUpstreamException ex)
        {
            LogUpstreamFailed(_logger, provider.Prefix, "code exchange", ex.Message);
            await FailAsync(context, provider, urls, flow!, ex.Rejected ? StatusCodes.Status400BadRequest : StatusCodes.Status502BadGateway, $"{upstream.DisplayName} refused", ex.Message).ConfigureAwait(false);
            return;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !_stopping.IsCancellationRequested)
        {
            LogUpstreamFailed(_logger, provider.Prefix, "code exchange", ex.GetType().Name);
            await FailAsync(context, provider, urls, flow!, StatusCodes.Status502BadGateway, $"{upstream.DisplayName} unreachable", "The provider could not be reached to exchange the code; start again.").ConfigureAwait(false);
            return;
        }

        _flows.Update(flow, f =>
        {
            f.Tokens = tokens;
            f.Status = RelayFlowStatus.Succeeded;
            return true;
        });
        LogAuthorized(_logger, provider.Prefix, flow.Mode);
        if (flow.Mode == RelayFlowMode.Qr)
        {
            await Html(context, StatusCodes.Status200OK, RelayPageViews.PhoneDone(provider)).ConfigureAwait(false);
            return;
        }

        SeeOther(context, "/relay/" + Uri.EscapeDataString(provider.Prefix) + "/result");
    }

    /// <summary>
    /// Ends a flow that failed at the callback. In browser mode the reason is shown here and the flow and its cookie
    /// are dropped; in QR mode (the phone) it is kept as failed, so the desktop's result page can say why.
    /// </summary>
    private async Task FailAsync(HttpContext context, RelayProvider provider, RelayUrls urls, RelayFlow flow, int status, string title, string reason)
    {
        _flows.Update(flow, f =>
        {
            f.Status = RelayFlowStatus.Failed;
            f.Failure = reason;
            return true;
        });
        if (flow.Mode == RelayFlowMode.Browser)
        {
            _flows.Remove(flow);
            DeleteFlowCookie(context, urls);
        }

        await Html(context, status, RelayPageViews.Error(title, reason, provider.Prefix)).ConfigureAwait(false);
    }

    private static string AuthorizeUri(RelayProvider provider, RelayUrls urls, RelayFlow flow) =>
        provider.Upstream.BuildAuthorizeUri(urls.Callback, flow.State, flow.CodeVerifier is null ? null : RelayFlowStore.Challenge(flow.CodeVerifier)).AbsoluteUri;
}
