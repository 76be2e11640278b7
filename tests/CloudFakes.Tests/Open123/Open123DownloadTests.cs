using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace OpenList.DriverHost.CloudFakes.Tests.Open123;

public sealed class Open123DownloadTests
{
    private const string PrivateKey = "s3cr3tKey";

    [Fact]
    public async Task DownloadLinksExpireAndRefuseTampering()
    {
        await using var s = await Open123Scenario.StartAsync(manualClock: true);
        var id = s.Account.AddFile("/x.bin", "abc"u8.ToArray());
        var url = (await s.GetAsync($"/api/v1/file/download_info?fileId={id}")).Data.GetProperty("downloadUrl").GetString()!;

        using (var tampered = await s.RawGetAsync(url.Replace($"/{id}/", $"/{id + 1}/", StringComparison.Ordinal)))
        {
            Assert.Equal(HttpStatusCode.Forbidden, tampered.StatusCode);
        }

        s.Clock!.Advance(s.Fake.DownloadLinkLifetime);
        using var expired = await s.RawGetAsync(url);
        Assert.Equal(HttpStatusCode.Forbidden, expired.StatusCode);
    }

    [Fact]
    public async Task ExpireLinksNowKillsHandedOutLinks()
    {
        await using var s = await Open123Scenario.StartAsync();
        var id = s.Account.AddFile("/x.bin", "abc"u8.ToArray());
        var url = (await s.GetAsync($"/api/v1/file/download_info?fileId={id}")).Data.GetProperty("downloadUrl").GetString()!;
        s.Fake.ExpireLinksNow();
        using var response = await s.RawGetAsync(url);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task DownloadInfoErrors()
    {
        await using var s = await Open123Scenario.StartAsync();
        var id = s.Account.AddFile("/x.bin", "abc"u8.ToArray());
        (await s.GetAsync("/api/v1/file/download_info?fileId=5")).AssertCode(5066);
        (await s.GetAsync($"/api/v1/file/download_info?fileId={s.Account.AddFolder("/dir")}")).AssertCode(1);
        s.Account.DownloadTrafficExceeded = true;
        (await s.GetAsync($"/api/v1/file/download_info?fileId={id}")).AssertCode(5113);
    }

    [Fact]
    public async Task UnsignedDirectLinkServesWhenNoKeyIsSet()
    {
        await using var s = await Open123Scenario.StartAsync();
        var id = s.Account.AddFile("/中文目录/文件 1.txt", "你好"u8.ToArray());
        var answer = await s.GetAsync($"/api/v1/direct-link/url?fileID={id}");
        answer.AssertOk();
        var url = answer.Data.GetProperty("url").GetString()!;
        using var response = await s.RawGetAsync(url, "bytes=0-2");
        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal("你"u8.ToArray(), await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task SignedDirectLinkIsAcceptedAndTamperedOrExpiredOnesAreRefused()
    {
        await using var s = await Open123Scenario.StartAsync(manualClock: true);
        s.Account.DirectLinkPrivateKey = PrivateKey;
        var id = s.Account.AddFile("/media/clip 1.mp4", "0123456789"u8.ToArray());
        var url = new Uri((await s.GetAsync($"/api/v1/direct-link/url?fileID={id}")).Data.GetProperty("url").GetString()!);

        using (var unsigned = await s.RawGetAsync(url.AbsoluteUri))
        {
            Assert.Equal(HttpStatusCode.Forbidden, unsigned.StatusCode);
        }

        var expires = s.Clock!.GetUtcNow().AddMinutes(30).ToUnixTimeSeconds();
        var signed = Sign(url, expires, "0a1b2c3d4e5f60718293a4b5c6d7e8f9", s.Account.Uid, PrivateKey);
        using (var ok = await s.RawGetAsync(signed, "bytes=2-4"))
        {
            Assert.Equal(HttpStatusCode.PartialContent, ok.StatusCode);
            Assert.Equal("234"u8.ToArray(), await ok.Content.ReadAsByteArrayAsync());
        }

        using (var wrongKey = await s.RawGetAsync(Sign(url, expires, "0a1b2c3d4e5f60718293a4b5c6d7e8f9", s.Account.Uid, "other")))
        {
            Assert.Equal(HttpStatusCode.Forbidden, wrongKey.StatusCode);
        }

        var later = expires + 60;
        var tamperedExpiry = signed.Replace($"auth_key={expires}-", $"auth_key={later}-", StringComparison.Ordinal);
        Assert.NotEqual(signed, tamperedExpiry);
        using (var tampered = await s.RawGetAsync(tamperedExpiry))
        {
            Assert.Equal(HttpStatusCode.Forbidden, tampered.StatusCode);
        }

        using (var otherFile = await s.RawGetAsync(signed.Replace("clip%201.mp4", "clip%202.mp4", StringComparison.Ordinal)))
        {
            Assert.Equal(HttpStatusCode.Forbidden, otherFile.StatusCode);
        }

        s.Clock.Advance(TimeSpan.FromMinutes(30));
        using var expired = await s.RawGetAsync(signed);
        Assert.Equal(HttpStatusCode.Forbidden, expired.StatusCode);
    }

    [Fact]
    public async Task DirectLinksArePathBased()
    {
        await using var s = await Open123Scenario.StartAsync();
        var id = s.Account.AddFile("/a.txt", "a"u8.ToArray());
        var url = (await s.GetAsync($"/api/v1/direct-link/url?fileID={id}")).Data.GetProperty("url").GetString()!;
        (await s.CallAsync(HttpMethod.Put, "/api/v1/file/name", new { fileId = id, fileName = "b.txt" })).AssertOk();
        using var stale = await s.RawGetAsync(url);
        Assert.Equal(HttpStatusCode.NotFound, stale.StatusCode);
    }

    /// <summary>The client side of spec §5, as the OpenList driver builds it.</summary>
    private static string Sign(Uri url, long expires, string rand, long uid, string key)
    {
        var path = Uri.UnescapeDataString(url.AbsolutePath);
        var hash = Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes($"{path}-{expires}-{rand}-{uid}-{key}")));
        return url.AbsoluteUri + "?auth_key=" + string.Create(CultureInfo.InvariantCulture, $"{expires}-{rand}-{uid}-{hash}");
    }
}
