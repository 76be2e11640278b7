using System.Net;
using OpenList.DriverHost.CloudFakes.Tests.TestSupport;

namespace OpenList.DriverHost.CloudFakes.Tests.Aliyun;

/// <summary>cloud-apis.md §2.7: documented server limits per user per app; 429 TooManyRequests.</summary>
public sealed class RateLimitTests
{
    [Fact]
    public async Task Second_getDownloadUrl_within_a_second_is_429_and_the_bucket_refills()
    {
        await using var s = await Scenario.StartAsync(manualClock: true, rateLimits: true);
        var id = s.Account.AddFile("resource", "/f", [1]);
        var body = new { drive_id = s.Drive, file_id = id, expire_sec = 14400 };
        (await s.ApiAsync("openFile/getDownloadUrl", body)).AssertOk();
        var limited = await s.ApiAsync("openFile/getDownloadUrl", body);
        limited.AssertError(HttpStatusCode.TooManyRequests, "TooManyRequests");
        Assert.NotNull(limited.Headers.RetryAfter);

        // Other classes and other apps have their own buckets.
        (await s.ApiAsync("openFile/get", new { drive_id = s.Drive, file_id = id })).AssertOk();
        s.Aliyun.RegisterClient("second-app", "secret");
        var other = s.Aliyun.IssueTokens(s.Account, "second-app");
        (await s.ApiAsync("openFile/getDownloadUrl", body, other.AccessToken)).AssertOk();

        s.Clock!.Advance(TimeSpan.FromSeconds(1));
        (await s.ApiAsync("openFile/getDownloadUrl", body)).AssertOk();
    }

    [Fact]
    public async Task List_allows_a_burst_of_four_and_limits_are_settable()
    {
        await using var s = await Scenario.StartAsync(manualClock: true, rateLimits: true);
        var body = new { drive_id = s.Drive, parent_file_id = "root" };
        for (var i = 0; i < 4; i++)
        {
            (await s.ApiAsync("openFile/list", body)).AssertOk();
        }

        (await s.ApiAsync("openFile/list", body)).AssertError(HttpStatusCode.TooManyRequests, "TooManyRequests");
        s.Aliyun.RateLimits = new AliyunRateLimits { ListPerSecond = 1000, MaxBurst = 1000 };
        for (var i = 0; i < 20; i++)
        {
            (await s.ApiAsync("openFile/list", body)).AssertOk();
        }
    }
}
