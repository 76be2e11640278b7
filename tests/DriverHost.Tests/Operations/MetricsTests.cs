using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenList.DriverHost.CloudFakes;
using OpenList.DriverHost.DriverHost.Tests.Cloud;
using OpenList.DriverHost.DriverHost.Tests.Functional;
using OpenList.DriverHost.Mounts;
using OpenList.DriverHost.Operations;

namespace OpenList.DriverHost.DriverHost.Tests.Operations;

/// <summary>The process-wide meter is shared by every host in the test process: these run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsCollection
{
    public const string Name = "metrics (not parallel)";
}

/// <summary>Issue 8 item 4: /healthz and /metrics, counters asserted after known traffic.</summary>
[Collection(MetricsCollection.Name)]
public sealed class MetricsTests
{
    [Fact]
    public async Task Healthz_answers_without_credentials_and_reports_a_failed_mount_with_200()
    {
        await using var host = await HostFixture.StartAsync();
        using var anonymous = host.Client(user: null);
        var response = await anonymous.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using (var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()))
        {
            Assert.Equal("ok", json.RootElement.GetProperty("status").GetString());
            var local = Assert.Single(json.RootElement.GetProperty("mounts").EnumerateArray());
            Assert.Equal("/local", local.GetProperty("mount_path").GetString());
            Assert.Equal("Local", local.GetProperty("driver").GetString());
            Assert.Equal("ok", local.GetProperty("status").GetString());
        }

        host.Services.GetRequiredService<MountTableHolder>().Current.MountAt("/local")!.MarkFailed("the folder is gone");
        response = await anonymous.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using (var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()))
        {
            var local = Assert.Single(json.RootElement.GetProperty("mounts").EnumerateArray());
            Assert.Equal("error", local.GetProperty("status").GetString());
            Assert.Equal("the folder is gone", local.GetProperty("error").GetString());
            Assert.Equal(1, json.RootElement.GetProperty("mounts_failed").GetInt32());
        }
    }

    [Fact]
    public async Task Metrics_need_the_webdav_credentials_when_users_are_configured_and_none_without_users()
    {
        await using (var host = await HostFixture.StartAsync())
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client(user: null).GetAsync("/metrics")).StatusCode);
            var response = await host.Client("reader").GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.MediaType, StringComparison.Ordinal);
            Assert.Contains("# TYPE driverhost_http_requests_total counter", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await using (var open = await HostFixture.StartAsync(withUsers: false))
        {
            var response = await open.Client(user: null).GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task Counters_follow_known_traffic_on_a_cached_cloud_mount()
    {
        await using var fake = await FakeCloud.StartAsync(new FakeCloudOptions { EnforceRateLimits = false });
        var account = fake.Aliyun.CreateAccount();
        var content = new byte[123_457];
        new Random(7).NextBytes(content);
        account.AddFile("resource", "/movie.bin", content);
        await using var host = await AliyunHost.StartAsync(fake, policy: "native_proxy", cacheMinutes: 5, account: account);
        using var client = host.Host.Client();
        using var metrics = new MetricsExporter();

        Assert.Equal(HttpStatusCode.MultiStatus, (await client.SendAsync("PROPFIND", "/dav/aliyun/", null, ("Depth", "1"))).StatusCode);
        Assert.Equal(HttpStatusCode.MultiStatus, (await client.SendAsync("PROPFIND", "/dav/aliyun/", null, ("Depth", "1"))).StatusCode);
        Assert.Equal(1, metrics.Value("driverhost_listing_cache_requests_total", ("result", "miss")));
        Assert.Equal(1, metrics.Value("driverhost_listing_cache_requests_total", ("result", "hit")));
        Assert.Equal(2, metrics.Value("driverhost_http_requests_total", ("method", "PROPFIND"), ("status", "207")));
        Assert.True(metrics.Sum("driverhost_upstream_calls_total", ("outcome", "ok")) >= 1);

        var body = await client.GetByteArrayAsync("/dav/aliyun/movie.bin");
        Assert.Equal(content, body);
        Assert.Equal(content.Length, metrics.Value("driverhost_proxied_bytes_total"));
        Assert.Equal(1, metrics.Value("driverhost_link_cache_requests_total", ("result", "miss")));
        await client.GetByteArrayAsync("/dav/aliyun/movie.bin");
        Assert.Equal(2L * content.Length, metrics.Value("driverhost_proxied_bytes_total"));
        Assert.True(metrics.Value("driverhost_link_cache_requests_total", ("result", "hit")) >= 1);

        fake.Aliyun.ExpireAccessTokensNow();
        Assert.Equal(HttpStatusCode.MultiStatus, (await client.SendAsync("PROPFIND", "/dav/aliyun/", null, ("Depth", "1"), ("Cache-Control", "no-cache"))).StatusCode);
        Assert.Equal(1, metrics.Sum("driverhost_token_refreshes_total", ("outcome", "ok")));

        await client.PutTextAsync("/dav/aliyun/up.txt", "uploaded");
        Assert.Equal(0, metrics.Value("driverhost_open_uploads"));
        Assert.Equal(1, metrics.Sum("driverhost_http_requests_total", ("method", "PUT")));

        var text = await client.GetStringAsync("/metrics");
        Assert.Contains("driverhost_listing_cache_requests_total{result=\"hit\"}", text, StringComparison.Ordinal);
        Assert.Contains("driverhost_upstream_calls_total{operation=", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE driverhost_open_uploads gauge", text, StringComparison.Ordinal);
    }
}
