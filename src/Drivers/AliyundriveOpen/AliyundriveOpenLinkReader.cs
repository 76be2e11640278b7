using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using OpenList.DriverHost.Drivers.Capabilities;
using OpenList.DriverHost.Drivers.Errors;

namespace OpenList.DriverHost.Drivers.AliyundriveOpen;

/// <summary>
/// Reads a file through its download link with one ranged GET. A link the CDN refuses (expired, 403/404/410) or a
/// connection that fails before the response is replaced by a fresh link once.
/// </summary>
internal static class AliyundriveOpenLinkReader
{
    public static async Task<StorageReadStream> OpenAsync(
        HttpClient http,
        Func<bool, CancellationToken, Task<StorageLink>> getLink,
        long totalLength,
        ByteRange? range,
        Action<string> onRetry,
        CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var link = await getLink(attempt > 0, cancellationToken).ConfigureAwait(false);
            HttpResponseMessage? response = null;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, link.Url);
                foreach (var (name, value) in link.Headers)
                {
                    request.Headers.TryAddWithoutValidation(name, value);
                }

                if (range is { } r)
                {
                    request.Headers.Range = new RangeHeaderValue(r.From, r.To);
                }

                response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
                if (IsExpiredLink(response.StatusCode) && attempt == 0)
                {
                    onRetry($"HTTP {((int)response.StatusCode).ToString(CultureInfo.InvariantCulture)}");
                    response.Dispose();
                    continue;
                }

                var result = await ToReadStreamAsync(response, totalLength, range, cancellationToken).ConfigureAwait(false);
                response = null; // owned by the stream now
                return result;
            }
            catch (HttpRequestException e) when (attempt == 0 && !cancellationToken.IsCancellationRequested)
            {
                onRetry(e.HttpRequestError.ToString());
            }
            catch (HttpRequestException e)
            {
                throw new StorageException(StorageErrorKind.Unavailable, "the Aliyun download server is not responding", TimeSpan.FromSeconds(5), e);
            }
            finally
            {
                response?.Dispose();
            }
        }
    }

    private static bool IsExpiredLink(HttpStatusCode status) =>
        status is HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.Gone or HttpStatusCode.Unauthorized;

    private static async Task<StorageReadStream> ToReadStreamAsync(HttpResponseMessage response, long totalLength, ByteRange? range, CancellationToken cancellationToken)
    {
        var status = response.StatusCode;
        if (status == HttpStatusCode.PartialContent && range is { } r)
        {
            var contentRange = response.Content.Headers.ContentRange;
            if (contentRange is { HasRange: true } cr && (cr.From != r.From || cr.To != r.To))
            {
                throw new StorageException(StorageErrorKind.Unavailable, $"the Aliyun download server answered bytes {cr.From}-{cr.To} for {r}");
            }

            return new StorageReadStream(await OwnedStreamAsync(response, cancellationToken).ConfigureAwait(false), r, totalLength);
        }

        if (status == HttpStatusCode.OK)
        {
            // No range asked, or the server ignored it: the whole file ("range ignored").
            return new StorageReadStream(await OwnedStreamAsync(response, cancellationToken).ConfigureAwait(false), null, totalLength);
        }

        var text = ((int)status).ToString(CultureInfo.InvariantCulture);
        throw new StorageException(
            status == HttpStatusCode.TooManyRequests ? StorageErrorKind.RateLimited : StorageErrorKind.Unavailable,
            $"the Aliyun download server answered HTTP {text}",
            response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(5));
    }

    private static async Task<Stream> OwnedStreamAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        new ResponseStream(response, await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));

    /// <summary>The response body; disposing it releases the response (and its connection).</summary>
    private sealed class ResponseStream(HttpResponseMessage response, Stream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override int Read(Span<byte> buffer) => inner.Read(buffer);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            inner.ReadAsync(buffer, offset, count, cancellationToken);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            inner.ReadAsync(buffer, cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                response.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
