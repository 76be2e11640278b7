using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace OpenList.DriverHost.Drivers.Uploads;

/// <summary>
/// Bytes [<paramref name="offset"/>, <paramref name="offset"/> + <paramref name="length"/>) of a spool file as a
/// request body (no content type). It reads the file afresh each time it is sent, so a retried part is sent again
/// without ever being held in memory.
/// </summary>
internal sealed class FileSegmentContent(SafeFileHandle handle, long offset, long length) : HttpContent
{
    protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(UploadSpool.CopyBufferSize);
        try
        {
            long done = 0;
            while (done < length)
            {
                var want = (int)Math.Min(UploadSpool.CopyBufferSize, length - done);
                var read = await RandomAccess.ReadAsync(handle, buffer.AsMemory(0, want), offset + done, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    throw new IOException("the spool file is shorter than expected");
                }

                await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                done += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override bool TryComputeLength(out long length1)
    {
        length1 = length;
        return true;
    }
}
