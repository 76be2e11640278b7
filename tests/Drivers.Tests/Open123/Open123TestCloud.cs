using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OpenList.DriverHost.CloudFakes;
using OpenList.DriverHost.Drivers.Open123;
using OpenList.DriverHost.Drivers.Resilience;
using OpenList.DriverHost.Drivers.Tokens;

namespace OpenList.DriverHost.Drivers.Tests.Open123;

/// <summary>How a test driver obtains its tokens (cloud-apis.md §3.3).</summary>
public enum Open123TestMode
{
    /// <summary>Its own developer client (ClientID + ClientSecret) registered for the account.</summary>
    Developer,

    /// <summary>A refresh token renewed through the fake's online API relay.</summary>
    Relay,

    /// <summary>Only a pasted access token (a developer token of the account's client).</summary>
    Pasted,
}

/// <summary>
/// The 123 Open fake (tests/CloudFakes) and 123 Open drivers over fresh accounts of it, each built through
/// <see cref="Open123DriverFactory"/> from an <c>addition</c> as drivers.json would hold it. Server and client rate
/// limits are off, so tests run at full speed.
/// </summary>
public sealed class Open123TestCloud : IAsyncLifetime
{
    public const string ClientSecret = "drivers-tests-123-secret";

    private FakeCloud? _fake;
    private int _clients;

    public FakeCloud Fake => _fake ?? throw new InvalidOperationException("the fake starts in InitializeAsync");

    public Open123Fake Open123 => Fake.Open123;

    public Uri RelayUrl => new(Fake.BaseUrl, "123cloud/renewapi");

    /// <summary>
    /// Starts the fake. upload_complete answers done at the first poll here: the driver waits a second between polls
    /// (§3.6 step 4) on its clock, which would make every upload of the suite a second slower. The tests of the
    /// polling itself turn <see cref="Open123Fake.CompletePollsBeforeDone"/> up and run on a manual clock.
    /// </summary>
    public async Task InitializeAsync()
    {
        _fake = await FakeCloud.StartAsync(new FakeCloudOptions { EnforceRateLimits = false });
        _fake.Open123.CompletePollsBeforeDone = 0;
    }

    public async Task DisposeAsync()
    {
        if (_fake is not null)
        {
            await _fake.DisposeAsync();
        }
    }

    /// <summary>Starts a fake of its own, for tests that inject faults or count requests.</summary>
    public static async Task<Open123TestCloud> StartAsync()
    {
        var cloud = new Open123TestCloud();
        await cloud.InitializeAsync();
        return cloud;
    }

    /// <summary>A new developer client id for <paramref name="account"/> (each has its own three-live-tokens budget).</summary>
    public string RegisterClient(Open123Account account)
    {
        var clientId = "drivers-tests-" + Interlocked.Increment(ref _clients).ToString(System.Globalization.CultureInfo.InvariantCulture);
        Open123.RegisterClient(clientId, ClientSecret, account);
        return clientId;
    }

    /// <summary>
    /// A driver over <paramref name="account"/> (a fresh one when null) in <paramref name="mode"/>.
    /// <paramref name="addition"/> overrides keys; <paramref name="store"/> lets several instances share one state store
    /// (restarts); <paramref name="clientId"/> reuses a registered developer client.
    /// </summary>
    public async Task<Open123TestDriver> CreateDriverAsync(
        Open123Account? account = null,
        Open123TestMode mode = Open123TestMode.Developer,
        IReadOnlyDictionary<string, object?>? addition = null,
        TimeProvider? time = null,
        Func<HttpRequestMessage, HttpResponseMessage?>? intercept = null,
        bool initialize = true,
        SharedRateLimiters? rateLimiters = null,
        ITokenStore? store = null,
        string? clientId = null,
        ILoggerFactory? loggers = null)
    {
        account ??= Open123.CreateAccount();
        var settings = new Dictionary<string, object?>
        {
            ["root_folder_id"] = "0",
            ["api_base_url"] = Fake.BaseUrl.AbsoluteUri,
            ["rate_limit_scale"] = 0,
        };
        Open123Tokens? relayTokens = null;
        switch (mode)
        {
            case Open123TestMode.Developer:
                clientId ??= RegisterClient(account);
                settings["ClientID"] = clientId;
                settings["ClientSecret"] = ClientSecret;
                break;
            case Open123TestMode.Relay:
                relayTokens = Open123.IssueRelayTokens(account);
                settings["RefreshToken"] = relayTokens.RefreshToken;
                settings["use_online_api"] = true;
                settings["api_url_address"] = RelayUrl.AbsoluteUri;
                break;
            default:
                clientId ??= RegisterClient(account);
                settings["AccessToken"] = Open123.IssueDeveloperToken(clientId);
                break;
        }

        foreach (var (key, value) in addition ?? new Dictionary<string, object?>())
        {
            settings[key] = value;
        }

        var json = JsonDocument.Parse(JsonSerializer.Serialize(settings)).RootElement.Clone();
        var temp = Path.Combine(Path.GetTempPath(), "dh-123-tests-" + Guid.NewGuid().ToString("N"));
        var clock = time ?? TimeProvider.System;
        var http = new Open123RecordingHandler(intercept, clock);
        var tokens = store ?? new InMemoryTokenStore();
        var context = new DriverContext("/123", Path.GetTempPath(), loggers ?? NullLoggerFactory.Instance, clock)
        {
            Tokens = tokens,
            HttpHandler = http,
            TempDirectory = temp,
            RateLimiters = rateLimiters,
        };

        var factory = new Open123DriverFactory();
        Assert.Empty(factory.Validate(json, context));
        var driver = (Open123Driver)factory.Create(json, context);
        if (initialize)
        {
            await driver.InitializeAsync(CancellationToken.None);
        }

        return new Open123TestDriver(driver, account, clientId, relayTokens, http, tokens, temp);
    }
}

