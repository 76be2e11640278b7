using System.Buffers.Binary;
using System.Security.Cryptography;
using OpenList.DriverHost.CloudFakes.Shared;

namespace OpenList.DriverHost.CloudFakes;

/// <summary>
/// Deterministic pseudo-random file content: byte <c>i</c> of the file with <c>seed</c> depends only on
/// (seed, i), so a 1 GB file costs no memory and any range can be produced (or checked) independently.
/// </summary>
public static class SyntheticContent
{
    /// <summary>Fills <paramref name="destination"/> with the bytes at [offset, offset + length) of the stream for <paramref name="seed"/>.</summary>
    public static void Fill(long seed, long offset, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        var block = offset >> 3;
        var skip = (int)(offset & 7);
        Span<byte> partial = stackalloc byte[8];
        while (!destination.IsEmpty)
        {
            var value = BlockValue(seed, block++);
            if (skip == 0 && destination.Length >= 8)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(destination, value);
                destination = destination[8..];
                continue;
            }

            BinaryPrimitives.WriteUInt64LittleEndian(partial, value);
            var count = Math.Min(8 - skip, destination.Length);
            partial.Slice(skip, count).CopyTo(destination);
            destination = destination[count..];
            skip = 0;
        }
    }

    /// <summary>A read-only, seekable stream over the first <paramref name="length"/> bytes for <paramref name="seed"/>.</summary>
    public static Stream OpenRead(long seed, long length) => new SyntheticStream(seed, length);

    /// <summary>Uppercase SHA1 hex of the first <paramref name="length"/> bytes (what the fakes report as content hash).</summary>
    public static string Sha1Hex(long seed, long length)
    {
        using var stream = OpenRead(seed, length);
        return Convert.ToHexString(SHA1.HashData(stream));
    }

    // SplitMix64's finaliser over a counter mixed with the seed: cheap, well distributed, random-access.
    private static ulong BlockValue(long seed, long block)
    {
        unchecked
        {
            var z = ((ulong)seed * 0xD1B54A32D192ED03UL) + ((ulong)(block + 1) * 0x9E3779B97F4A7C15UL);
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
