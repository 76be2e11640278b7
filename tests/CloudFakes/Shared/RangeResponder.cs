using System.Buffers;
using System.Globalization;
using Microsoft.Net.Http.Headers;

namespace OpenList.DriverHost.CloudFakes.Shared;

/// <summary>Serves file content for GET/HEAD on a signed link: 200, 206 with Content-Range, or 416 <c>bytes */len</c>.</summary>
internal static class RangeResponder
{
    private const int BufferSize = 1 << 18;

    /// <param name="takeDropAfter">
    /// Asked once a body is about to be sent; a value means "abort the connection after this many body bytes"
    /// (fault injection), so HEAD and 416 answers do not use up a drop.
    /// </param>
    public static async Task ServeAsync(HttpContext context, FileContent content, string contentType, DateTimeOffset lastModified, Func<long?> takeDropAfter)
    {
        var response = context.Response;
        var length = content.Length;
        response.Headers.AcceptRanges = "bytes";
        response.Headers.LastModified = HeaderUtilities.FormatDate(lastModified);
        var range = ByteRangeRequest.Parse(context.Request.Headers.Range, length);
        if (range.Kind == ByteRangeKind.Unsatisfiable)
        {
            response.StatusCode = StatusCodes.Status416RangeNotSatisfiable;
            response.Headers.ContentRange = $"bytes */{length.ToString(CultureInfo.InvariantCulture)}";
            response.ContentLength = 0;
            return;
        }

        response.ContentType = contentType;
        response.ContentLength = range.Length;
        if (range.Kind == ByteRangeKind.Partial)
        {
            response.StatusCode = StatusCodes.Status206PartialContent;
            response.Headers.ContentRange = string.Create(CultureInfo.InvariantCulture, $"bytes {range.Start}-{range.End}/{length}");
        }
        else
        {
            response.StatusCode = StatusCodes.Status200OK;
        }

        if (HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }

        await CopyAsync(context, content, range.Start, range.Length, takeDropAfter());
    }

    private static async Task CopyAsync(HttpContext context, FileContent content, long start, long count, long? dropAfter)
    {
        var allowed = dropAfter is { } limit ? Math.Min(limit, count) : count;
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            await using var stream = content.OpenRead();
            stream.Seek(start, SeekOrigin.Begin);
            var remaining = allowed;
            while (remaining > 0)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(BufferSize, remaining)), context.RequestAborted);
                if (read == 0)
                {
                    break;
                }

                await context.Response.Body.WriteAsync(buffer.AsMemory(0, read), context.RequestAborted);
                remaining -= read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        if (allowed < count)
        {
            // Make sure the promised prefix leaves the server before the connection is cut.
            await context.Response.Body.FlushAsync(context.RequestAborted);
            context.Features.Get<RequestOutcome>()?.Abort(context);
        }
    }
}
