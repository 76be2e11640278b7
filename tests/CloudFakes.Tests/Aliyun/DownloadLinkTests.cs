using System.Net;
using System.Text;
using OpenList.DriverHost.CloudFakes.Tests.TestSupport;

namespace OpenList.DriverHost.CloudFakes.Tests.Aliyun;

/// <summary>getDownloadUrl and the fake's signed links (RFC 9110 §14 ranges; 403 for bad or expired links).</summary>
public sealed class DownloadLinkTests
{
    private static readonly byte[] Content = Encoding.ASCII.GetBytes("0123456789");

    [Fact]
    public async Task GetDownloadUrl_answers_url_expiration_method_and_size()
    {
        await using var s = await Scenario.StartAsync(manualClock: true);
        var id = s.Account.AddFile("resource", "/f.txt", Content);
        var answer = await s.ApiAsync("openFile/getDownloadUrl", new { drive_id = s.Drive, file_id = id, expire_sec = 14400 });
        answer.AssertOk();
        Assert.StartsWith(s.Cloud.BaseUrl.ToString(), answer.Str("url"), StringComparison.Ordinal);
        Assert.Equal("GET", answer.Str("method"));
        Assert.Equal(10, answer.Json.GetProperty("size").GetInt64());
        Assert.Equal("2025-03-01T12:00:00.000Z", answer.Str("expiration"));
    }

    [Fact]
    public async Task Whole_file_is_200_with_accept_ranges_and_content_length()
    {
        await using var s = await Scenario.StartAsync();
        var url = await s.DownloadUrlAsync(s.Account.AddFile("resource", "/f.txt", Content));
        using var response = await s.Http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("bytes", Assert.Single(response.Headers.AcceptRanges));
        Assert.Equal(10, response.Content.Headers.ContentLength);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Content, await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("bytes=2-5", "2345", "bytes 2-5/10")]
    [InlineData("bytes=7-", "789", "bytes 7-9/10")]
    [InlineData("bytes=-3", "789", "bytes 7-9/10")]
    [InlineData("bytes=8-100", "89", "bytes 8-9/10")] // RFC 9110 §14.1.2: a last-pos past the end means "to the end"
    public async Task Satisfiable_range_is_206_with_content_range(string range, string body, string contentRange)
    {
        await using var s = await Scenario.StartAsync();
        var url = await s.DownloadUrlAsync(s.Account.AddFile("resource", "/f.txt", Content));
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Range", range);
        using var response = await s.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(contentRange, response.Content.Headers.ContentRange?.ToString());
        Assert.Equal(body.Length, response.Content.Headers.ContentLength);
        Assert.Equal(body, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Range_past_the_end_is_416_with_star_length()
    {
        await using var s = await Scenario.StartAsync();
        var url = await s.DownloadUrlAsync(s.Account.AddFile("resource", "/f.txt", Content));
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Range", "bytes=10-");
        using var response = await s.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, response.StatusCode);
        Assert.Equal("bytes */10", response.Content.Headers.ContentRange?.ToString());
    }

    [Fact]
    public async Task Tampered_expired_or_invalidated_links_are_403()
    {
        await using var s = await Scenario.StartAsync(manualClock: true);
        var id = s.Account.AddFile("resource", "/f.txt", Content);
        var url = await s.DownloadUrlAsync(id, expireSeconds: 60);
        Assert.Equal(HttpStatusCode.OK, (await s.GetAsync(url)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await s.GetAsync(url.Replace("x-expires=", "x-expires=9", StringComparison.Ordinal))).Status);

        s.Clock!.Advance(TimeSpan.FromSeconds(60));
        (await s.GetAsync(url)).AssertError(HttpStatusCode.Forbidden, "AccessDenied");

        var fresh = await s.DownloadUrlAsync(id);
        Assert.Equal(HttpStatusCode.OK, (await s.GetAsync(fresh)).Status);
        s.Aliyun.ExpireLinksNow();
        Assert.Equal(HttpStatusCode.Forbidden, (await s.GetAsync(fresh)).Status);
    }

    [Fact]
    public async Task Livp_answers_an_empty_url_and_streams_urls()
    {
        await using var s = await Scenario.StartAsync();
        var id = s.Account.AddFile("resource", "/photo.livp", Content);
        var answer = await s.ApiAsync("openFile/getDownloadUrl", new { drive_id = s.Drive, file_id = id, expire_sec = 14400 });
        answer.AssertOk();
        Assert.Equal("", answer.Str("url"));
        var streams = answer.Json.GetProperty("streamsUrl");
        var jpeg = await s.GetAsync(streams.GetProperty("jpeg").GetString()!);
        Assert.Equal(HttpStatusCode.OK, jpeg.Status);
        Assert.Equal("image/jpeg", jpeg.MediaType);
        Assert.Equal(HttpStatusCode.OK, (await s.GetAsync(streams.GetProperty("mov").GetString()!)).Status);
    }
}
