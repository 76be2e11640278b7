using System.Diagnostics;
using System.Net;
using OpenList.DriverHost.CloudFakes;
using OpenList.DriverHost.DriverHost.Tests.Functional;

namespace OpenList.DriverHost.DriverHost.Tests.Cloud;

/// <summary>Issue 3: upstream fault scripts — flaky 5xx, throttling, a dead provider.</summary>
public sealed class AliyunResilienceTests : IAsyncLifetime
{
    private const string List = "/adrive/v1.0/openFile/list";
    private const string Link = "/adrive/v1.0/openFile/getDownloadUrl";
    private FakeCloud _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeCloud.StartAsync(new FakeCloudOptions { EnforceRateLimits = false });

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public async Task Thirty_percent_5xx_on_list_and_link_still_serves_every_PROPFIND_and_GET()
    {
        var account = _fake.Aliyun.CreateAccount();
        for (var i = 0; i < 20; i++)
        {
            account.AddFile("resource", $"/f{i}.bin", [(byte)i]);
        }

        await using var host = await AliyunHost.StartAsync(_fake, account: account);
        _fake.Faults.FailRatio(List, 0.3, 500, seed: 7);
        _fake.Faults.FailRatio(Link, 0.3, 503, seed: 11);
        using var client = host.Host.Client();
        for (var i = 0; i < 20; i++)
        {
            var listing = await client.SendAsync("PROPFIND", "/dav/aliyun/", null, ("Depth", "1"));
            Assert.True(listing.StatusCode == HttpStatusCode.MultiStatus, $"PROPFIND {i}: {(int)listing.StatusCode} {await listing.Content.ReadAsStringAsync()}");
            Assert.Equal(HttpStatusCode.Found, (await client.GetAsync($"/dav/aliyun/f{i}.bin")).StatusCode);
        }

        var failed = _fake.Requests.Snapshot().Count(r => r.Operation is List or Link && r.Status >= 500);
        Assert.True(failed > 0, "the fault script injected no failure");
    }

    [Fact]
    public async Task A_429_is_retried_after_the_providers_Retry_After()
    {
        await using var host = await AliyunHost.StartAsync(_fake);
        _fake.Faults.Throttle(List, 1, TimeSpan.FromSeconds(1));
        using var client = host.Host.Client();
        _fake.Requests.Clear();

        Assert.Equal(HttpStatusCode.MultiStatus, (await client.SendAsync("PROPFIND", "/dav/aliyun/", null, ("Depth", "1"))).StatusCode);

        var lists = _fake.Requests.Snapshot().Where(r => r.Operation == List).ToList();
        Assert.Equal(429, lists[0].Status);
        Assert.Equal(200, lists[1].Status);
        Assert.True(lists[1].Time - lists[0].Time >= TimeSpan.FromSeconds(0.9), $"retried after {(lists[1].Time - lists[0].Time).TotalMilliseconds} ms");
    }

    [Fact]
    public async Task A_dead_provider_gets_503_at_once_without_piling_up_calls_and_the_mount_recovers_when_it_returns()
    {
        await using var host = await AliyunHost.StartAsync(_fake);
        using var client = host.Host.Client();
        _fake.Faults.SetDown(true);

        for (var i = 0; i < 6; i++)
        {
            var response = await client.SendAsync("PROPFIND", "/dav/aliyun/", null, ("Depth", "1"));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.NotNull(response.Headers.RetryAfter);
        }

        // Once the circuit is open, requests are answered without reaching the provider at all.
        var reached = _fake.Requests.Count(List);
        var timer = Stopwatch.StartNew();
        var fast = await client.SendAsync("PROPFIND", "/dav/aliyun/", null, ("Depth", "1"));
        timer.Stop();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, fast.StatusCode);
        Assert.Equal(reached, _fake.Requests.Count(List));
        Assert.True(timer.Elapsed < TimeSpan.FromSeconds(1), $"503 took {timer.Elapsed.TotalMilliseconds} ms");

        _fake.Faults.SetDown(false);
        var recovered = false;
        for (var attempt = 0; attempt < 40 && !recovered; attempt++)
        {
            await Task.Delay(500);
            recovered = (await client.SendAsync("PROPFIND", "/dav/aliyun/", null, ("Depth", "1"))).StatusCode == HttpStatusCode.MultiStatus;
        }

        Assert.True(recovered, "the mount did not recover after the provider came back");
    }
}
