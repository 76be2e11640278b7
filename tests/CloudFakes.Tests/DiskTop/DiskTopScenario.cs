using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OpenList.DriverHost.CloudFakes.Tests.TestSupport;

namespace OpenList.DriverHost.CloudFakes.Tests.DiskTop;

/// <summary>A started fake with one registered Disk.Top app, one account ("alice") and a sandbox token pair.</summary>
public sealed class DiskTopScenario : IAsyncDisposable
{
    public const string ClientId = "dt-client";
    public const string ClientSecret = "dt-secret";
    public const string AppName = "GPTGet";
    public const string RedirectUri = "http://127.0.0.1:9/callback";

    private DiskTopScenario(FakeCloud cloud, DiskTopAccount account, DiskTopTokens tokens, ManualTimeProvider? clock)
    {
        Cloud = cloud;
        Account = account;
        Tokens = tokens;
        Clock = clock;
        Http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = cloud.BaseUrl, Timeout = TimeSpan.FromSeconds(20) };
    }

    public FakeCloud Cloud { get; }

    public DiskTopFake Fake => Cloud.DiskTop;

    public DiskTopAccount Account { get; }

    public DiskTopTokens Tokens { get; }

    public ManualTimeProvider? Clock { get; }

    public HttpClient Http { get; }

    /// <summary>"/我的应用数据/GPTGet".</summary>
    public string Sandbox => Fake.SandboxPath(ClientId);

    public static async Task<DiskTopScenario> StartAsync(bool manualClock = false, IEnumerable<string>? allowedScopes = null, string scope = DiskTopScopes.Default)
    {
        var clock = manualClock ? new ManualTimeProvider() : null;
        var cloud = await FakeCloud.StartAsync(new FakeCloudOptions { Time = (TimeProvider?)clock ?? TimeProvider.System, EnforceRateLimits = false });
        cloud.DiskTop.RegisterClient(ClientId, ClientSecret, [RedirectUri], AppName, allowedScopes ?? DiskTopScopes.All);
        var account = cloud.DiskTop.CreateAccount("alice");
        return new DiskTopScenario(cloud, account, cloud.DiskTop.IssueTokens(account, ClientId, scope), clock);
    }

    public async Task<ApiResponse> GetAsync(string url, string? token = null, string? range = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (range is not null)
        {
            request.Headers.TryAddWithoutValidation("Range", range);
        }

        using var response = await Http.SendAsync(request);
        return await ApiResponse.ReadAsync(response);
    }

    /// <summary>GET with the scenario's access token.</summary>
    public Task<ApiResponse> ApiGetAsync(string url) => GetAsync(url, Tokens.AccessToken);

    /// <summary>POST form-urlencoded (repeated keys allowed) with a Bearer token (the scenario's unless given; "" for none).</summary>
    public async Task<ApiResponse> PostFormAsync(string url, IEnumerable<(string Key, string Value)> fields, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value))),
        };
        token ??= Tokens.AccessToken;
        if (token.Length > 0)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await Http.SendAsync(request);
        return await ApiResponse.ReadAsync(response);
    }

    public Task<ApiResponse> PostFormAsync(string url, params (string Key, string Value)[] fields) => PostFormAsync(url, fields, null);

    /// <summary>POST raw bytes (a chunk) with Content-Type application/octet-stream (or the given type), no auth.</summary>
    public async Task<ApiResponse> PostBytesAsync(string url, byte[] body, string? contentType = "application/octet-stream")
    {
        using var content = new ByteArrayContent(body);
        if (contentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        using var response = await Http.PostAsync(url, content);
        return await ApiResponse.ReadAsync(response);
    }

    /// <summary>POST with an empty body and no auth (upload service: complete, abort).</summary>
    public async Task<ApiResponse> PostEmptyAsync(string url)
    {
        using var response = await Http.PostAsync(url, null);
        return await ApiResponse.ReadAsync(response);
    }

    /// <summary>POST /oauth/token (form) without auth.</summary>
    public Task<ApiResponse> TokenAsync(params (string Key, string Value)[] fields) => PostFormAsync("/oauth/token", fields, "");

    public Task<ApiResponse> RefreshAsync(string refreshToken, string? secret = ClientSecret) =>
        TokenAsync(secret is null
            ? [("grant_type", "refresh_token"), ("refresh_token", refreshToken), ("client_id", ClientId)]
            : [("grant_type", "refresh_token"), ("refresh_token", refreshToken), ("client_id", ClientId), ("client_secret", secret)]);

    /// <summary>GET /oauth/authorize and return the redirect Location (asserts a 302).</summary>
    public async Task<Uri> AuthorizeAsync(string query)
    {
        using var response = await Http.GetAsync("/oauth/authorize?" + query);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!;
    }

    public string Url(string relative) => new Uri(Cloud.BaseUrl, relative.TrimStart('/')).ToString();

    public static string Md5(byte[] bytes) => Convert.ToHexStringLower(MD5.HashData(bytes));

    public static string Verifier() => Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Challenge(string verifier) => Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static Dictionary<string, string> QueryOf(Uri uri) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(uri.Query).ToDictionary(p => p.Key, p => p.Value.ToString());

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Cloud.DisposeAsync();
    }
}

/// <summary>Envelope assertions: <c>{errno:int, errmsg:string, data}</c>.</summary>
public static class DiskTopAssert
{
    /// <summary>200 JSON, errno 0 (a JSON number), errmsg "ok"; returns data.</summary>
    public static JsonElement Ok(ApiResponse response)
    {
        Assert.True(response.Status == HttpStatusCode.OK, $"expected 200, got {(int)response.Status}: {response.Body}");
        Assert.Equal("application/json", response.MediaType);
        var json = response.Json;
        Assert.Equal(JsonValueKind.Number, json.GetProperty("errno").ValueKind);
        Assert.Equal(0, json.GetProperty("errno").GetInt32());
        Assert.Equal("ok", json.GetProperty("errmsg").GetString());
        Assert.Equal(JsonValueKind.Object, json.GetProperty("data").ValueKind);
        return json.GetProperty("data");
    }

    /// <summary>The HTTP status, JSON, errno equal to the status, a string errmsg and a data key; returns the envelope.</summary>
    public static JsonElement Error(ApiResponse response, HttpStatusCode status)
    {
        Assert.True(response.Status == status, $"expected {(int)status}, got {(int)response.Status}: {response.Body}");
        Assert.Equal("application/json", response.MediaType);
        var json = response.Json;
        Assert.Equal((int)status, json.GetProperty("errno").GetInt32());
        Assert.Equal(JsonValueKind.String, json.GetProperty("errmsg").ValueKind);
        Assert.True(json.TryGetProperty("data", out _), "the envelope always has data");
        return json;
    }

    /// <summary>An OAuth error: status, JSON, <c>{"error": expected}</c>.</summary>
    public static void OAuthError(ApiResponse response, HttpStatusCode status, string error)
    {
        Assert.True(response.Status == status, $"expected {(int)status}, got {(int)response.Status}: {response.Body}");
        Assert.Equal("application/json", response.MediaType);
        Assert.Equal(error, response.Json.GetProperty("error").GetString());
    }
}
