using System.Buffers;
using System.Security.Cryptography;

namespace OpenList.DriverHost.CloudFakes.Shared;

/// <summary>A private temporary folder for uploaded parts and assembled files; deleted with the fake.</summary>
internal sealed class TempStorage : IDisposable
{
    private const int BufferSize = 1 << 16;

    public TempStorage() => Root = Directory.CreateTempSubdirectory("openlist-cloudfakes-").FullName;

    public string Root { get; }

    public string NewPath() => Path.Combine(Root, Guid.NewGuid().ToString("N"));

    /// <summary>Streams <paramref name="source"/> into a new temp file, hashing on the way.</summary>
    public async Task<StoredBlob> SaveAsync(Stream source, CancellationToken cancellationToken)
    {
        var path = NewPath();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        long length = 0;
        try
        {
            await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, BufferSize, FileOptions.Asynchronous);
            int read;
            while ((read = await source.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                md5.AppendData(buffer, 0, read);
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                length += read;
            }
        }
        catch
        {
            TryDelete(path);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return new StoredBlob(path, length, Convert.ToHexString(hash.GetHashAndReset())) { Md5Hex = Convert.ToHexString(md5.GetHashAndReset()) };
    }

    /// <summary>Concatenates stored blobs, in order, into one new blob.</summary>
    public async Task<StoredBlob> ConcatenateAsync(IEnumerable<StoredBlob> parts, CancellationToken cancellationToken)
    {
        var path = NewPath();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
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
                    hash.AppendData(buffer, 0, read);
                    await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    length += read;
                }
            }
        }
        catch
        {
            TryDelete(path);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return new StoredBlob(path, length, Convert.ToHexString(hash.GetHashAndReset()));
    }

    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: the whole folder goes away with the fake.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A reader may still hold a file open; the OS temp cleaner will get it.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

/// <summary>A file in <see cref="TempStorage"/> with its length and uppercase SHA1 hex (and MD5 hex when saved from a stream).</summary>
internal sealed record StoredBlob(string Path, long Length, string Sha1Hex)
{
    public string Md5Hex { get; init; } = "";

    public TempFileContent ToContent() => new(Path, Length, Sha1Hex);
}
