using System.Security.Cryptography;
using OpenList.DriverHost.CloudFakes.Shared;

namespace OpenList.DriverHost.CloudFakes.DiskTop;

/// <summary>
/// One folder or file of a Disk.Top account. Folder ids and file ids are separate integer sequences (a file and
/// a folder may share an id). The disk root is folder id 0 and is never listed. Mutated only under the fake's lock.
/// </summary>
internal sealed class DiskTopNode
{
    public required long Id { get; init; }

    public required bool IsFolder { get; init; }

    /// <summary>Null only for the disk root.</summary>
    public DiskTopNode? Parent { get; set; }

    public required string Name { get; set; }

    /// <summary>Null for folders.</summary>
    public DiskTopContent? Content { get; init; }

    /// <summary>The file's MIME type ("" for folders).</summary>
    public string Mime { get; init; } = "";

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Folders only.</summary>
    public List<DiskTopNode> Children { get; } = [];

    public long Size => Content?.Length ?? 0;

    public bool IsRoot => Parent is null;

    /// <summary>Absolute path from the disk root: "/" for the root, "/我的应用数据/App/a.txt" otherwise.</summary>
    public string Path => Parent is null ? "/" : Parent.IsRoot ? "/" + Name : Parent.Path + "/" + Name;

    public DiskTopNode? Child(string name) => Children.Find(c => c.Name == name);

    /// <summary>True if <paramref name="ancestor"/> is this node or one of its ancestors.</summary>
    public bool IsUnder(DiskTopNode ancestor)
    {
        for (var node = this; node is not null; node = node.Parent)
        {
            if (ReferenceEquals(node, ancestor))
            {
                return true;
            }
        }

        return false;
    }

    public IEnumerable<DiskTopNode> SelfAndDescendants()
    {
        yield return this;
        foreach (var child in Children.ToList())
        {
            foreach (var node in child.SelfAndDescendants())
            {
                yield return node;
            }
        }
    }
}

/// <summary>Immutable file content with its MD5 (lowercase hex), computed once (in the background for synthetic content).</summary>
internal sealed class DiskTopContent(FileContent data, Task<string> md5)
{
    /// <summary>MD5 of the empty content.</summary>
    public const string EmptyMd5 = "d41d8cd98f00b204e9800998ecf8427e";

    public FileContent Data { get; } = data;

    public long Length => Data.Length;

    public Task<string> Md5 { get; } = md5;

    public static DiskTopContent FromBytes(byte[] bytes) =>
        new(new BytesContent(bytes), Task.FromResult(Convert.ToHexStringLower(MD5.HashData(bytes))));

    public static DiskTopContent Synthetic(long seed, long length) =>
        new(new SyntheticFileContent(seed, length), Task.Run(() =>
        {
            using var stream = SyntheticContent.OpenRead(seed, length);
            return Convert.ToHexStringLower(MD5.HashData(stream));
        }));
}
