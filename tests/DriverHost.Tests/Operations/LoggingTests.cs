using System.Net;
using System.Text;
using System.Text.Json;
using OpenList.DriverHost.CloudFakes;
using OpenList.DriverHost.DriverHost.Tests.AuthTests;
using OpenList.DriverHost.DriverHost.Tests.Cloud;
using OpenList.DriverHost.DriverHost.Tests.Functional;
using OpenList.DriverHost.Hosting;
using Serilog.Events;
using Serilog.Extensions.Logging;

namespace OpenList.DriverHost.DriverHost.Tests.Operations;

/// <summary>Issue 8 item 7: the request line, and no secret in any log line (console text or the JSON file).</summary>
public sealed class LoggingTests
{
    [Theory]
    [InlineData("/relay/alicloud/go/AbCdEf0123456789_-", "/relay/alicloud/go/***")]
    [InlineData("/relay/alicloud/go/AbCdEf0123456789_-/continue", "/relay/alicloud/go/***/continue")]
    [InlineData("/relay/alicloud/callback", "/relay/alicloud/callback")]
    [InlineData("/relay/alicloud/go/", "/relay/alicloud/go/")]
    [InlineData("/dav/relay/x/go/secret-looking", "/dav/relay/x/go/secret-looking")]
    [InlineData(null, "/")]
    public void The_relay_phone_link_id_is_masked_in_the_request_line(string? path, string logged) =>
        Assert.Equal(logged, RequestLoggingMiddleware.LoggedPath(path));

    [Fact]
    public async Task The_request_line_has_method_mount_status_bytes_duration_and_id_once_per_request()
    {
        using var logs = new CapturingLoggerProvider();
        await using var host = await HostFixture.StartAsync(loggerFactory: logs.CreateFactory());
        await File.WriteAllTextAsync(Path.Combine(host.Data, "a.txt"), "12345");
        using var client = host.Client();
        var response = await client.GetAsync("/dav/local/a.txt");
        var id = Assert.Single(response.Headers.GetValues("X-Request-Id"));

        // The line is written once the response has completed, which may be just after the client has read it.
        List<CapturedEntryView> lines = [];
        for (var wait = 0; wait < 100 && lines.Count == 0; wait++)
        {
            await Task.Delay(wait == 0 ? 0 : 50);
            lines = logs.Entries.Where(e => e.Text.Contains($"[{id}]", StringComparison.Ordinal)).Select(e => new CapturedEntryView(e.Text)).ToList();
        }

        await Task.Delay(200); // a second line, if there were one, would have arrived by now
        lines = logs.Entries.Where(e => e.Text.Contains($"[{id}]", StringComparison.Ordinal)).Select(e => new CapturedEntryView(e.Text)).ToList();
        Assert.True(lines.Count == 1, logs.AllText);
        var line = lines[0].Text;
        Assert.Contains($"[{id}] GET /dav/local/a.txt (/local) → 200, 5 bytes in ", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_secret_reaches_the_json_log_file_through_refreshes_errors_and_bad_logins()
    {
        await using var fake = await FakeCloud.StartAsync(new FakeCloudOptions { EnforceRateLimits = false });
        var logDirectory = Directory.CreateTempSubdirectory("dh-logs-").FullName;
        var logFile = Path.Combine(logDirectory, "driverhost.json");
        var account = fake.Aliyun.CreateAccount();
        account.AddFile("resource", "/a.txt", "a"u8.ToArray());
        string authorization;
        using (var serilog = ServeCommand.CreateSerilog(LogEventLevel.Verbose, logFile))
        {
            using var factory = new SerilogLoggerFactory(serilog);
            await using var host = await AliyunHost.StartAsync(fake, account: account, loggerFactory: factory);
            using var client = host.Host.Client();
            authorization = client.DefaultRequestHeaders.Authorization!.Parameter!;
            fake.Aliyun.ExpireAccessTokensNow();
            Assert.Equal(HttpStatusCode.MultiStatus, (await client.SendAsync("PROPFIND", "/dav/aliyun/", null, ("Depth", "1"))).StatusCode);
            await client.PutTextAsync("/dav/aliyun/b.txt", "uploaded");
            fake.Faults.FailNext("*", 2, 500);
            await client.SendAsync("PROPFIND", "/dav/aliyun/", null, ("Depth", "1"));
            Assert.Equal(HttpStatusCode.Unauthorized, (await host.Host.Client("alice", "wrong-password-value").GetAsync("/dav/")).StatusCode);
            fake.Aliyun.RevokeAllRefreshTokens();
            fake.Aliyun.ExpireAccessTokensNow();
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.SendAsync("PROPFIND", "/dav/aliyun/", null, ("Depth", "1"))).StatusCode);
        }

        var text = new StringBuilder();
        foreach (var file in Directory.EnumerateFiles(logDirectory))
        {
            foreach (var line in await File.ReadAllLinesAsync(file))
            {
                using var json = JsonDocument.Parse(line); // one JSON object per line
                text.AppendLine(line);
            }
        }

        var all = text.ToString();
        Assert.Contains("access token renewed", all, StringComparison.Ordinal);
        Assert.Contains("\"Mount\":\"/aliyun\"", all, StringComparison.Ordinal);
        Assert.NotEmpty(fake.Aliyun.AllIssuedTokens);
        foreach (var token in fake.Aliyun.AllIssuedTokens)
        {
            Assert.DoesNotContain(token, all, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(AliyunHost.ClientSecret, all, StringComparison.Ordinal);
        Assert.DoesNotContain(authorization, all, StringComparison.Ordinal);
        Assert.DoesNotContain(HostFixture.Password, all, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-password-value", all, StringComparison.Ordinal);
        Directory.Delete(logDirectory, recursive: true);
    }
}

/// <summary>The text of one captured log entry.</summary>
internal sealed record CapturedEntryView(string Text);
