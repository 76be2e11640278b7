using System.Buffers;
using System.Security.Cryptography;
using OpenList.DriverHost.CloudFakes.Shared;

namespace OpenList.DriverHost.CloudFakes.DiskTop;

/// <summary>A stored chunk: its temp file, length and lowercase MD5 (the etag).</summary>
internal sealed record DiskTopPart(string Path, long Size, string Md5);

/// <summary>An assembled upload: temp file, length, lowercase MD5 and uppercase SHA1 (what <see cref="TempFileContent"/> carries).</summary>
internal sealed record DiskTopAssembled(string Path, long Length, string Md5, string Sha1);

/// <summary>Chunk and assembly files in the fake's <see cref="TempStorage"/>, hashed with MD5 on the way.</summary>
internal static class DiskTopBlobs
{
    private const int BufferSize = 1 << 16;

    public static async Task<DiskTopPart> SaveAsync(TempStorage temp, Stream source, CancellationToken cancellationToken)
    {
        var path = temp.NewPath();
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        long length = 0;
        try
        {
            await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, BufferSize, FileOptions.Asynchronous);
            int read;
            while ((read = await source.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
            {
                md5.AppendData(buffer, 0, read);
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                length += read;
            }
        }
        catch
        {
            TempStorage.TryDelete(path);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return new DiskTopPart(path, length, Convert.ToHexStringLower(md5.GetHashAndReset()));
    }

    public static async Task<DiskTopAssembled> ConcatenateAsync(TempStorage temp, IEnumerable<DiskTopPart> parts, CancellationToken cancellationToken)
    {
        var path = temp.NewPath();
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        using var sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        long length = 0;
        try
        {
            await using var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, BufferSize, FileOptions.Asynchronous);
            foreach (var part in parts)
            {
                await using var source = new FileStream(part.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, BufferSize, FileOptions.Asynchronous);
                int read;
                while ((read = await source.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
                {
                    md5.AppendData(buffer, 0, read);
                    sha1.AppendData(buffer, 0, read);
                    await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    length += read;
                }
            }
        }
        catch
        {
            TempStorage.TryDelete(path);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return new DiskTopAssembled(path, length, Convert.ToHexStringLower(md5.GetHashAndReset()), Convert.ToHexString(sha1.GetHashAndReset()));
    }
}
