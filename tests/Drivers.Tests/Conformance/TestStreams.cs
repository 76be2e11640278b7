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

    private sealed class ForwardOnlyStream(byte[] data, Action<int>? onPosition) : Stream
    {
        private const int MaxChunk = 4096;
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
            var count = Math.Min(Math.Min(buffer.Length, MaxChunk), data.Length - _position);
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
