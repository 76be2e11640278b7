namespace OpenList.DriverHost.WebDav.Http;

/// <summary>
/// A seekable read-only view over content that can be opened from any offset. It lets ASP.NET Core's file result
/// do conditional requests, If-Range, 206 and 416 while only the bytes it sends are fetched: nothing is opened
/// until the first read, and a seek re-opens at the new offset.
/// </summary>
internal sealed class OffsetOpeningStream : Stream
{
    private readonly Func<long, CancellationToken, Task<Stream>> _open;
    private Stream? _inner;
    private long _position;
    private long _innerPosition;

    public OffsetOpeningStream(long length, Func<long, CancellationToken, Task<Stream>> open)
    {
        Length = length;
        _open = open;
    }

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length { get; }

    public override long Position
    {
        get => _position;
        set => _position = Math.Clamp(value, 0, Length);
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => Length + offset,
        };
        return _position;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position >= Length || buffer.Length == 0)
        {
            return 0;
        }

        if (_inner is not null && _innerPosition != _position)
        {
            await _inner.DisposeAsync().ConfigureAwait(false);
            _inner = null;
        }

        if (_inner is null)
        {
            _inner = await _open(_position, cancellationToken).ConfigureAwait(false);
            _innerPosition = _position;
        }

        var read = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        _position += read;
        _innerPosition = _position;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner?.Dispose();
            _inner = null;
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (_inner is not null)
        {
            await _inner.DisposeAsync().ConfigureAwait(false);
            _inner = null;
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }
}
