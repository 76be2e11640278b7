using System.Security.Cryptography;

namespace OpenList.DriverHost.CloudFakes.Shared;

/// <summary>Immutable content of a fake file. Copies share the instance; nothing is ever rewritten in place.</summary>
internal abstract class FileContent
{
    public abstract long Length { get; }

    /// <summary>A fresh, seekable read stream.</summary>
    public abstract Stream OpenRead();

    /// <summary>Uppercase SHA1 hex of the whole content (computed once).</summary>
    public abstract Task<string> Sha1HexAsync();

    /// <summary>The first <paramref name="count"/> bytes (fewer if the content is shorter).</summary>
    public byte[] ReadPrefix(int count) => ReadRange(0, (int)Math.Min(count, Length));

    public byte[] ReadRange(long start, int count)
    {
        using var stream = OpenRead();
        stream.Seek(start, SeekOrigin.Begin);
        var bytes = new byte[count];
        stream.ReadExactly(bytes);
        return bytes;
    }
}

internal sealed class BytesContent : FileContent
{
    private readonly byte[] bytes;
    private readonly Task<string> sha1;

    public BytesContent(byte[] bytes)
    {
        this.bytes = bytes;
        sha1 = Task.FromResult(Convert.ToHexString(SHA1.HashData(bytes)));
    }

    public override long Length => bytes.LongLength;

    public override Stream OpenRead() => new MemoryStream(bytes, writable: false);

    public override Task<string> Sha1HexAsync() => sha1;
}

internal sealed class SyntheticFileContent : FileContent
{
    private readonly long seed;
    private readonly long length;

    // Hashing a large synthetic file takes a while, so it starts in the background as soon as the file exists
    // and listings await it only if they get there first.
    private readonly Lazy<Task<string>> sha1;

    public SyntheticFileContent(long seed, long length)
    {
        this.seed = seed;
        this.length = length;
        sha1 = new Lazy<Task<string>>(() => Task.Run(() => SyntheticContent.Sha1Hex(seed, length)));
        _ = sha1.Value;
    }

    public override long Length => length;

    public override Stream OpenRead() => SyntheticContent.OpenRead(seed, length);

    public override Task<string> Sha1HexAsync() => sha1.Value;
}

/// <summary>Uploaded content, kept on disk under the fake's temporary folder so large uploads cost no memory.</summary>
internal sealed class TempFileContent(string path, long length, string sha1Hex) : FileContent
{
    private readonly Task<string> sha1 = Task.FromResult(sha1Hex);

    public override long Length => length;

    public override Stream OpenRead() =>
        new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16, FileOptions.Asynchronous);

    public override Task<string> Sha1HexAsync() => sha1;
}
