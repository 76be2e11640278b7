using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using OpenList.DriverHost.Drivers.Capabilities;
using OpenList.DriverHost.Drivers.Errors;
using OpenList.DriverHost.Drivers.Open123;
using OpenList.DriverHost.Drivers.Tests.TestSupport;
using static OpenList.DriverHost.Drivers.Tests.Open123.Open123TestExtensions;

namespace OpenList.DriverHost.Drivers.Tests.Open123;

/// <summary>
/// Links and reads (cloud-apis.md §3.5, §5): <c>download_info</c>, or the direct-link API with <c>DirectLink</c>, signed
/// with <c>auth_key</c> when <c>DirectLinkPrivateKey</c> is set; <see cref="StorageLink.ExpiresAt"/> as OpenList caches
/// them; reads that survive a dropped connection and an expired link.
/// </summary>
public sealed partial class Open123DownloadTests : IAsyncLifetime
{
    private const string DownloadInfoPath = "/api/v1/file/download_info";
    private const string DirectLinkPath = "/api/v1/direct-link/url";
    private static readonly LinkRequest Client = new("VLC/3.0.20 LibVLC/3.0.20");
    private Open123TestCloud _cloud = null!;
    private readonly HttpClient _browser = new();

    public async Task InitializeAsync() => _cloud = await Open123TestCloud.StartAsync();

    public async Task DisposeAsync()
    {
        _browser.Dispose();
        await _cloud.DisposeAsync();
    }

    [Fact]
    public async Task DownloadInfo_GivesALinkAnyClientCanFetch_WithAnUnknownExpiry()
    {
        // §5: 123 Open Link.URL = downloadUrl from download_info, no headers, Expiration nil (unknown: the host keeps
        // it briefly). The fake's links carry no auth_key to read an expiry from.
        var account = _cloud.Open123.CreateAccount();
        var content = Bytes(5000, seed: 3);
        var fileId = account.AddFile("/v/clip.mp4", content);
        await using var d = await _cloud.CreateDriverAsync(account);

        var link = await d.Driver.GetLinkAsync(StoragePath.Parse("/v/clip.mp4"), Client, CancellationToken.None);

        Assert.Null(link.ExpiresAt);
        Assert.Empty(link.Headers);
        Assert.Equal(content, await _browser.GetByteArrayAsync(link.Url));
        Assert.Equal(fileId.ToString(CultureInfo.InvariantCulture), Assert.Single(d.Http.To(DownloadInfoPath)).QueryValue("fileId"));
        Assert.Empty(d.Http.To(DirectLinkPath));
    }

    [Fact]
    public async Task Read_SurvivesADroppedConnectionAndAnExpiredLink_ResumingAtTheSameByte()
    {
        var account = _cloud.Open123.CreateAccount();
        var content = Bytes(300_000, seed: 4);
        account.AddFile("/big.bin", content);
        await using var d = await _cloud.CreateDriverAsync(account);
        _cloud.Fake.Faults.DropDownloadAfter(100_000, 1);

        await using var read = await d.Driver.OpenReadAsync(StoragePath.Parse("/big.bin"), null, CancellationToken.None);
        // The link dies before the first byte is asked for, and the connection made with its replacement is cut at
        // 100 000 bytes: both are deterministic, whatever sizes the reads come back in.
        _cloud.Open123.ExpireLinksNow();
        var buffer = new byte[content.Length];
        var filled = 0;
        int n;
        while ((n = await read.Content.ReadAsync(buffer.AsMemory(filled))) > 0)
        {
            filled += n;
        }

        Assert.Equal(content.Length, filled);
        Assert.Equal(content, buffer);
        Assert.Null(read.Range);
        Assert.Equal(2, d.Http.To(DownloadInfoPath).Count);
    }

    [Fact]
    public async Task Read_OfARange_AsksUpstreamForThatRangeOnly()
    {
        var account = _cloud.Open123.CreateAccount();
        var content = Bytes(10_000, seed: 6);
        account.AddFile("/r.bin", content);
        await using var d = await _cloud.CreateDriverAsync(account);

        var bytes = await d.Driver.ReadAllAsync("/r.bin", new ByteRange(1000, 1999));

        Assert.Equal(content.AsSpan(1000, 1000).ToArray(), bytes);
        var get = Assert.Single(d.Http.Requests, r => r.Path.StartsWith("/123-download/", StringComparison.Ordinal));
        Assert.Equal(206, get.Status);
    }

