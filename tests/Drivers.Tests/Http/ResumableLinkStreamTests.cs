using System.Net;
using System.Net.Http.Headers;
using OpenList.DriverHost.Drivers.Capabilities;
using OpenList.DriverHost.Drivers.Http;

namespace OpenList.DriverHost.Drivers.Tests.Http;

public sealed class ResumableLinkStreamTests
{
    private static readonly ResumeOptions Fast = new() { RetryDelay = TimeSpan.FromMilliseconds(1), MaxRetryDelay = TimeSpan.FromMilliseconds(5), MaxAttemptsWithoutProgress = 4 };
    private readonly byte[] _content = Enumerable.Range(0, 100_000).Select(i => (byte)(i * 7)).ToArray();

    [Fact]
    public async Task Drops_and_a_refused_link_are_resumed_at_the_same_offset_with_a_fresh_link()
    {
        var cdn = new RangeCdn(_content) { DropAfterBytes = 30_000, DropsLeft = 2, RefuseLink = 1 };
        var links = 0;
        var freshAsked = 0;
        var retries = new List<string>();
        using var http = new HttpClient(cdn);
        await using var stream = new ResumableLinkStream(
            http,
            (fresh, _) =>
            {
                freshAsked += fresh ? 1 : 0;
                return Task.FromResult(new StorageLink(new Uri($"https://cdn.test/file?link={++links}"), null));
            },
            offset: 5,
            length: _content.Length,
            Fast,
            TimeProvider.System,
            (reason, _) => retries.Add(reason));

        var copy = new MemoryStream();
        await stream.CopyToAsync(copy);

        Assert.Equal(_content[5..], copy.ToArray());
        Assert.Equal(1, freshAsked);
        Assert.Equal(["bytes=5-99999", "bytes=5-99999", "bytes=30005-99999", "bytes=60005-99999"], cdn.Ranges);
        Assert.Equal(3, retries.Count);
    }

    [Fact]
    public async Task An_upstream_that_never_delivers_is_given_up_after_the_attempt_limit()
    {
        var cdn = new RangeCdn(_content) { AlwaysStatus = HttpStatusCode.BadGateway };
        using var http = new HttpClient(cdn);
        await using var stream = new ResumableLinkStream(
            http,
            (_, _) => Task.FromResult(new StorageLink(new Uri("https://cdn.test/file"), null)),
            0,
            _content.Length,
            Fast,
            TimeProvider.System,
            (_, _) => { });

        var error = await Assert.ThrowsAsync<IOException>(() => stream.CopyToAsync(Stream.Null));
        Assert.Contains("HTTP 502", error.Message, StringComparison.Ordinal);
        Assert.Equal(4, cdn.Ranges.Count);
    }

    [Fact]
    public async Task A_server_that_ignores_Range_is_skipped_forward_locally()
    {
        var cdn = new RangeCdn(_content) { IgnoreRange = true };
        using var http = new HttpClient(cdn);
        await using var stream = new ResumableLinkStream(
            http,
            (_, _) => Task.FromResult(new StorageLink(new Uri("https://cdn.test/file"), null)),
            99_990,
            _content.Length,
            Fast,
            TimeProvider.System,
            (_, _) => { });

        var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        Assert.Equal(_content[99_990..], copy.ToArray());
    }

    /// <summary>A CDN answering Range requests from memory, with scripted refusals and dropped bodies.</summary>
    private sealed class RangeCdn(byte[] content) : HttpMessageHandler
    {
        public List<string> Ranges { get; } = [];

        public int DropAfterBytes { get; init; }

        public int DropsLeft { get; set; }

        public int RefuseLink { get; init; } = -1;

        public HttpStatusCode? AlwaysStatus { get; init; }

        public bool IgnoreRange { get; init; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var range = request.Headers.Range!.Ranges.Single();
            Ranges.Add($"bytes={range.From}-{range.To}");
            if (AlwaysStatus is { } status)
            {
                return Task.FromResult(new HttpResponseMessage(status));
            }

            if (request.RequestUri!.Query == $"?link={RefuseLink}")
            {
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.Forbidden));
            }

            if (IgnoreRange)
            {
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(content) });
            }

            var from = (int)range.From!.Value;
            var to = (int)range.To!.Value;
            var body = content[from..(to + 1)];
            Stream stream = DropsLeft-- > 0 ? new DroppingStream(body, DropAfterBytes) : new MemoryStream(body);
            var response = new HttpResponseMessage(HttpStatusCode.PartialContent) { Content = new StreamContent(stream) };
            response.Content.Headers.ContentRange = new ContentRangeHeaderValue(from, to, content.Length);
            return Task.FromResult(response);
        }
    }

    private sealed class DroppingStream(byte[] body, int dropAfter) : MemoryStream(body)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (Position >= dropAfter)
            {
                throw new IOException("connection reset");
            }

            return base.ReadAsync(buffer[..(int)Math.Min(buffer.Length, dropAfter - Position)], cancellationToken);
        }
    }
}
