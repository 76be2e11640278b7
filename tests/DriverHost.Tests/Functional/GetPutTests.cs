using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;

namespace OpenList.DriverHost.DriverHost.Tests.Functional;

public sealed partial class GetPutTests : IAsyncLifetime
{
    private const string Digits = "0123456789abcdefghijklmnopqrstuvwxyz"; // 36 bytes
    private HostFixture _host = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _host = await HostFixture.StartAsync();
        _client = _host.Client();
        await _client.PutTextAsync("/dav/local/digits.txt", Digits);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    // RFC 9110 §14: each row is (Range header, expected status, expected body, expected Content-Range).
    [Theory]
    [InlineData("bytes=0-9", 206, "0123456789", "bytes 0-9/36")]
    [InlineData("bytes=-10", 206, "qrstuvwxyz", "bytes 26-35/36")] // suffix: the LAST 10 bytes (NWebDav served the first)
    [InlineData("bytes=30-", 206, "uvwxyz", "bytes 30-35/36")]
    [InlineData("bytes=30-1000", 206, "uvwxyz", "bytes 30-35/36")] // last-pos past the end is clamped
    [InlineData("bytes=35-35", 206, "z", "bytes 35-35/36")]
    [InlineData("bytes=36-", 416, "", "bytes */36")] // unsatisfiable: 416 with the */length form
    [InlineData("bytes=0-1,5-6", 200, Digits, null)] // several ranges: the whole body, as ASP.NET Core's file results do
    public async Task Ranges(string range, int status, string body, string? contentRange)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/dav/local/digits.txt");
        request.Headers.TryAddWithoutValidation("Range", range);
        var response = await _client.SendAsync(request);
        Assert.Equal(status, (int)response.StatusCode);
        if (status != 416)
        {
            Assert.Equal(body, await response.Content.ReadAsStringAsync());
        }

        if (contentRange is not null)
        {
            var header = response.Content.Headers.GetValues("Content-Range").Single();
            Assert.Equal(contentRange, header);
            if (status == 206)
            {
                Assert.Matches(ContentRangeFormat(), header);
            }
        }
    }

    [Fact]
    public async Task If_range_with_stale_etag_gets_the_whole_file()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/dav/local/digits.txt");
        request.Headers.TryAddWithoutValidation("Range", "bytes=0-3");
        request.Headers.TryAddWithoutValidation("If-Range", "\"stale\"");
        var response = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Digits, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Conditional_get_with_matching_etag_is_304_and_head_matches_get()
    {
        var get = await _client.GetAsync("/dav/local/digits.txt");
        var request = new HttpRequestMessage(HttpMethod.Get, "/dav/local/digits.txt");
        request.Headers.IfNoneMatch.Add(get.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await _client.SendAsync(request)).StatusCode);

        var head = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/dav/local/digits.txt"));
        Assert.Equal(get.Headers.ETag, head.Headers.ETag);
        Assert.Equal(36, head.Content.Headers.ContentLength);
        Assert.Equal(get.Content.Headers.LastModified, head.Content.Headers.LastModified);
        Assert.Equal("bytes", string.Join(",", head.Headers.AcceptRanges));
    }

    [Fact]
    public async Task Put_is_201_then_204_and_overwrite_with_shorter_content_truncates()
    {
        var first = await _client.PutAsync("/dav/local/new.txt", new StringContent("long content"));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var second = await _client.PutAsync("/dav/local/new.txt", new StringContent("short"));
        Assert.Equal(HttpStatusCode.NoContent, second.StatusCode);
        Assert.Equal("short", await File.ReadAllTextAsync(Path.Combine(_host.Data, "new.txt")));
    }

    [Fact]
    public async Task Chunked_put_without_length_like_finder()
    {
        var payload = Encoding.UTF8.GetBytes(new string('f', 100_000));
        var request = new HttpRequestMessage(HttpMethod.Put, "/dav/local/finder.bin") { Content = new StreamContent(new MemoryStream(payload)) };
        request.Headers.TransferEncodingChunked = true;
        request.Headers.TryAddWithoutValidation("X-Expected-Entity-Length", payload.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var response = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(payload.Length, new FileInfo(Path.Combine(_host.Data, "finder.bin")).Length);
    }

    [Fact]
    public async Task Put_larger_than_kestrels_30MB_default_succeeds()
    {
        var size = 31 * 1024 * 1024;
        var response = await _client.PutAsync("/dav/local/big.bin", new StreamContent(new ZeroStream(size)));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(size, new FileInfo(Path.Combine(_host.Data, "big.bin")).Length);
    }

    [Fact]
    public async Task Put_status_codes()
    {
        Assert.Equal(HttpStatusCode.Conflict, (await _client.PutAsync("/dav/local/missing/parent.txt", new StringContent("x"))).StatusCode);
        await _client.MkcolAsync("/dav/local/coll/");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await _client.PutAsync("/dav/local/coll", new StringContent("x"))).StatusCode);

        var ranged = new HttpRequestMessage(HttpMethod.Put, "/dav/local/digits.txt") { Content = new StringContent("x") };
        ranged.Content.Headers.ContentRange = new ContentRangeHeaderValue(0, 0, 36);
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.SendAsync(ranged)).StatusCode);

        var ifNoneMatch = new HttpRequestMessage(HttpMethod.Put, "/dav/local/digits.txt") { Content = new StringContent("x") };
        ifNoneMatch.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Any);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await _client.SendAsync(ifNoneMatch)).StatusCode);

        var ifMatch = new HttpRequestMessage(HttpMethod.Put, "/dav/local/digits.txt") { Content = new StringContent("x") };
        ifMatch.Headers.IfMatch.Add(new EntityTagHeaderValue("\"wrong\""));
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await _client.SendAsync(ifMatch)).StatusCode);
        Assert.Equal(Digits, await File.ReadAllTextAsync(Path.Combine(_host.Data, "digits.txt")));
    }

    [Fact]
    public async Task X_OC_Mtime_is_applied_and_acknowledged()
    {
        var request = new HttpRequestMessage(HttpMethod.Put, "/dav/local/mtime.txt") { Content = new StringContent("m") };
        request.Headers.TryAddWithoutValidation("X-OC-Mtime", "1600000000");
        var response = await _client.SendAsync(request);
        Assert.Equal("accepted", response.Headers.GetValues("X-OC-Mtime").Single());
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1600000000).UtcDateTime, File.GetLastWriteTimeUtc(Path.Combine(_host.Data, "mtime.txt")));
    }

    [Fact]
    public async Task Zero_byte_put_then_real_put_like_windows()
    {
        Assert.Equal(HttpStatusCode.Created, (await _client.PutAsync("/dav/local/win.txt", new ByteArrayContent([]))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _client.PutAsync("/dav/local/win.txt", new StringContent("data"))).StatusCode);
        var get = await _client.GetAsync("/dav/local/win.txt");
        Assert.Equal("data", await get.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Browser_get_on_a_collection_is_an_escaped_html_listing()
    {
        await _client.PutTextAsync("/dav/local/" + Uri.EscapeDataString("<script>x.txt"), "x");
        var response = await _client.GetAsync("/dav/local/");
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("&lt;script&gt;x.txt", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/dav/local/%3Cscript%3Ex.txt\"", html, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^bytes \d+-\d+/\d+$")]
    private static partial Regex ContentRangeFormat();

    private sealed class ZeroStream(long length) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - _position);
            Array.Clear(buffer, offset, n);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
