using OpenList.DriverHost.Drivers.Capabilities;
using OpenList.DriverHost.Drivers.Http;
using static OpenList.DriverHost.Drivers.Tests.AliyundriveOpen.AliyundriveOpenTestExtensions;

namespace OpenList.DriverHost.Drivers.Tests.AliyundriveOpen;

/// <summary>Download links (cloud-apis.md §2.5 getDownloadUrl, §5): four-hour links, live photos, refused links.</summary>
public sealed class AliyundriveOpenDownloadTests : IAsyncLifetime
{
    private const string LinkPath = "/adrive/v1.0/openFile/getDownloadUrl";
    private AliyundriveOpenTestCloud _cloud = null!;

    public async Task InitializeAsync() => _cloud = await AliyundriveOpenTestCloud.StartAsync();

    public Task DisposeAsync() => _cloud.DisposeAsync();

    [Fact]
    public async Task Link_IsRequestedForFourHours_AndExpiresThen()
    {
        // §2.5: {drive_id, file_id, expire_sec:14400}. The fake's default would be 900 s, so the expiry proves it too.
        var account = _cloud.Fake.Aliyun.CreateAccount();
        var fileId = account.AddFile("resource", "/a.bin", Bytes(100));
        await using var d = await _cloud.CreateDriverAsync(account);

        var before = TimeProvider.System.GetUtcNow();
        var link = await d.Driver.GetLinkAsync(StoragePath.Parse("/a.bin"), new LinkRequest(null), CancellationToken.None);

        var body = Assert.Single(d.Http.To(LinkPath)).Json;
        Assert.Equal(14400, body.GetProperty("expire_sec").GetInt32());
        Assert.Equal(fileId, body.GetProperty("file_id").GetString());
        Assert.Equal(account.DriveId("resource"), body.GetProperty("drive_id").GetString());
        Assert.NotNull(link.ExpiresAt);
        Assert.InRange(link.ExpiresAt!.Value - before, TimeSpan.FromHours(4) - TimeSpan.FromMinutes(1), TimeSpan.FromHours(4) + TimeSpan.FromMinutes(1));
        Assert.Empty(link.Headers);
        Assert.False(d.Driver.LinksBoundToUserAgent);

        using var http = new HttpClient();
        Assert.Equal(Bytes(100), await http.GetByteArrayAsync(link.Url));
    }

    [Theory]
    [InlineData(null, "jpeg")] // §2.4: livp_download_format defaults to jpeg
    [InlineData("jpeg", "jpeg")]
    [InlineData("mov", "mov")]
    public async Task LivePhoto_UsesTheStreamChosenByLivpDownloadFormat(string? format, string expected)
    {
        // §2.5: for .livp the url is empty and streamsUrl.jpeg / streamsUrl.mov hold the streams.
        var account = _cloud.Fake.Aliyun.CreateAccount();
        account.AddFile("resource", "/photo.livp", Bytes(2000, seed: 3));
        var addition = format is null ? null : new Dictionary<string, object?> { ["livp_download_format"] = format };
        await using var d = await _cloud.CreateDriverAsync(account, addition);

        var link = await d.Driver.GetLinkAsync(StoragePath.Parse("/photo.livp"), new LinkRequest("client"), CancellationToken.None);

        Assert.EndsWith("/photo." + expected, link.Url.AbsolutePath, StringComparison.Ordinal);
        Assert.Contains("variant=" + expected, link.Url.Query, StringComparison.Ordinal);
        Assert.Equal(Bytes(2000, seed: 3), await d.Driver.ReadAllAsync("/photo.livp"));
    }

    [Fact]
    public async Task Read_WhenTheLinkIsRefused_FetchesAFreshLinkOnce()
    {
        // A link can expire between getDownloadUrl and the GET (403 from OSS): one fresh link, then the bytes.
        var account = _cloud.Fake.Aliyun.CreateAccount();
        account.AddFile("resource", "/a.bin", Bytes(5000, seed: 4));
        await using var d = await _cloud.CreateDriverAsync(account);
        _cloud.Fake.Faults.FailNext("download", 1, 403, "AccessDenied");

        Assert.Equal(Bytes(5000, seed: 4), await d.Driver.ReadAllAsync("/a.bin"));
        Assert.Equal(2, d.Http.To(LinkPath).Count);
        Assert.Equal(2, _cloud.Fake.Requests.Count("download"));
    }

    [Fact]
    public async Task Read_WhenEveryLinkIsRefused_GivesUpAfterTheResumeBound()
    {
        // The first refusal fetches a fresh link; fresh links refused again count as attempts without progress,
        // and the read stops after ResumeOptions.MaxAttemptsWithoutProgress of them instead of trying forever.
        var account = _cloud.Fake.Aliyun.CreateAccount();
        account.AddFile("resource", "/a.bin", Bytes(50));
        await using var d = await _cloud.CreateDriverAsync(account);
        _cloud.Fake.Faults.FailNext("download", 100, 403, "AccessDenied");

        await Assert.ThrowsAsync<IOException>(() => d.Driver.ReadAllAsync("/a.bin"));
        var attempts = new ResumeOptions().MaxAttemptsWithoutProgress;
        Assert.Equal(1 + attempts, _cloud.Fake.Requests.Count("download"));
    }

    [Fact]
    public async Task Read_DroppedMidBody_ResumesAtTheSameByte_WithTheSameLink()
    {
        // A stream copy between mounts reads through OpenReadAsync: a connection the CDN cuts after 100 000 bytes
        // continues at byte 100 000, and the still-valid link is reused (getDownloadUrl is rate-limited).
        var account = _cloud.Fake.Aliyun.CreateAccount();
        var content = Bytes(300_000, seed: 5);
        account.AddFile("resource", "/big.bin", content);
        await using var d = await _cloud.CreateDriverAsync(account);
        _cloud.Fake.Faults.DropDownloadAfter(100_000, 1);

        Assert.Equal(content, await d.Driver.ReadAllAsync("/big.bin"));
        Assert.Equal(2, _cloud.Fake.Requests.Count("download"));
        Assert.Single(d.Http.To(LinkPath));
    }

    [Fact]
    public async Task Read_OfARangeDroppedMidBody_YieldsExactlyThatRange()
    {
        var account = _cloud.Fake.Aliyun.CreateAccount();
        var content = Bytes(300_000, seed: 6);
        account.AddFile("resource", "/big.bin", content);
        await using var d = await _cloud.CreateDriverAsync(account);
        _cloud.Fake.Faults.DropDownloadAfter(50_000, 1);

        await using var read = await d.Driver.OpenReadAsync(StoragePath.Parse("/big.bin"), new ByteRange(1000, 199_999), CancellationToken.None);
        using var copy = new MemoryStream();
        await read.Content.CopyToAsync(copy);

        Assert.Equal(new ByteRange(1000, 199_999), read.Range);
        Assert.Equal(content[1000..200_000], copy.ToArray());
        Assert.Equal(2, _cloud.Fake.Requests.Count("download"));
    }
}
