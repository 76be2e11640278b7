namespace OpenList.DriverHost.Drivers.Tests.Conformance;

/// <summary>Upload bodies that behave like real request bodies: not seekable, and sometimes failing.</summary>
internal static class TestStreams
{
    /// <summary>The bytes of <paramref name="data"/>, without a length or seeking (a chunked request body).</summary>
    public static Stream NonSeekable(byte[] data) => new ForwardOnlyStream(data, onPosition: null);

    /// <summary>
    /// Hands out <paramref name="data"/> in 4 KiB pieces and cancels <paramref name="source"/> once
    /// <paramref name="cancelAt"/> bytes have been read; later reads honour the token they are given, then go on.
    /// </summary>
    public static Stream CancellingAt(byte[] data, int cancelAt, CancellationTokenSource source) =>
        new ForwardOnlyStream(data, position =>
        {
            if (position >= cancelAt)
            {
                source.Cancel();
            }
        });

    /// <summary>
    /// Hands out <paramref name="data"/> at most <paramref name="chunk"/> bytes a read, so that reads straddle the
    /// boundaries under test; with <paramref name="failAt"/>, the read at that position fails like a dropped client.
    /// </summary>
    public static Stream Chunked(byte[] data, int chunk, int? failAt = null) => new ForwardOnlyStream(data, onPosition: null, chunk, failAt);

    private sealed class ForwardOnlyStream(byte[] data, Action<int>? onPosition, int maxChunk = 4096, int? failAt = null) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_position >= failAt)
            {
                throw new IOException("the client went away");
            }

            var count = Math.Min(Math.Min(buffer.Length, maxChunk), data.Length - _position);
            data.AsSpan(_position, count).CopyTo(buffer);
            _position += count;
            onPosition?.Invoke(_position);
            return count;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            return Read(buffer.Span);
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
