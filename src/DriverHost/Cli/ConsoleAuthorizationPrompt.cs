using System.Globalization;
using OpenList.DriverHost.Drivers.Authorization;

namespace OpenList.DriverHost.Cli;

/// <summary>
/// Shows an interactive authorization on the console: the device code, its page and a QR code of the page with the
/// code filled in; or the authorize URL of the browser flow, opened in a browser when one is configured. Never prints
/// a token, a device code or an authorization code.
/// </summary>
internal sealed class ConsoleAuthorizationPrompt : IAuthorizationPrompt
{
    private readonly TextWriter _out;
    private readonly string _mountPath;
    private readonly string _provider;
    private readonly TimeProvider _time;
    private readonly Func<Uri, bool>? _openBrowser;

    /// <param name="openBrowser">Opens a URL in a browser; returns false when none is configured. Null never tries.</param>
    public ConsoleAuthorizationPrompt(TextWriter output, string mountPath, string provider, TimeProvider time, Func<Uri, bool>? openBrowser)
    {
        _out = output;
        _mountPath = mountPath;
        _provider = provider;
        _time = time;
        _openBrowser = openBrowser;
    }

    public Task ShowDeviceCodeAsync(DeviceCodePrompt prompt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var minutes = Math.Max(1, (int)Math.Round((prompt.ExpiresAt - _time.GetUtcNow()).TotalMinutes));
        _out.WriteLine($"To let driverhost use your {_provider} account for {_mountPath}:");
        _out.WriteLine($"  1. open   {prompt.VerificationUri.AbsoluteUri}");
        _out.WriteLine($"  2. enter  {prompt.UserCode}");
        if (prompt.VerificationUriComplete is { } complete)
        {
            _out.WriteLine("or scan this QR code with your phone (it opens the page with the code filled in):");
            _out.WriteLine();
            _out.Write(TerminalQrCode.Render(complete.AbsoluteUri));
            _out.WriteLine();
        }

        _out.WriteLine($"The code works for {minutes.ToString(CultureInfo.InvariantCulture)} minutes. Waiting for the approval (Ctrl+C to give up)...");
        _out.Flush();
        return Task.CompletedTask;
    }

    public Task ShowAuthorizeUrlAsync(Uri authorizeUrl, Uri redirectUri, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(authorizeUrl);
        ArgumentNullException.ThrowIfNull(redirectUri);
        _out.WriteLine($"To let driverhost use your {_provider} account for {_mountPath}, open this URL in a browser and approve:");
        _out.WriteLine();
        _out.WriteLine("  " + authorizeUrl.AbsoluteUri);
        _out.WriteLine();
        _out.WriteLine($"{_provider} then sends the browser back to {redirectUri.AbsoluteUri}, where driverhost is waiting.");
        _out.WriteLine("The browser must run on this machine; on another machine use the device flow (leave out --browser).");
        if (_openBrowser?.Invoke(authorizeUrl) == true)
        {
            _out.WriteLine("(opened in the browser named by $BROWSER)");
        }

        _out.WriteLine("Waiting for the redirect (Ctrl+C to give up)...");
        _out.Flush();
        return Task.CompletedTask;
    }

    public void Status(string message)
    {
        _out.WriteLine(message);
        _out.Flush();
    }
}
