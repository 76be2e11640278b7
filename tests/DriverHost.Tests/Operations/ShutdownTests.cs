using System.Net;
using System.Text.Json;
using OpenList.DriverHost.CloudFakes;
using OpenList.DriverHost.DriverHost.Tests.Cloud;
using OpenList.DriverHost.DriverHost.Tests.Functional;

namespace OpenList.DriverHost.DriverHost.Tests.Operations;

/// <summary>Issue 8 item 6: stopping lets in-flight transfers finish up to server.shutdown_timeout, then cancels them.</summary>
public sealed class ShutdownTests
{
    [Fact]
    public async Task A_slow_download_in_flight_when_the_host_stops_completes()
    {
        await using var host = await HostFixture.StartAsync(withUsers: false);
        var content = new byte[8 << 20];
        new Random(3).NextBytes(content);
        await File.WriteAllBytesAsync(Path.Combine(host.Data, "big.bin"), content);
        using var client = host.Client(user: null);
        using var response = await client.GetAsync("/dav/local/big.bin", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var body = await response.Content.ReadAsStreamAsync();
        var received = new MemoryStream();
        var buffer = new byte[256 << 10];
        var n = await body.ReadAsync(buffer);
        received.Write(buffer, 0, n);

        var stopping = host.StopAsync();
        while ((n = await body.ReadAsync(buffer)) > 0)
        {
            received.Write(buffer, 0, n);
            await Task.Delay(20);
        }

        Assert.Equal(content, received.ToArray());
        await stopping.WaitAsync(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task An_upload_still_running_at_the_shutdown_timeout_is_cancelled_and_leaves_nothing_behind()
    {
        await using var fake = await FakeCloud.StartAsync(new FakeCloudOptions { EnforceRateLimits = false });
        fake.Aliyun.RegisterClient(AliyunHost.ClientId, AliyunHost.ClientSecret);
        var account = fake.Aliyun.CreateAccount();
        var tokens = fake.Aliyun.IssueTokens(account, AliyunHost.ClientId);
        var root = Directory.CreateTempSubdirectory("dh-shutdown-").FullName;
        Directory.CreateDirectory(Path.Combine(root, "data"));
        var spool = Path.Combine(root, "spool");
        Directory.CreateDirectory(spool);
        var storage = AliyunHost.Storage(fake, AliyunAuthMode.OwnKeys, "302_redirect", 0, tokens.RefreshToken, tokens.AccessToken);
        var json = $$"""
            {
              "server": { "listen": "http://127.0.0.1:0", "dav_prefix": "/dav", "state": "sqlite:state.db", "shutdown_timeout": 1, "temp_dir": {{JsonSerializer.Serialize(spool)}} },
              "storages": [ {{storage}} ]
            }
            """;
        await using var host = await HostFixture.StartFromConfigAsync(root, json);
        using var client = host.Client(user: null);
        using var stalled = new CancellationTokenSource();
        // More than one 20 MB part: the driver has opened its upload session and sent a part when the body stalls.
        var content = new StallingContent(48 << 20, 21 << 20, stalled.Token);
        var put = Task.Run(async () =>
        {
            try
            {
                return (await client.PutAsync("/dav/aliyun/up.bin", content)).StatusCode;
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
            {
                return (HttpStatusCode)0;
            }
        });
        await content.Sent.WaitAsync(TimeSpan.FromSeconds(20));
        var opened = System.Diagnostics.Stopwatch.StartNew();
        while (account.OpenUploadCount("resource") == 0 && opened.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(50);
        }

        Assert.Equal(1, account.OpenUploadCount("resource"));

        var stopped = System.Diagnostics.Stopwatch.StartNew();
        await host.StopAsync().WaitAsync(TimeSpan.FromSeconds(20));
        Assert.InRange(stopped.Elapsed, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(15));
        await stalled.CancelAsync();
        Assert.NotEqual(HttpStatusCode.Created, await put.WaitAsync(TimeSpan.FromSeconds(20)));

        Assert.False(account.Exists("resource", "/up.bin"));
        // The session itself stays open: Aliyundrive Open has no call to abort a multipart upload (the service
        // expires it), so the driver can only stop sending parts and never complete it.
        Assert.Equal(1, account.OpenUploadCount("resource"));
        Assert.Empty(Directory.EnumerateFiles(spool, "*", SearchOption.AllDirectories));
    }

    /// <summary>A body of a declared length that sends its first bytes and then stalls until cancelled.</summary>
    private sealed class StallingContent(long length, int first, CancellationToken stalled) : HttpContent
    {
        private readonly TaskCompletionSource _sent = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Sent => _sent.Task;

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(new byte[first]);
            await stream.FlushAsync();
            _sent.TrySetResult();
            await Task.Delay(Timeout.Infinite, stalled);
        }

        protected override bool TryComputeLength(out long length1)
        {
            length1 = length;
            return true;
        }
    }
}
