using System.Net;
using OpenList.DriverHost.CloudFakes.Tests.TestSupport;

namespace OpenList.DriverHost.CloudFakes.Tests.Open115;

/// <summary>cloud-apis.md §1.5 and §5: downurl keyed by fid, links bound to the User-Agent, Range.</summary>
public sealed class Open115DownloadTests
{
    private const string Agent = "VLC/3.0.20 LibVLC/3.0.20";

    [Fact]
    public async Task Downurl_data_is_keyed_by_file_id_with_typed_fields()
    {
        await using var s = await Open115Scenario.StartAsync();
        var fileId = s.Account.AddFile("/v/movie.mkv", "0123456789"u8.ToArray());
        var answer = await s.PostAsync("/open/ufile/downurl", new Dictionary<string, string> { ["pick_code"] = s.Account.PickCode("/v/movie.mkv") }, userAgent: Agent);
        answer.AssertOk();
        var item = answer.Data.GetProperty(fileId);
        Assert.Equal("movie.mkv", item.GetProperty("file_name").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Number, item.GetProperty("file_size").ValueKind);
        Assert.Equal(10, item.GetProperty("file_size").GetInt64());
        Assert.Equal(s.Account.PickCode("/v/movie.mkv"), item.GetProperty("pick_code").GetString());
        Assert.Equal(await s.Account.Sha1Async("/v/movie.mkv"), item.GetProperty("sha1").GetString());
        Assert.StartsWith(s.Cloud.BaseUrl.ToString(), item.GetProperty("url").GetProperty("url").GetString());
    }

    [Fact]
    public async Task Link_works_for_the_minting_user_agent_only_and_serves_ranges()
    {
        await using var s = await Open115Scenario.StartAsync();
        s.Account.AddFile("/v/movie.mkv", "0123456789"u8.ToArray());
        var url = await s.DownUrlAsync("/v/movie.mkv", Agent);

        var whole = await s.DownloadAsync(url, Agent);
        Assert.Equal(HttpStatusCode.OK, whole.Status);
        Assert.Equal("0123456789", whole.Body);

        var partial = await s.DownloadAsync(url, Agent, "bytes=2-4");
        Assert.Equal(HttpStatusCode.PartialContent, partial.Status);
        Assert.Equal("234", partial.Body);
        Assert.Equal("bytes 2-4/10", partial.Message.Content.Headers.ContentRange!.ToString());
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, (await s.DownloadAsync(url, Agent, "bytes=10-")).Status);

        Assert.Equal(HttpStatusCode.Forbidden, (await s.DownloadAsync(url, "Mozilla/5.0 other")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await s.DownloadAsync(url, null)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await s.DownloadAsync(url.Replace("x-expires=", "x-expires=1", StringComparison.Ordinal), Agent)).Status);
        Assert.Equal(1, s.Cloud.Requests.Count("/open/ufile/downurl"));
        Assert.Equal(6, s.Cloud.Requests.Count("download"));
    }

    [Fact]
    public async Task Links_expire()
    {
        await using var s = await Open115Scenario.StartAsync(manualClock: true);
        s.Fake.DownloadLinkLifetime = TimeSpan.FromMinutes(10);
        s.Account.AddFile("/a.bin", [1, 2, 3]);
        var url = await s.DownUrlAsync("/a.bin", Agent);
        Assert.Equal(HttpStatusCode.OK, (await s.DownloadAsync(url, Agent)).Status);
        s.Clock!.Advance(s.Fake.DownloadLinkLifetime);
        Assert.Equal(HttpStatusCode.Forbidden, (await s.DownloadAsync(url, Agent)).Status);

        var fresh = await s.DownUrlAsync("/a.bin", Agent);
        s.Fake.ExpireLinksNow();
        Assert.Equal(HttpStatusCode.Forbidden, (await s.DownloadAsync(fresh, Agent)).Status);
    }

    [Fact]
    public async Task Unknown_pick_code_is_430004_and_a_folder_cannot_be_downloaded()
    {
        await using var s = await Open115Scenario.StartAsync();
        s.Account.AddFolder("/dir");
        (await s.PostAsync("/open/ufile/downurl", new Dictionary<string, string> { ["pick_code"] = "nosuchpickcode123" })).AssertError(430004);
        (await s.PostAsync("/open/ufile/downurl", new Dictionary<string, string> { ["pick_code"] = s.Account.PickCode("/dir") })).AssertError(990009);
        (await s.PostAsync("/open/ufile/downurl", new Dictionary<string, string>())).AssertError(990002);
    }

    [Fact]
    public async Task Synthetic_files_download_with_their_content()
    {
        await using var s = await Open115Scenario.StartAsync();
        s.Account.AddSyntheticFile("/big.bin", 3 << 20, seed: 7);
        var url = await s.DownUrlAsync("/big.bin", Agent);
        var tail = await s.DownloadAsync(url, Agent, "bytes=-100");
        var expected = new byte[100];
        SyntheticContent.Fill(7, (3 << 20) - 100, expected);
        Assert.Equal(expected, tail.Bytes);
    }
}
