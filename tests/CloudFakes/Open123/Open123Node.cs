using System.Security.Cryptography;
using OpenList.DriverHost.CloudFakes.Shared;

namespace OpenList.DriverHost.CloudFakes.Open123;

/// <summary>One folder or file of a 123 account. Mutated only under <see cref="Open123Fake.Gate"/>.</summary>
internal sealed class Open123Node
{
    public required long Id { get; init; }

    /// <summary>0 for entries in the root; the root itself (id 0) is not a node.</summary>
    public required long ParentId { get; set; }

    public required string Name { get; set; }

    public required bool IsFolder { get; init; }

    /// <summary>Null for folders.</summary>
    public Open123Content? Content { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Put in the recycle bin itself (listings still show it, with <c>trashed:1</c>).</summary>
    public bool Trashed { get; set; }

    /// <summary>Review status; &gt; 100 means rejected by review.</summary>
    public int Status { get; set; }

    public long Size => Content?.Length ?? 0;
}

/// <summary>File bytes plus the hashes 123 speaks: MD5 (etag, lowercase) and SHA1 (sha1_reuse, lowercase).</summary>
internal sealed class Open123Content
{
    private readonly Lazy<Task<string>> md5;

    public Open123Content(FileContent data, string? md5Hex = null)
    {
        Data = data;
        md5 = md5Hex is not null
            ? new Lazy<Task<string>>(Task.FromResult(md5Hex))
            : new Lazy<Task<string>>(() => Task.Run(() => HashMd5(data)));
        _ = md5.Value; // large synthetic files start hashing at once, in the background
    }

    public FileContent Data { get; }

    public long Length => Data.Length;

    public Task<string> Md5Async() => md5.Value;

    public async Task<string> Sha1Async() => (await Data.Sha1HexAsync()).ToLowerInvariant();

    public static Open123Content FromBytes(byte[] bytes) =>
        new(new BytesContent(bytes), Convert.ToHexStringLower(MD5.HashData(bytes)));

    private static string HashMd5(FileContent data)
    {
        using var stream = data.OpenRead();
        return Convert.ToHexStringLower(MD5.HashData(stream));
    }
}
