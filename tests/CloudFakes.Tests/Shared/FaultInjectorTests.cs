using System.Net;
using OpenList.DriverHost.CloudFakes.Tests.TestSupport;

namespace OpenList.DriverHost.CloudFakes.Tests.Shared;

public sealed class FaultInjectorTests
{
    private const string DriveInfo = "/adrive/v1.0/user/getDriveInfo";

    [Fact]
    public async Task FailNext_answers_the_next_calls_with_the_status_then_recovers()
    {
        await using var s = await Scenario.StartAsync();
        s.Cloud.Faults.FailNext(DriveInfo, 2, 503);
        (await s.ApiAsync("user/getDriveInfo", null)).AssertError(HttpStatusCode.ServiceUnavailable, "InternalError");
        (await s.ApiAsync("user/getSpaceInfo", null)).AssertOk(); // other operations are unaffected
        (await s.ApiAsync("user/getDriveInfo", null)).AssertError(HttpStatusCode.ServiceUnavailable, "InternalError");
        (await s.ApiAsync("user/getDriveInfo", null)).AssertOk();

        s.Cloud.Faults.FailNext("*", 1, 401, "AccessTokenExpired");
        (await s.ApiAsync("user/getSpaceInfo", null)).AssertError(HttpStatusCode.Unauthorized, "AccessTokenExpired");
        Assert.Equal(3, s.Cloud.Requests.Count(DriveInfo));
    }

    [Fact]
    public async Task Throttle_answers_429_with_retry_after_in_seconds()
    {
        await using var s = await Scenario.StartAsync();
        s.Cloud.Faults.Throttle(DriveInfo, 1, TimeSpan.FromSeconds(3));
        var throttled = await s.ApiAsync("user/getDriveInfo", null);
        throttled.AssertError(HttpStatusCode.TooManyRequests, "TooManyRequests");
        Assert.Equal(TimeSpan.FromSeconds(3), throttled.Headers.RetryAfter?.Delta);
        (await s.ApiAsync("user/getDriveInfo", null)).AssertOk();
    }

    [Fact]
    public async Task FailRatio_with_a_seed_is_reproducible()
    {
        var patterns = new List<string>();
        for (var run = 0; run < 2; run++)
        {
            await using var s = await Scenario.StartAsync();
            s.Cloud.Faults.FailRatio(DriveInfo, 0.5, 500, seed: 1234);
            var pattern = "";
            for (var i = 0; i < 16; i++)
            {
                pattern += (await s.ApiAsync("user/getDriveInfo", null)).Status == HttpStatusCode.OK ? "." : "x";
            }

            patterns.Add(pattern);
        }

        Assert.Equal(patterns[0], patterns[1]);
        Assert.Contains('x', patterns[0]);
        Assert.Contains('.', patterns[0]);
    }

    [Fact]
    public async Task Down_aborts_every_connection_until_brought_back_up()
    {
        await using var s = await Scenario.StartAsync();
        s.Cloud.Faults.SetDown(true);
        await Assert.ThrowsAsync<HttpRequestException>(() => s.ApiAsync("user/getDriveInfo", null));
        var entry = s.Cloud.Requests.Snapshot()[^1];
        Assert.True(entry.Aborted);
        Assert.Equal(0, entry.Status);

        s.Cloud.Faults.SetDown(false);
        (await s.ApiAsync("user/getDriveInfo", null)).AssertOk();
    }

    [Fact]
    public async Task DropDownloadAfter_cuts_the_body_short_once()
    {
        await using var s = await Scenario.StartAsync();
        var url = await s.DownloadUrlAsync(s.Account.AddSyntheticFile("resource", "/big.bin", 1 << 20, seed: 3));
        s.Cloud.Faults.DropDownloadAfter(1000, 1);

        using (var cut = await s.Http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.OK, cut.StatusCode);
            Assert.Equal(1 << 20, cut.Content.Headers.ContentLength);
            await using var body = await cut.Content.ReadAsStreamAsync();
            var received = 0;
            var buffer = new byte[4096];
            var error = await Record.ExceptionAsync(async () =>
            {
                int read;
                while ((read = await body.ReadAsync(buffer)) > 0)
                {
                    received += read;
                }
            });
            Assert.True(error is IOException or HttpRequestException, error?.ToString() ?? "the body ended without an error");
            Assert.Equal(1000, received);
        }

        var whole = await s.Http.GetByteArrayAsync(url);
        Assert.Equal(1 << 20, whole.Length);
        Assert.Contains(s.Cloud.Requests.Snapshot(), r => r.Operation == "download" && r.Aborted && r.Status == 200);
    }

    [Fact]
    public async Task Delay_holds_the_call_and_the_log_records_operations_without_query_strings()
    {
        await using var s = await Scenario.StartAsync();
        s.Cloud.Faults.Delay(DriveInfo, TimeSpan.FromMilliseconds(200), count: 1);
        var started = TimeProvider.System.GetTimestamp();
        (await s.ApiAsync("user/getDriveInfo", null)).AssertOk();
        Assert.True(TimeProvider.System.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(180));

        var url = await s.DownloadUrlAsync(s.Account.AddFile("resource", "/f", [1]));
        await s.GetAsync(url);
        var log = s.Cloud.Requests.Snapshot();
        var download = Assert.Single(log, r => r.Operation == "download");
        Assert.Equal("aliyun", download.Provider);
        Assert.DoesNotContain("?", download.Path, StringComparison.Ordinal);
        Assert.Equal(1, s.Cloud.Requests.Count("/adrive/v1.0/openFile/getDownloadUrl"));
        s.Cloud.Requests.Clear();
        Assert.Equal(0, s.Cloud.Requests.Count("*"));
    }
}