    [Fact]
    public async Task DirectLink_WithoutAKey_IsTheDirectUrl_KeptForAYear()
    {
        // §5: direct-link url; Expiration 365 days if unsigned.
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var account = _cloud.Open123.CreateAccount();
        var content = Bytes(777, seed: 7);
        var fileId = account.AddFile("/a b/x.txt", content);
        await using var d = await _cloud.CreateDriverAsync(account, addition: new Dictionary<string, object?> { ["DirectLink"] = true }, time: clock);

        var link = await d.Driver.GetLinkAsync(StoragePath.Parse("/a b/x.txt"), Client, CancellationToken.None);

        Assert.Equal(clock.GetUtcNow().AddDays(365), link.ExpiresAt);
        Assert.DoesNotContain("auth_key", link.Url.Query, StringComparison.Ordinal);
        Assert.Equal(content, await _browser.GetByteArrayAsync(link.Url));
        Assert.Equal(content, await d.Driver.ReadAllAsync("/a b/x.txt"));
        Assert.Empty(d.Http.To(DownloadInfoPath));
        Assert.Equal(fileId.ToString(CultureInfo.InvariantCulture), d.Http.To(DirectLinkPath)[0].QueryValue("fileID"));
    }

    [Fact]
    public async Task DirectLink_Signed_IsAcceptedByTheCdn_AndExpiresAfterTheValidDuration()
    {
        // §5: auth_key=<exp_ts>-<rand>-<uid>-<md5hex("<urlpath>-<exp_ts>-<rand>-<uid>-<privateKey>")>, rand = uuid
        // without dashes, exp_ts = now + DirectLinkValidDuration; Expiration = DirectLinkValidDuration minutes.
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var account = _cloud.Open123.CreateAccount();
        account.DirectLinkPrivateKey = "direct-link-key";
        var content = Bytes(4096, seed: 8);
        account.AddFile("/视频/电影 1.mp4", content);
        await using var d = await _cloud.CreateDriverAsync(
            account,
            addition: new Dictionary<string, object?> { ["DirectLink"] = true, ["DirectLinkPrivateKey"] = "direct-link-key", ["DirectLinkValidDuration"] = 45 },
            time: clock);

        var link = await d.Driver.GetLinkAsync(StoragePath.Parse("/视频/电影 1.mp4"), Client, CancellationToken.None);

        var expires = DateTimeOffset.FromUnixTimeSeconds(clock.GetUtcNow().AddMinutes(45).ToUnixTimeSeconds());
        Assert.Equal(expires, link.ExpiresAt);
        var authKey = Uri.UnescapeDataString(AuthKey().Match(link.Url.Query).Groups[1].Value);
        Assert.Matches($"^{expires.ToUnixTimeSeconds()}-[0-9a-f]{{32}}-{account.Uid}-[0-9a-f]{{32}}$", authKey);
        Assert.Equal(content, await _browser.GetByteArrayAsync(link.Url));
        Assert.Equal(content, await d.Driver.ReadAllAsync("/视频/电影 1.mp4"));
        Assert.Equal(expires, Open123DirectLinkSigner.ExpiryOf(link.Url));
    }

    [Theory]
    [InlineData("hash")]
    [InlineData("expiry")]
    [InlineData("missing")]
    public async Task DirectLink_TamperedWith_IsRefusedByTheCdn(string tamper)
    {
        var account = _cloud.Open123.CreateAccount();
        account.DirectLinkPrivateKey = "direct-link-key";
        account.AddFile("/t.bin", Bytes(100));
        await using var d = await _cloud.CreateDriverAsync(account, addition: new Dictionary<string, object?> { ["DirectLink"] = true, ["DirectLinkPrivateKey"] = "direct-link-key" });
        var link = await d.Driver.GetLinkAsync(StoragePath.Parse("/t.bin"), Client, CancellationToken.None);
        var authKey = Uri.UnescapeDataString(AuthKey().Match(link.Url.Query).Groups[1].Value);
        var parts = authKey.Split('-');
        var forged = tamper switch
        {
            "hash" => $"{parts[0]}-{parts[1]}-{parts[2]}-{(parts[3][0] == '0' ? '1' : '0')}{parts[3][1..]}",
            "expiry" => $"{long.Parse(parts[0], CultureInfo.InvariantCulture) + 3600}-{parts[1]}-{parts[2]}-{parts[3]}",
            _ => null,
        };
        var url = link.Url.GetLeftPart(UriPartial.Path) + (forged is null ? "" : "?auth_key=" + Uri.EscapeDataString(forged));

        using var response = await _browser.GetAsync(url);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        using var genuine = await _browser.GetAsync(link.Url);
        Assert.Equal(HttpStatusCode.OK, genuine.StatusCode);
    }

