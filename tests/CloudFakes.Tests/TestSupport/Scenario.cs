using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace OpenList.DriverHost.CloudFakes.Tests.TestSupport;

/// <summary>A started fake with one registered app, one account ("alice") and a token pair for it.</summary>
public sealed class Scenario : IAsyncDisposable
{
    public const string ClientId = "test-client";
    public const string ClientSecret = "test-secret";

    private Scenario(FakeCloud cloud, AliyunAccount account, AliyunTokens tokens, ManualTimeProvider? clock)
    {
        Cloud = cloud;
        Account = account;
        Tokens = tokens;
        Clock = clock;
        Http = new HttpClient { BaseAddress = cloud.BaseUrl, Timeout = TimeSpan.FromSeconds(20) };
    }

    public FakeCloud Cloud { get; }

    public AliyunFake Aliyun => Cloud.Aliyun;

    public AliyunAccount Account { get; }

    public AliyunTokens Tokens { get; }

    public ManualTimeProvider? Clock { get; }

    public HttpClient Http { get; }

    public string Drive => Account.DriveId("resource");

    public static async Task<Scenario> StartAsync(bool manualClock = false, bool rateLimits = false)
    {
        var clock = manualClock ? new ManualTimeProvider() : null;
        var cloud = await FakeCloud.StartAsync(new FakeCloudOptions { Time = (TimeProvider?)clock ?? TimeProvider.System, EnforceRateLimits = rateLimits });
        cloud.Aliyun.RegisterClient(ClientId, ClientSecret);
        var account = cloud.Aliyun.CreateAccount("alice");
        return new Scenario(cloud, account, cloud.Aliyun.IssueTokens(account, ClientId), clock);
    }

    /// <summary>POST /adrive/v1.0/&lt;operation&gt; with a JSON body and the scenario's (or the given) access token.</summary>
    public async Task<ApiResponse> ApiAsync(string operation, object? body, string? accessToken = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/adrive/v1.0/" + operation);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken ?? Tokens.AccessToken);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await Http.SendAsync(request);
        return await ApiResponse.ReadAsync(response);
    }

    public async Task<ApiResponse> GetAsync(string url, string? range = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (range is not null)
        {
            request.Headers.TryAddWithoutValidation("Range", range);
        }

        using var response = await Http.SendAsync(request);
        return await ApiResponse.ReadAsync(response);
    }

    public async Task<string> DownloadUrlAsync(string fileId, int expireSeconds = 14400)
    {
        var answer = await ApiAsync("openFile/getDownloadUrl", new { drive_id = Drive, file_id = fileId, expire_sec = expireSeconds });
        answer.AssertOk();
        return answer.Str("url");
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Cloud.DisposeAsync();
    }
}
