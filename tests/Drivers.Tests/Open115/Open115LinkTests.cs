using System.Net;
using OpenList.DriverHost.Drivers.Capabilities;
using OpenList.DriverHost.Drivers.Errors;

namespace OpenList.DriverHost.Drivers.Tests.Open115;

/// <summary>
/// Download links are bound to the User-Agent they were requested with (cloud-apis.md §1.5, §5): the driver asks
/// with the client's User-Agent, says so in <see cref="StorageLink.Headers"/>, and the fake refuses the link for anyone else.
/// </summary>
public sealed class Open115LinkTests(Open115TestCloud cloud) : IClassFixture<Open115TestCloud>
{
    private const string Vlc = "VLC/3.0.20 LibVLC/3.0.20";
    private const string Mpv = "mpv 0.38.0";

    private static readonly byte[] Content = Enumerable.Range(0, 5000).Select(i => (byte)(i * 7)).ToArray();

    [Fact]
    public async Task Link_IsMintedForTheClientsUserAgent_AndRefusedForAnother()
    {
        var account = cloud.Fake.Open115.CreateAccount();
        account.AddFile("/movie.mkv", Content);
        await using var driver = await cloud.CreateDriverAsync(account);

        var forVlc = await driver.GetLinkAsync(StoragePath.Parse("/movie.mkv"), new LinkRequest(Vlc), CancellationToken.None);
        var forMpv = await driver.GetLinkAsync(StoragePath.Parse("/movie.mkv"), new LinkRequest(Mpv), CancellationToken.None);

        Assert.True(driver.LinksBoundToUserAgent);
        Assert.Equal(Vlc, forVlc.Headers["User-Agent"]);
        Assert.Equal(Mpv, forMpv.Headers["User-Agent"]);
        Assert.NotEqual(forVlc.Url, forMpv.Url);

        using var http = new HttpClient();
        Assert.Equal(Content, await FetchAsync(http, forVlc.Url, Vlc, HttpStatusCode.OK));
        Assert.Equal(Content, await FetchAsync(http, forMpv.Url, Mpv, HttpStatusCode.OK));
        await FetchAsync(http, forVlc.Url, Mpv, HttpStatusCode.Forbidden);
        await FetchAsync(http, forMpv.Url, Vlc, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Link_WithoutAClientUserAgent_IsMintedForABrowserUserAgent()
    {
        var account = cloud.Fake.Open115.CreateAccount();
        account.AddFile("/a.bin", Content);
        await using var driver = await cloud.CreateDriverAsync(account);

        var link = await driver.GetLinkAsync(StoragePath.Parse("/a.bin"), new LinkRequest(null), CancellationToken.None);

        var userAgent = link.Headers["User-Agent"];
        Assert.StartsWith("Mozilla/5.0", userAgent, StringComparison.Ordinal);
        using var http = new HttpClient();
        Assert.Equal(Content, await FetchAsync(http, link.Url, userAgent, HttpStatusCode.OK));
        Assert.Contains(cloud.Fake.Requests.Snapshot(), r => r.Operation == "/open/ufile/downurl" && r.UserAgent == userAgent);
    }

    [Fact]
    public async Task Link_OfAFolderOrAMissingFile_IsRefused()
    {
        var account = cloud.Fake.Open115.CreateAccount();
        account.AddFolder("/folder");
        await using var driver = await cloud.CreateDriverAsync(account);

        var folder = await Assert.ThrowsAsync<StorageException>(() => driver.GetLinkAsync(StoragePath.Parse("/folder"), new LinkRequest(Vlc), CancellationToken.None));
        var missing = await Assert.ThrowsAsync<StorageException>(() => driver.GetLinkAsync(StoragePath.Parse("/missing"), new LinkRequest(Vlc), CancellationToken.None));

        Assert.Equal(StorageErrorKind.IsDirectory, folder.Kind);
        Assert.Equal(StorageErrorKind.NotFound, missing.Kind);
    }

    [Fact]
    public async Task OpenRead_SendsTheUserAgentItsLinkWasMintedFor_AndResumesWithAFreshLinkWhenTheOldOneExpires()
    {
        var account = cloud.Fake.Open115.CreateAccount();
        account.AddFile("/a.bin", Content);
        await using var driver = await cloud.CreateDriverAsync(account);
        cloud.Fake.Requests.Clear();

        await using (var read = await driver.OpenReadAsync(StoragePath.Parse("/a.bin"), new ByteRange(100, 199), CancellationToken.None))
        {
            cloud.Fake.Open115.ExpireLinksNow(); // the link is fetched before the first read; a refusal asks for a fresh one
            using var copy = new MemoryStream();
            await read.Content.CopyToAsync(copy);
            Assert.Equal(Content[100..200], copy.ToArray());
            Assert.Equal(new ByteRange(100, 199), read.Range);
            Assert.Equal(Content.Length, read.TotalLength);
        }

        var downurls = cloud.Fake.Requests.Snapshot().Where(r => r.Operation == "/open/ufile/downurl").ToList();
        Assert.Equal(2, downurls.Count);
        Assert.All(downurls, r => Assert.StartsWith("Mozilla/5.0", r.UserAgent, StringComparison.Ordinal));
        Assert.Equal(2, cloud.Fake.Requests.Snapshot().Count(r => r.Operation == "download"));
    }

    [Fact]
    public async Task Read_DroppedMidBody_ResumesAtTheSameByte_WithTheSameLink()
    {
        // The CDN cuts the body after 2000 bytes: the read continues at byte 2000 with the link it has (115 links
        // carry no expiry and stay valid for their User-Agent), so the copy gets exactly the file.
        var account = cloud.Fake.Open115.CreateAccount();
        account.AddFile("/cut.bin", Content);
        await using var driver = await cloud.CreateDriverAsync(account);
        cloud.Fake.Requests.Clear();
        cloud.Fake.Faults.DropDownloadAfter(2000, 1);
        try
        {
            await using var read = await driver.OpenReadAsync(StoragePath.Parse("/cut.bin"), null, CancellationToken.None);
            using var copy = new MemoryStream();
            await read.Content.CopyToAsync(copy);

            Assert.Equal(Content, copy.ToArray());
            Assert.Equal(2, cloud.Fake.Requests.Count("download"));
            Assert.Equal(1, cloud.Fake.Requests.Count("/open/ufile/downurl"));
        }
        finally
        {
            cloud.Fake.Faults.Clear();
        }
    }

    private static async Task<byte[]> FetchAsync(HttpClient http, Uri url, string userAgent, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        using var response = await http.SendAsync(request);
        Assert.Equal(expected, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync();
    }
}
