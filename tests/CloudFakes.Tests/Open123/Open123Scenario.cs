using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using OpenList.DriverHost.CloudFakes.Tests.TestSupport;

namespace OpenList.DriverHost.CloudFakes.Tests.Open123;

/// <summary>A started fake with one 123 developer client whose owner is "alice", and a developer token for her.</summary>
public sealed class Open123Scenario : IAsyncDisposable
{
    public const string ClientId = "client-123";
    public const string ClientSecret = "secret-123";

    private Open123Scenario(FakeCloud cloud, Open123Account account, string token, ManualTimeProvider? clock)
    {
        Cloud = cloud;
        Account = account;
        Token = token;
        Clock = clock;
        Http = new HttpClient { BaseAddress = cloud.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
    }

    public FakeCloud Cloud { get; }

    public Open123Fake Fake => Cloud.Open123;

    public Open123Account Account { get; }

    /// <summary>A developer token issued at start.</summary>
    public string Token { get; }

    public ManualTimeProvider? Clock { get; }

    public HttpClient Http { get; }

    public static async Task<Open123Scenario> StartAsync(bool manualClock = false, bool rateLimits = false)
    {
        var clock = manualClock ? new ManualTimeProvider() : null;
        var cloud = await FakeCloud.StartAsync(new FakeCloudOptions { Time = (TimeProvider?)clock ?? TimeProvider.System, EnforceRateLimits = rateLimits });
        var account = cloud.Open123.RegisterClient(ClientId, ClientSecret, cloud.Open123.CreateAccount("alice"));
        return new Open123Scenario(cloud, account, cloud.Open123.IssueDeveloperToken(ClientId), clock);
    }

    /// <summary>An API call with the documented headers (Platform, Bearer, JSON content type on bodies).</summary>
    public async Task<Envelope> CallAsync(HttpMethod method, string pathAndQuery, object? body = null, string? token = null, bool platform = true)
    {
        using var request = new HttpRequestMessage(method, pathAndQuery);
        if (platform)
        {
            request.Headers.Add("Platform", "open_platform");
        }

        var bearer = token ?? Token;
        if (bearer.Length > 0)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body as string ?? JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        }

        using var response = await Http.SendAsync(request);
        return await Envelope.ReadAsync(response);
    }

    public Task<Envelope> GetAsync(string pathAndQuery, string? token = null) => CallAsync(HttpMethod.Get, pathAndQuery, null, token);

    public Task<Envelope> PostAsync(string path, object body, string? token = null) => CallAsync(HttpMethod.Post, path, body, token);

    public async Task<Envelope> ListAsync(long parent, int limit = 100, long lastFileId = 0) =>
        await GetAsync($"/api/v2/file/list?parentFileId={parent}&limit={limit}&lastFileId={lastFileId}&trashed=false&searchMode=&searchData=");

    public async Task<HttpResponseMessage> RawGetAsync(string url, string? range = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (range is not null)
        {
            request.Headers.TryAddWithoutValidation("Range", range);
        }

        return await Http.SendAsync(request);
    }

    public async Task<Envelope> DeveloperTokenAsync(string clientId = ClientId, string secret = ClientSecret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/access_token");
        request.Headers.Add("Platform", "open_platform");
        request.Content = new StringContent(JsonSerializer.Serialize(new { clientID = clientId, clientSecret = secret }), Encoding.UTF8, "application/json");
        using var response = await Http.SendAsync(request);
        return await Envelope.ReadAsync(response);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Cloud.DisposeAsync();
    }
}

/// <summary>A 123 answer: HTTP status, media type and the envelope, with its shape checked on read.</summary>
public sealed record Envelope(HttpStatusCode Status, string? MediaType, string Body)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public int Code => Json.GetProperty("code").GetInt32();

    public string Message => Json.GetProperty("message").GetString()!;

    public JsonElement Data => Json.GetProperty("data");

    public static async Task<Envelope> ReadAsync(HttpResponseMessage response)
    {
        var envelope = new Envelope(response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
        envelope.AssertShape();
        return envelope;
    }

    /// <summary>Every answer: JSON object with exactly code (number), message (string), data, x-traceID (string).</summary>
    public void AssertShape()
    {
        Assert.Equal("application/json", MediaType);
        var json = Json;
        Assert.Equal(JsonValueKind.Object, json.ValueKind);
        Assert.Equal(["code", "data", "message", "x-traceID"], json.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(JsonValueKind.Number, json.GetProperty("code").ValueKind);
        Assert.Equal(JsonValueKind.String, json.GetProperty("message").ValueKind);
        Assert.Equal(JsonValueKind.String, json.GetProperty("x-traceID").ValueKind);
    }

    public void AssertOk()
    {
        Assert.True(Status == HttpStatusCode.OK && Code == 0, $"expected ok, got HTTP {(int)Status}: {Body}");
        Assert.Equal("ok", Message);
    }

    /// <summary>HTTP 200, the given code, data null.</summary>
    public void AssertCode(int code)
    {
        Assert.True(Status == HttpStatusCode.OK && Code == code, $"expected code {code}, got HTTP {(int)Status}: {Body}");
        Assert.Equal(JsonValueKind.Null, Data.ValueKind);
    }
}
