using System.Net;

namespace OpenList.DriverHost.CloudFakes.Tests.DiskTop;

/// <summary>disktop-open-platform.md 文件下载 / 视频在线播放: signed links valid 600 s, Range, expiry; HLS playlists.</summary>
public sealed class DownloadTests
{
    [Fact]
    public async Task Download_answers_a_signed_url_with_the_documented_fields()
    {
        await using var s = await DiskTopScenario.StartAsync();
        var bytes = "0123456789"u8.ToArray();
        var id = s.Account.AddFile(s.Sandbox + "/demo file #1.mp4", bytes);
        var data = DiskTopAssert.Ok(await s.ApiGetAsync($"/v1/files/{id}/download"));
        Assert.Equal(600, data.GetProperty("expires_in").GetInt32());
        Assert.Equal("demo file #1.mp4", data.GetProperty("name").GetString());
        Assert.Equal(10, data.GetProperty("size").GetInt64());
        Assert.Equal(DiskTopScenario.Md5(bytes), data.GetProperty("md5").GetString());

        var url = data.GetProperty("url").GetString()!;
        var whole = await s.GetAsync(url); // no Authorization header
        Assert.Equal(HttpStatusCode.OK, whole.Status);
        Assert.Equal("0123456789", whole.Body);
        Assert.Equal("video/mp4", whole.MediaType);
    }

    [Fact]
    public async Task Links_serve_ranges_and_416()
    {
        await using var s = await DiskTopScenario.StartAsync();
        var id = s.Account.AddSyntheticFile(s.Sandbox + "/big.bin", 100_000, seed: 7);
        var url = DiskTopAssert.Ok(await s.ApiGetAsync($"/v1/files/{id}/download")).GetProperty("url").GetString()!;

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(1000, 1999);
        using var response = await s.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal("bytes 1000-1999/100000", response.Content.Headers.ContentRange!.ToString());
        var expected = new byte[1000];
        SyntheticContent.Fill(7, 1000, expected);
        Assert.Equal(expected, await response.Content.ReadAsByteArrayAsync());

        var unsatisfiable = await s.GetAsync(url, range: "bytes=100000-");
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, unsatisfiable.Status);
    }

    [Fact]
    public async Task Links_expire_after_600_seconds_and_on_demand()
    {
        await using var s = await DiskTopScenario.StartAsync(manualClock: true);
        var id = s.Account.AddFile(s.Sandbox + "/a.txt", "abc"u8.ToArray());
        var url = DiskTopAssert.Ok(await s.ApiGetAsync($"/v1/files/{id}/download")).GetProperty("url").GetString()!;
        s.Clock!.Advance(TimeSpan.FromSeconds(599));
        Assert.Equal(HttpStatusCode.OK, (await s.GetAsync(url)).Status);
        s.Clock.Advance(TimeSpan.FromSeconds(1));
        DiskTopAssert.Error(await s.GetAsync(url), HttpStatusCode.Forbidden);

        var fresh = DiskTopAssert.Ok(await s.ApiGetAsync($"/v1/files/{id}/download")).GetProperty("url").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await s.GetAsync(fresh)).Status);
        s.Fake.ExpireLinksNow();
        DiskTopAssert.Error(await s.GetAsync(fresh), HttpStatusCode.Forbidden);
        DiskTopAssert.Error(await s.GetAsync(fresh.Replace("x-signature=", "x-signature=A", StringComparison.Ordinal)), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Download_of_unknown_or_deleted_files()
    {
        await using var s = await DiskTopScenario.StartAsync();
        var id = s.Account.AddFile(s.Sandbox + "/a.txt", "abc"u8.ToArray());
        var url = DiskTopAssert.Ok(await s.ApiGetAsync($"/v1/files/{id}/download")).GetProperty("url").GetString()!;
        DiskTopAssert.Ok(await s.PostFormAsync("/v1/files/manage", ("action", "delete"), ("file_ids[]", id.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        DiskTopAssert.Error(await s.GetAsync(url), HttpStatusCode.NotFound);
        DiskTopAssert.Error(await s.ApiGetAsync($"/v1/files/{id}/download"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Stream_gives_an_hls_master_playlist_for_videos_only()
    {
        await using var s = await DiskTopScenario.StartAsync();
        var video = s.Account.AddFile(s.Sandbox + "/clip.mp4", new byte[250_000]);
        var text = s.Account.AddFile(s.Sandbox + "/notes.txt", [1]);
        var data = DiskTopAssert.Ok(await s.ApiGetAsync($"/v1/files/{video}/stream"));
        Assert.Equal(2, data.GetProperty("duration").GetInt64());
        Assert.Equal(600, data.GetProperty("expires_in").GetInt32());
        Assert.Equal("1080p", Assert.Single(data.GetProperty("qualities").EnumerateArray()).GetProperty("name").GetString());

        var master = await s.GetAsync(data.GetProperty("stream_url").GetString()!);
        Assert.Equal(HttpStatusCode.OK, master.Status);
        Assert.StartsWith("#EXTM3U", master.Body, StringComparison.Ordinal);
        var media = await s.GetAsync(master.Body.Split('\n').First(l => l.StartsWith("http", StringComparison.Ordinal)));
        var segment = media.Body.Split('\n').First(l => l.StartsWith("http", StringComparison.Ordinal));
        using var bytes = await s.Http.GetAsync(segment);
        Assert.Equal(250_000, (await bytes.Content.ReadAsByteArrayAsync()).Length);

        DiskTopAssert.Error(await s.ApiGetAsync($"/v1/files/{text}/stream"), HttpStatusCode.BadRequest);
    }
}