    [Fact]
    public async Task DirectLink_SignedWithTheWrongKey_OrPastItsExpiry_IsRefused()
    {
        var account = _cloud.Open123.CreateAccount();
        account.DirectLinkPrivateKey = "right-key";
        account.AddFile("/k.bin", Bytes(100));
        await using var wrong = await _cloud.CreateDriverAsync(account, addition: new Dictionary<string, object?> { ["DirectLink"] = true, ["DirectLinkPrivateKey"] = "wrong-key" });
        var past = new ManualClock(DateTimeOffset.UtcNow.AddHours(-2));
        await using var late = await _cloud.CreateDriverAsync(account, addition: new Dictionary<string, object?> { ["DirectLink"] = true, ["DirectLinkPrivateKey"] = "right-key" }, time: past);

        using var wrongKey = await _browser.GetAsync((await wrong.Driver.GetLinkAsync(StoragePath.Parse("/k.bin"), Client, CancellationToken.None)).Url);
        using var expired = await _browser.GetAsync((await late.Driver.GetLinkAsync(StoragePath.Parse("/k.bin"), Client, CancellationToken.None)).Url);

        Assert.Equal(HttpStatusCode.Forbidden, wrongKey.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, expired.StatusCode);
    }

    [Fact]
    public void Signer_FollowsTheDocumentedFormula()
    {
        // 123's own example: path /10/layout1/layout2/我.txt, uid 10, key "mykey".
        var url = new Uri("http://vip.123pan.com/10/layout1/layout2/%E6%88%91.txt?x=1");
        var signed = Open123DirectLinkSigner.Sign(url, "mykey", 10, DateTimeOffset.FromUnixTimeSeconds(1700000000), "0123456789abcdef0123456789abcdef");
#pragma warning disable CA5351 // the provider's signature
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(
            System.Text.Encoding.UTF8.GetBytes("/10/layout1/layout2/我.txt-1700000000-0123456789abcdef0123456789abcdef-10-mykey")));
#pragma warning restore CA5351
        Assert.Equal("?x=1&auth_key=1700000000-0123456789abcdef0123456789abcdef-10-" + expected, signed.Query);
        Assert.Equal(url.AbsolutePath, signed.AbsolutePath);
    }

    [Theory]
    [InlineData("https://cdn.example/a?auth_key=1700000000-abc-1-def", 1700000000L)]
    [InlineData("https://cdn.example/a?x=1&auth_key=1700000001-abc-1-def&y=2", 1700000001L)]
    [InlineData("https://cdn.example/a?x-expires=1700000000&sig=abc", null)]
    [InlineData("https://cdn.example/a?auth_key=soon-abc-1-def", null)]
    [InlineData("https://cdn.example/a", null)]
    public void ExpiryOf_ReadsTheAuthKeysTimestamp(string url, long? seconds) =>
        Assert.Equal(seconds is { } s ? DateTimeOffset.FromUnixTimeSeconds(s) : null, Open123DirectLinkSigner.ExpiryOf(new Uri(url)));

    [Fact]
    public async Task DailyTrafficUsedUp_IsUnavailableWithTheReason()
    {
        // §3.2: 5113 "daily self-use download traffic exceeded".
        var account = _cloud.Open123.CreateAccount();
        account.AddFile("/f.bin", Bytes(10));
        account.DownloadTrafficExceeded = true;
        await using var d = await _cloud.CreateDriverAsync(account);

        var error = await AssertKindAsync(StorageErrorKind.Unavailable, () => d.Driver.GetLinkAsync(StoragePath.Parse("/f.bin"), Client, CancellationToken.None));

        Assert.Contains("daily download traffic", error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.RetryAfter);
    }

    [Fact]
    public async Task AFileGoneBetweenLookupAndLink_IsNotFound()
    {
        // §3.2: 5066 "file does not exist (download_info)".
        var account = _cloud.Open123.CreateAccount();
        account.AddFile("/f.bin", Bytes(10));
        await using var d = await _cloud.CreateDriverAsync(account, intercept: request =>
        {
            if (request.RequestUri!.AbsolutePath == DownloadInfoPath)
            {
                account.TrashFile("/f.bin");
            }

            return null;
        });

        await AssertKindAsync(StorageErrorKind.NotFound, () => d.Driver.GetLinkAsync(StoragePath.Parse("/f.bin"), Client, CancellationToken.None));
    }

    [Fact]
    public async Task Link_OfADirectory_IsDirectory_AndOfAnEmptyFile_NeedsNoLink()
    {
        var account = _cloud.Open123.CreateAccount();
        account.AddFolder("/dir");
        account.AddFile("/empty.txt", []);
        await using var d = await _cloud.CreateDriverAsync(account);

        await AssertKindAsync(StorageErrorKind.IsDirectory, () => d.Driver.GetLinkAsync(StoragePath.Parse("/dir"), Client, CancellationToken.None));
        Assert.Empty(await d.Driver.ReadAllAsync("/empty.txt"));
        Assert.Empty(d.Http.To(DownloadInfoPath));
    }

    [GeneratedRegex("auth_key=([^&]+)")]
    private static partial Regex AuthKey();
}
