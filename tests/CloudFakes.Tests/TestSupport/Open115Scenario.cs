using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace OpenList.DriverHost.CloudFakes.Tests.TestSupport;

/// <summary>A started fake with one 115 account ("alice") and one authorization for it.</summary>
public sealed class Open115Scenario : IAsyncDisposable
{
    private Open115Scenario(FakeCloud cloud, Open115Account account, Open115Tokens tokens, ManualTimeProvider? clock)
    {
        Cloud = cloud;
        Account = account;
        Tokens = tokens;
        Clock = clock;
        Http = new HttpClient { BaseAddress = cloud.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
    }

    public FakeCloud Cloud { get; }

    public Open115Fake Fake => Cloud.Open115;

    public Open115Account Account { get; }

    public Open115Tokens Tokens { get; }

    public ManualTimeProvider? Clock { get; }

    public HttpClient Http { get; }

    /// <summary>The fake's clock.</summary>
    public DateTimeOffset Now() => Clock?.GetUtcNow() ?? DateTimeOffset.UtcNow;

    public static async Task<Open115Scenario> StartAsync(bool manualClock = false, bool rateLimits = false)
    {
        var clock = manualClock ? new ManualTimeProvider() : null;
        var cloud = await FakeCloud.StartAsync(new FakeCloudOptions { Time = (TimeProvider?)clock ?? TimeProvider.System, EnforceRateLimits = rateLimits });
        var account = cloud.Open115.CreateAccount("alice");
        return new Open115Scenario(cloud, account, cloud.Open115.IssueTokens(account), clock);
    }

    /// <summary>GET with query parameters and the scenario's (or the given) access token.</summary>
    public Task<Open115Response> GetAsync(string path, IDictionary<string, string>? query = null, string? accessToken = null)
    {
        var url = path + (query is null ? "" : "?" + string.Join("&", query.Select(kv => Uri.EscapeDataString(kv.Key) + "=" + Uri.EscapeDataString(kv.Value))));
        return SendAsync(new HttpRequestMessage(HttpMethod.Get, url), accessToken);
    }

    /// <summary>POST with a form body (application/x-www-form-urlencoded), like the SDK.</summary>
    public Task<Open115Response> PostAsync(string path, IDictionary<string, string> form, string? accessToken = null, string? userAgent = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
        if (userAgent is not null)
        {
            request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        }

        return SendAsync(request, accessToken);
    }

    public async Task<Open115Response> RefreshAsync(string refreshToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/open/refreshToken")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["refresh_token"] = refreshToken }),
        };
        using var response = await Http.SendAsync(request);
        return await Open115Response.ReadAsync(response);
    }

    /// <summary>A download link minted for <paramref name="userAgent"/>.</summary>
    public async Task<string> DownUrlAsync(string path, string userAgent = "test-agent/1.0")
    {
        var answer = await PostAsync("/open/ufile/downurl", new Dictionary<string, string> { ["pick_code"] = Account.PickCode(path) }, userAgent: userAgent);
        answer.AssertOk();
        return answer.Data.GetProperty(Account.FileId(path)!).GetProperty("url").GetProperty("url").GetString()!;
    }

    public async Task<Open115Response> DownloadAsync(string url, string? userAgent, string? range = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (userAgent is not null)
        {
            request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        }

        if (range is not null)
        {
            request.Headers.TryAddWithoutValidation("Range", range);
        }

        using var response = await Http.SendAsync(request);
        return await Open115Response.ReadAsync(response);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Cloud.DisposeAsync();
    }

    private async Task<Open115Response> SendAsync(HttpRequestMessage request, string? accessToken)
    {
        using (request)
        {
            if (accessToken != "")
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken ?? Tokens.AccessToken);
            }

            using var response = await Http.SendAsync(request);
            return await Open115Response.ReadAsync(response);
        }
    }
}

/// <summary>A 115 answer read completely, with the envelope's fields.</summary>
public sealed record Open115Response(HttpStatusCode Status, string? MediaType, HttpResponseMessage Message, byte[] Bytes)
{
    public string Body => System.Text.Encoding.UTF8.GetString(Bytes);

    public JsonElement Json => JsonDocument.Parse(Bytes).RootElement;

    public JsonElement Data => Json.GetProperty("data");

    public long Code => Json.GetProperty("code").GetInt64();

    public static async Task<Open115Response> ReadAsync(HttpResponseMessage response)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync();
        return new Open115Response(response.StatusCode, response.Content.Headers.ContentType?.MediaType, response, bytes);
    }

    /// <summary>HTTP 200, JSON, <c>state:true</c>, <c>code:0</c>, and a <c>data</c> key.</summary>
    public void AssertOk()
    {
        Assert.True(Status == HttpStatusCode.OK, $"expected 200, got {(int)Status}: {Body}");
        Assert.Equal("application/json", MediaType);
        Assert.True(Json.GetProperty("state").ValueKind == JsonValueKind.True, Body);
        Assert.Equal(0, Code);
        Assert.True(Json.TryGetProperty("data", out _), "data must always be present");
    }

    /// <summary>The proapi error contract: HTTP 200, <c>state:false</c>, a numeric code, a string message, and <c>data</c> present.</summary>
    public void AssertError(long code)
    {
        Assert.True(Status == HttpStatusCode.OK, $"expected 200, got {(int)Status}: {Body}");
        Assert.Equal("application/json", MediaType);
        Assert.Equal(JsonValueKind.False, Json.GetProperty("state").ValueKind);
        Assert.Equal(JsonValueKind.Number, Json.GetProperty("code").ValueKind);
        Assert.Equal(code, Code);
        Assert.Equal(JsonValueKind.String, Json.GetProperty("message").ValueKind);
        Assert.True(Json.TryGetProperty("data", out _), "data must always be present");
    }

    /// <summary>The passport error contract: HTTP 200, <c>state:0</c>, <c>code</c> and <c>errno</c> = code, non-empty <c>error</c>.</summary>
    public void AssertPassportError(long code)
    {
        Assert.True(Status == HttpStatusCode.OK, $"expected 200, got {(int)Status}: {Body}");
        Assert.Equal(0, Json.GetProperty("state").GetInt32());
        Assert.Equal(code, Code);
        Assert.Equal(code, Json.GetProperty("errno").GetInt64());
        Assert.False(string.IsNullOrEmpty(Json.GetProperty("error").GetString()));
        Assert.Equal(JsonValueKind.Object, Json.GetProperty("data").ValueKind);
    }
}
