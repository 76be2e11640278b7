using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenList.DriverHost.Config;
using OpenList.DriverHost.DriverHost.Tests.AuthTests;
using OpenList.DriverHost.Drivers.Relay;
using OpenList.DriverHost.Relay;
using OpenList.DriverHost.Relay.Pages;

namespace OpenList.DriverHost.DriverHost.Tests.Relay.Pages;

/// <summary>
/// The relay pages on Kestrel at 127.0.0.1 over stub upstreams, with a manual clock and captured logs; everything
/// that is not a relay page answers 418, so a test sees when a request fell through.
/// </summary>
public sealed partial class RelayPagesHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RelayPagesHost(WebApplication app, Uri baseAddress, ManualTimeProvider time, CapturingLoggerProvider logs)
    {
        _app = app;
        BaseAddress = baseAddress;
        Time = time;
        Logs = logs;
    }

    public Uri BaseAddress { get; }

    public ManualTimeProvider Time { get; }

    public CapturingLoggerProvider Logs { get; }

    public static async Task<RelayPagesHost> StartAsync(IRelayUpstream[] upstreams, bool enabled = true, int perIpPerMinute = 0, string? publicUrl = null, Uri? pinnedRedirectUri = null)
    {
        var port = FreePort();
        var baseAddress = new Uri($"http://127.0.0.1:{port}/");
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var logs = new CapturingLoggerProvider();
        var limits = new RelayRateLimits(perIpPerMinute, 6);
        var settings = new RelaySettings
        {
            Enabled = enabled,
            PublicUrl = publicUrl ?? baseAddress.AbsoluteUri.TrimEnd('/'),
            RateLimits = limits,
        };
        var providers = upstreams.Select(u => new RelayProvider(
            new RelayProviderSettings(u.Prefix, new RelayClientKeys("client-id", "client-secret-value", new Uri("https://provider.invalid/"), RedirectUri: pinnedRedirectUri), limits), u));

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning); // as `serve` configures Serilog: ASP.NET's request lines hold the query
        builder.Logging.AddProvider(logs);
        builder.WebHost.UseUrls(baseAddress.AbsoluteUri);
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddSingleton(new RelayDirectory(settings, providers));
        builder.Services.AddRelayPages();
        var app = builder.Build();
        app.UseRelayPages();
        app.Run(context =>
        {
            context.Response.StatusCode = StatusCodes.Status418ImATeapot;
            return Task.CompletedTask;
        });
        await app.StartAsync();
        return new RelayPagesHost(app, baseAddress, time, logs);
    }

    /// <summary>A browser: keeps cookies, does not follow redirects.</summary>
    public Browser NewBrowser() => new(BaseAddress);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Logs.Dispose();
    }

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>An HttpClient with its own cookie jar and no automatic redirects.</summary>
    public sealed partial class Browser : IDisposable
    {
        private readonly HttpClientHandler _handler;

        public Browser(Uri baseAddress)
        {
            _handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() };
            Client = new HttpClient(_handler) { BaseAddress = baseAddress };
        }

        public HttpClient Client { get; }

        public CookieContainer Cookies => _handler.CookieContainer;

        public Task<HttpResponseMessage> GetAsync(string url) => Client.GetAsync(url);

        public Task<HttpResponseMessage> PostFormAsync(string url, params (string Key, string Value)[] fields) =>
            Client.PostAsync(url, new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value))));

        /// <summary>Starts a flow in this browser; returns the provider URL it was sent to and that URL's state.</summary>
        public async Task<(Uri Authorize, string State)> StartAsync(string prefix, string mode = "browser")
        {
            using var response = await PostFormAsync($"/relay/{prefix}/start", ("mode", mode));
            Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
            var location = response.Headers.Location!;
            return (location, QueryValue(location, "state") ?? "");
        }

        public void Dispose()
        {
            Client.Dispose();
            _handler.Dispose();
        }
    }

    public static string? QueryValue(Uri uri, string name)
    {
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2);
            if (Uri.UnescapeDataString(parts[0]) == name)
            {
                return parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : "";
            }
        }

        return null;
    }

    /// <summary>The text inside the element with <paramref name="id"/> (raw HTML, not decoded).</summary>
    public static string ElementHtml(string html, string id)
    {
        var match = Regex.Match(html, "<(?<tag>[a-z]+)[^>]*\\bid=\"" + Regex.Escape(id) + "\"[^>]*>(?<inner>.*?)</\\k<tag>>", RegexOptions.Singleline);
        Assert.True(match.Success, $"no element id={id} in {html}");
        return match.Groups["inner"].Value;
    }
}