/// <summary>A driver under test and what a test inspects around it.</summary>
public sealed class Open123TestDriver(
    Open123Driver driver,
    Open123Account account,
    string? clientId,
    Open123Tokens? relayTokens,
    Open123RecordingHandler http,
    ITokenStore store,
    string tempDirectory) : IAsyncDisposable
{
    public Open123Driver Driver { get; } = driver;

    public Open123Account Account { get; } = account;

    /// <summary>The developer client of the driver's configuration (developer and pasted modes).</summary>
    public string? ClientId { get; } = clientId;

    /// <summary>The relay tokens issued for the driver's configuration (relay mode).</summary>
    public Open123Tokens? RelayTokens { get; } = relayTokens;

    /// <summary>Every request the driver sent.</summary>
    public Open123RecordingHandler Http { get; } = http;

    public ITokenStore Store { get; } = store;

    /// <summary>The driver's TempDirectory (created on first spool).</summary>
    public string TempDirectory { get; } = tempDirectory;

    public async ValueTask DisposeAsync()
    {
        await Driver.DisposeAsync();
        Cleanup();
    }

    /// <summary>Releases what the driver does not own (its HTTP handler, its temporary folder).</summary>
    public void Cleanup()
    {
        Http.Dispose();
        if (Directory.Exists(TempDirectory))
        {
            Directory.Delete(TempDirectory, recursive: true);
        }
    }
}

/// <summary>One request the driver sent: method, path, query, headers of interest, JSON body, when, and the status it got.</summary>
public sealed record Open123SentRequest(
    string Method,
    string Path,
    string Query,
    string? Platform,
    string? Authorization,
    string? ContentType,
    string? Body,
    DateTimeOffset At)
{
    public int Status { get; set; }

    public JsonElement Json => JsonDocument.Parse(Body ?? "{}").RootElement.Clone();

    /// <summary>One query parameter, unescaped; null when absent.</summary>
    public string? QueryValue(string name)
    {
        foreach (var pair in Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = equals < 0 ? pair : pair[..equals];
            if (key == name)
            {
                return equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..]);
            }
        }

        return null;
    }
}

/// <summary>
/// The driver's HTTP handler: records every request (JSON bodies in full, multipart bodies not at all) and lets a
/// test answer some requests itself, standing in for a server behaviour the fake does not emulate.
/// </summary>
public sealed class Open123RecordingHandler : DelegatingHandler
{
    private readonly Func<HttpRequestMessage, HttpResponseMessage?>? _intercept;
    private readonly TimeProvider _time;
    private readonly List<Open123SentRequest> _requests = [];
    private int _slicesInFlight;
    private int _maxSlicesInFlight;

    public Open123RecordingHandler(Func<HttpRequestMessage, HttpResponseMessage?>? intercept, TimeProvider time)
        : base(new SocketsHttpHandler())
    {
        _intercept = intercept;
        _time = time;
    }

    public IReadOnlyList<Open123SentRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return _requests.ToList();
            }
        }
    }

    /// <summary>The most slice uploads that were on the wire at once.</summary>
    public int MaxSlicesInFlight => Volatile.Read(ref _maxSlicesInFlight);

    /// <summary>The requests to one path (e.g. <c>/api/v2/file/list</c>; the upload server's path ends in <c>/upload/v2/file/slice</c>).</summary>
    public IReadOnlyList<Open123SentRequest> To(string path) => Requests.Where(r => r.Path == path || r.Path.EndsWith(path, StringComparison.Ordinal)).ToList();

    public void Clear()
    {
        lock (_requests)
        {
            _requests.Clear();
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        string? body = null;
        var contentType = request.Content?.Headers.ContentType?.MediaType;
        if (contentType == "application/json")
        {
            body = await request.Content!.ReadAsStringAsync(cancellationToken);
        }

        var sent = new Open123SentRequest(
            request.Method.Method,
            request.RequestUri!.AbsolutePath,
            request.RequestUri.Query,
            request.Headers.TryGetValues("Platform", out var platform) ? string.Join(",", platform) : null,
            request.Headers.TryGetValues("Authorization", out var authorization) ? string.Join(",", authorization) : null,
            contentType,
            body,
            _time.GetUtcNow());
        lock (_requests)
        {
            _requests.Add(sent);
        }

        var slice = sent.Path.EndsWith("/upload/v2/file/slice", StringComparison.Ordinal);
        if (slice)
        {
            var now = Interlocked.Increment(ref _slicesInFlight);
            int max;
            while (now > (max = Volatile.Read(ref _maxSlicesInFlight)) && Interlocked.CompareExchange(ref _maxSlicesInFlight, now, max) != max)
            {
            }
        }

        try
        {
            var response = _intercept?.Invoke(request) ?? await base.SendAsync(request, cancellationToken);
            sent.Status = (int)response.StatusCode;
            return response;
        }
        finally
        {
            if (slice)
            {
                Interlocked.Decrement(ref _slicesInFlight);
            }
        }
    }
}
