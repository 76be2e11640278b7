using System.Net;
using System.Security.Cryptography;
using OpenList.DriverHost.CloudFakes;

namespace OpenList.DriverHost.DriverHost.Tests.Cloud;

/// <summary>Issue 3: downloads through the policies against the fake's signed, expiring, Range-capable links.</summary>
public sealed class AliyunDownloadTests : IAsyncLifetime
{
    private const long Gigabyte = 1L << 30;
    private FakeCloud _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeCloud.StartAsync(new FakeCloudOptions { EnforceRateLimits = false });

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public async Task A_1GB_native_proxy_download_survives_an_expired_link_and_two_dropped_connections_as_one_identical_response()
    {
        var account = _fake.Aliyun.CreateAccount();
        account.AddSyntheticFile("resource", "/big.bin", Gigabyte, seed: 42);
        await using var host = await AliyunHost.StartAsync(_fake, policy: "native_proxy", account: account);
        using var client = host.Host.Client();
        client.Timeout = TimeSpan.FromMinutes(5);

        // Every upstream response dies after 300 MB, three times; the link expires while the second part streams.
        _fake.Faults.DropDownloadAfter(300_000_000, 3);
        using var response = await client.GetAsync("/dav/aliyun/big.bin", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Gigabyte, response.Content.Headers.ContentLength);

        await using var body = await response.Content.ReadAsStreamAsync();
        using var actual = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        long total = 0;
        var expired = false;
        int n;
        while ((n = await body.ReadAsync(buffer)) > 0)
        {
            actual.AppendData(buffer, 0, n);
            total += n;
            if (!expired && total > 400_000_000)
            {
                _fake.Aliyun.ExpireLinksNow();
                expired = true;
            }
        }

        Assert.Equal(Gigabyte, total);
        Assert.Equal(ExpectedSha256(Gigabyte, 42), Convert.ToHexString(actual.GetHashAndReset()));
        Assert.True(_fake.Requests.Count("download") >= 4, "the download was not resumed upstream");
        Assert.Contains(_fake.Requests.Snapshot(), r => r.Operation == "download" && r.Status == 403);
    }

    [Fact]
    public async Task A_302_carries_a_private_max_age_below_the_links_lifetime_and_the_target_serves_ranges()
    {
        var account = _fake.Aliyun.CreateAccount();
        account.AddFile("resource", "/movie.mkv", Enumerable.Range(0, 5000).Select(i => (byte)i).ToArray());
        await using var host = await AliyunHost.StartAsync(_fake, account: account);
        using var client = host.Host.Client();

        var response = await client.GetAsync("/dav/aliyun/movie.mkv");
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.True(response.Headers.CacheControl!.Private);
        Assert.InRange(response.Headers.CacheControl.MaxAge!.Value, TimeSpan.FromMinutes(1), TimeSpan.FromHours(4));
        // ffmpeg reads the number at a fixed offset from the start of the value: anything before max-age breaks seeking.
        Assert.StartsWith("max-age=", response.Headers.NonValidated["Cache-Control"].ToString(), StringComparison.Ordinal);

        using var cdn = new HttpClient();
        using var ranged = new HttpRequestMessage(HttpMethod.Get, response.Headers.Location);
        ranged.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(4990, null);
        var part = await cdn.SendAsync(ranged);
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal(Enumerable.Range(4990, 10).Select(i => (byte)i).ToArray(), await part.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Clients_that_do_not_follow_redirects_are_proxied_even_under_302_redirect()
    {
        var account = _fake.Aliyun.CreateAccount();
        account.AddFile("resource", "/doc.txt", "proxied bytes"u8.ToArray());
        await using var host = await AliyunHost.StartAsync(_fake, account: account);
        using var client = host.Host.Client();
        client.DefaultRequestHeaders.UserAgent.ParseAdd("Microsoft-WebDAV-MiniRedir/10.0.19045");

        var response = await client.GetAsync("/dav/aliyun/doc.txt");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("proxied bytes", await response.Content.ReadAsStringAsync());
    }

    private static string ExpectedSha256(long size, long seed)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        for (long offset = 0; offset < size; offset += buffer.Length)
        {
            var span = buffer.AsSpan(0, (int)Math.Min(buffer.Length, size - offset));
            SyntheticContent.Fill(seed, offset, span);
            hash.AppendData(span);
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }
}
