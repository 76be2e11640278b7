using Microsoft.AspNetCore.Http;
using OpenList.DriverHost.Drivers.Relay;

namespace OpenList.DriverHost.Relay.Pages;

/// <summary>wait, qr.png, status and result: the desktop's side of a flow, always through the flow cookie.</summary>
internal sealed partial class RelayPagesMiddleware
{
    private const string NoFlow = "No authorization is in progress in this browser: it was already shown, it expired, or it was started in another browser.";

    private async Task WaitAsync(HttpContext context, RelayProvider provider, RelayUrls urls)
    {
        var flow = CookieFlow(context);
        if (await RefuseAsync(context, provider, urls, flow).ConfigureAwait(false))
        {
            return;
        }

        if (flow!.Status != RelayFlowStatus.Pending)
        {
            SeeOther(context, "/relay/" + Uri.EscapeDataString(provider.Prefix) + "/result");
            return;
        }

        var html = flow.Mode == RelayFlowMode.Device
            ? RelayPageViews.WaitDevice(provider, flow.Device!)
            : RelayPageViews.WaitQr(provider, GoUri(urls, flow));
        await Html(context, StatusCodes.Status200OK, html).ConfigureAwait(false);
    }

    private async Task QrAsync(HttpContext context, RelayProvider provider, RelayUrls urls)
    {
        var flow = CookieFlow(context);
        if (await RefuseAsync(context, provider, urls, flow).ConfigureAwait(false))
        {
            return;
        }

        var text = flow!.Mode == RelayFlowMode.Device
            ? (flow.Device!.VerificationUriComplete ?? flow.Device.VerificationUri).AbsoluteUri
            : GoUri(urls, flow).AbsoluteUri;
        var png = RelayQrCode.Png(text);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "image/png";
        context.Response.ContentLength = png.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(png, context.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>The flow's progress as JSON for the waiting page's script; in device mode this is what polls the provider.</summary>
    private async Task StatusAsync(HttpContext context, RelayProvider provider)
    {
        if (!await WithinLimitAsync(context, provider, "status", json: true).ConfigureAwait(false))
        {
            return;
        }

        var flow = CookieFlow(context);
        if (flow is null || flow.Prefix != provider.Prefix)
        {
            await JsonAsync(context, StatusCodes.Status404NotFound, new StatusBody("none", NoFlow)).ConfigureAwait(false);
            return;
        }

        if (flow.Mode == RelayFlowMode.Device)
        {
            await PollDeviceAsync(provider, flow).ConfigureAwait(false);
        }

        var body = _flows.Update(flow, f => f.Status switch
        {
            RelayFlowStatus.Succeeded => new StatusBody("done", "Authorized: loading the tokens…"),
            RelayFlowStatus.Failed => new StatusBody("failed", f.Failure ?? "The authorization failed."),
            _ when _flows.IsExpired(f) => new StatusBody("expired", "This authorization has expired; start again."),
            _ when f.Mode == RelayFlowMode.Qr && f.GoUsed => new StatusBody("scanned", "Your phone opened the link: finish signing in there."),
            _ => new StatusBody("pending", f.Mode == RelayFlowMode.Device ? "Waiting for approval…" : "Waiting for your phone…"),
        });
        await JsonAsync(context, StatusCodes.Status200OK, body).ConfigureAwait(false);
    }

    /// <summary>One poll of the provider when the flow's interval has passed and no other poll runs; slow_down widens the interval.</summary>
    private async Task PollDeviceAsync(RelayProvider provider, RelayFlow flow)
    {
        var now = _flows.Now;
        if (!_flows.Update(flow, f => f.Status == RelayFlowStatus.Pending && !f.Polling && now >= f.NextPollAt && now < f.ExpiresAt && (f.Polling = true)))
        {
            return;
        }

        RelayDevicePoll? poll = null;
        string? failure = null;
        var retryAfter = TimeSpan.Zero;
        try
        {
            using var cts = UpstreamToken();
            poll = await provider.Upstream.PollDeviceFlowAsync(flow.Device!.DeviceCode, cts.Token).ConfigureAwait(false);
        }
        catch (RelayUpstreamException ex) when (ex.Rejected)
        {
            LogUpstreamFailed(_logger, provider.Prefix, "device poll", ex.Message);
            failure = $"{provider.Upstream.DisplayName} refused: {ex.Message}";
        }
        catch (RelayUpstreamException ex)
        {
            LogUpstreamFailed(_logger, provider.Prefix, "device poll", ex.Message);
            retryAfter = ex.RetryAfter ?? TimeSpan.Zero;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !_stopping.IsCancellationRequested)
        {
            LogUpstreamFailed(_logger, provider.Prefix, "device poll", ex.GetType().Name);
        }
        finally
        {
            _flows.Update(flow, f =>
            {
                f.Polling = false;
                if (poll?.State == RelayDevicePollState.SlowDown)
                {
                    f.PollInterval = poll.NewInterval is { } wider && wider > f.PollInterval ? wider : f.PollInterval + TimeSpan.FromSeconds(5);
                }

                f.NextPollAt = _flows.Now + f.PollInterval + retryAfter;
                (f.Status, f.Tokens, f.Failure) = (poll?.State, poll?.Tokens, failure) switch
                {
                    (_, _, { } why) => (RelayFlowStatus.Failed, null, why),
                    (RelayDevicePollState.Approved, { } tokens, _) => (RelayFlowStatus.Succeeded, tokens, null),
                    (RelayDevicePollState.Approved, null, _) => (RelayFlowStatus.Failed, null, "The provider approved but sent no tokens."),
                    (RelayDevicePollState.Denied, _, _) => (RelayFlowStatus.Failed, null, "Denied" + (poll!.Reason is { Length: > 0 } r ? ": " + r : " on the provider's page.")),
                    (RelayDevicePollState.Expired, _, _) => (RelayFlowStatus.Failed, null, "The device code expired" + (poll!.Reason is { Length: > 0 } r ? ": " + r : "; start again.")),
                    _ => (f.Status, f.Tokens, f.Failure),
                };
                return true;
            });
        }

        if (flow.Status != RelayFlowStatus.Pending)
        {
            LogDeviceEnded(_logger, provider.Prefix, flow.Status);
        }
    }

    /// <summary>The tokens of the cookie's flow, once; then the flow and its cookie are gone. A failed flow shows why, once.</summary>
    private async Task ResultAsync(HttpContext context, RelayProvider provider, RelayUrls urls)
    {
        var flow = CookieFlow(context);
        if (flow is null)
        {
            DeleteFlowCookie(context, urls);
            await Html(context, StatusCodes.Status404NotFound, RelayPageViews.Error("Nothing to show", "The tokens are shown only once. " + NoFlow, provider.Prefix)).ConfigureAwait(false);
            return;
        }

        if (flow.Prefix != provider.Prefix)
        {
            await Html(context, StatusCodes.Status400BadRequest, RelayPageViews.Error("Wrong provider", "The authorization in progress in this browser is for another provider.", provider.Prefix)).ConfigureAwait(false);
            return;
        }

        var (status, tokens, failure) = _flows.Update(flow, f =>
        {
            var taken = (f.Status, f.Tokens, f.Failure);
            f.Tokens = null;
            return taken;
        });
        if (status == RelayFlowStatus.Pending && !_flows.IsExpired(flow))
        {
            var back = flow.Mode == RelayFlowMode.Browser ? "" : " Keep the waiting page open.";
            await Html(context, StatusCodes.Status409Conflict, RelayPageViews.Error("Not finished yet", "The provider has not answered yet." + back, provider.Prefix)).ConfigureAwait(false);
            return;
        }

        _flows.Remove(flow);
        DeleteFlowCookie(context, urls);
        if (status == RelayFlowStatus.Succeeded && tokens is not null)
        {
            var snippet = RelayDriversSnippet.Build(provider.Upstream, tokens, urls.Renew);
            LogShown(_logger, provider.Prefix);
            await Html(context, StatusCodes.Status200OK, RelayPageViews.Result(provider, tokens, snippet, urls.Renew)).ConfigureAwait(false);
            return;
        }

        var (code, title, reason) = status switch
        {
            RelayFlowStatus.Failed => (StatusCodes.Status400BadRequest, "Not authorized", failure ?? "The authorization failed."),
            RelayFlowStatus.Succeeded => (StatusCodes.Status410Gone, "Already shown", "The tokens are shown only once, and they already were."),
            _ => (StatusCodes.Status410Gone, "Expired", "This authorization expired before it finished; start again."),
        };
        await Html(context, code, RelayPageViews.Error(title, reason, provider.Prefix)).ConfigureAwait(false);
    }

    /// <summary>Answers (and returns true) when the cookie's flow is missing, for another provider, expired or not a QR/device flow.</summary>
    private async Task<bool> RefuseAsync(HttpContext context, RelayProvider provider, RelayUrls urls, RelayFlow? flow)
    {
        var (code, title, reason) = flow switch
        {
            null => (StatusCodes.Status404NotFound, "Nothing in progress", NoFlow),
            _ when flow.Prefix != provider.Prefix => (StatusCodes.Status400BadRequest, "Wrong provider", "The authorization in progress in this browser is for another provider."),
            _ when flow.Mode == RelayFlowMode.Browser => (StatusCodes.Status400BadRequest, "Nothing to wait for", "This authorization runs in this browser; there is no code to show."),
            _ when _flows.IsExpired(flow) && flow.Status == RelayFlowStatus.Pending => (StatusCodes.Status410Gone, "Expired", "This authorization has expired; start again."),
            _ => (0, "", ""),
        };
        if (code == 0)
        {
            return false;
        }

        if (code == StatusCodes.Status410Gone)
        {
            _flows.Remove(flow!);
            DeleteFlowCookie(context, urls);
        }

        await Html(context, code, RelayPageViews.Error(title, reason, provider.Prefix)).ConfigureAwait(false);
        return true;
    }

    private static Uri GoUri(RelayUrls urls, RelayFlow flow) => new(urls.Root + "go/" + flow.GoId);
}
