using System.Buffers.Binary;
using System.Security.Cryptography;

#pragma warning disable CA5350 // SHA1 is 115's content hash

namespace OpenList.DriverHost.Drivers.Tests.Open115;

/// <summary>
/// A large request body generated as it is read: deterministic bytes (SplitMix64 of the seed and each 8-byte block's
/// index), forward only, without a length, hashing what it hands out. Nothing of it is ever held whole in memory.
/// </summary>
internal sealed class SyntheticStream(long length, ulong seed) : Stream
{
    private readonly IncrementalHash _sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
    private long _position;
    private string? _hex;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>Lower-case SHA1 of everything read, once the stream was read to its end.</summary>
    public string Sha1Hex() => _hex ?? throw new InvalidOperationException("the stream was not read to its end");

    /// <summary>The <paramref name="count"/> bytes at <paramref name="offset"/> of the stream for <paramref name="seed"/>.</summary>
    public static byte[] Slice(ulong seed, long offset, int count)
    {
        var bytes = new byte[count];
        Fill(seed, offset, bytes);
        return bytes;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = (int)Math.Min(buffer.Length, length - _position);
        if (n <= 0)
        {
            _hex ??= Convert.ToHexStringLower(_sha1.GetHashAndReset());
            return 0;
        }

        var span = buffer[..n];
        Fill(seed, _position, span);
        _sha1.AppendData(span);
        _position += n;
        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

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
            _sha1.Dispose();
        }

        base.Dispose(disposing);
    }

    private static void Fill(ulong seed, long offset, Span<byte> target)
    {
        Span<byte> block = stackalloc byte[8];
        var written = 0;
        while (written < target.Length)
        {
            var position = offset + written;
            var index = (ulong)(position / 8);
            var within = (int)(position % 8);
            BinaryPrimitives.WriteUInt64LittleEndian(block, Mix(seed ^ (index * 0x9E3779B97F4A7C15UL)));
            var take = Math.Min(8 - within, target.Length - written);
            block.Slice(within, take).CopyTo(target[written..]);
            written += take;
        }
    }

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
