using OpenList.DriverHost.CloudFakes.Shared;

namespace OpenList.DriverHost.CloudFakes;

/// <summary>
/// One 115 user with one tree. Paths are '/'-separated from the root ("/" is the root, whose id is "0").
/// Seeding creates missing parent folders. Every file and folder has a pick code, assigned on first use.
/// </summary>
public sealed class Open115Account
{
    internal const string RootId = "0";

    private readonly Open115Fake fake;
    private readonly Dictionary<string, string> pickCodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> byPickCode = new(StringComparer.Ordinal);

    internal Open115Account(Open115Fake fake, long userId, string name, FileTree tree)
    {
        this.fake = fake;
        UserId = userId;
        Name = name;
        Tree = tree;
    }

    public long UserId { get; }

    public string Name { get; }

    /// <summary>Reported by <c>/open/user/info</c> (default 2 TiB). Uploads are not refused when it is exceeded.</summary>
    public long TotalSize { get; set; } = 2L << 40;

    /// <summary>Names of the entries deleted into the recycle bin.</summary>
    public IReadOnlyList<string> RecycleBin
    {
        get
        {
            lock (fake.Gate)
            {
                return Tree.TrashedRoots().OrderBy(n => n.Order).Select(n => n.Name).ToList();
            }
        }
    }

    /// <summary>Guarded by the fake's lock.</summary>
    internal FileTree Tree { get; }

    /// <summary>Starred file ids (<c>/open/ufile/update</c> <c>star</c>). Guarded by the fake's lock.</summary>
    internal HashSet<string> Starred { get; } = new(StringComparer.Ordinal);

    /// <summary>Creates the folder (and missing parents); returns its id (cid). Existing folders are reused.</summary>
    public string AddFolder(string path)
    {
        lock (fake.Gate)
        {
            return EnsureFolder(FakePath.Split(path)).Id;
        }
    }

    /// <summary>Adds a file (replacing a file of the same name); returns its id (fid).</summary>
    public string AddFile(string path, byte[] content, DateTimeOffset? modified = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        return Add(path, new BytesContent(content.ToArray()), modified);
    }

    /// <summary>Adds a file of <paramref name="size"/> bytes of <see cref="SyntheticContent"/> for <paramref name="seed"/>; costs no memory.</summary>
    public string AddSyntheticFile(string path, long size, long seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        return Add(path, new SyntheticFileContent(seed, size), modified: null);
    }

    public bool Exists(string path) => FileId(path) is not null;

    /// <summary>The id at the path (the oldest entry when names repeat), or null.</summary>
    public string? FileId(string path)
    {
        lock (fake.Gate)
        {
            return Tree.ResolveLivePath(path)?.Id;
        }
    }

    /// <summary>The pick code of the file or folder at the path (what <c>/open/ufile/downurl</c> takes).</summary>
    public string PickCode(string path)
    {
        lock (fake.Gate)
        {
            return PickCodeOf(Tree.ResolveLivePath(path) ?? throw new FileNotFoundException($"Nothing at '{path}'."));
        }
    }

    /// <summary>Uppercase SHA1 hex of the file at the path.</summary>
    public Task<string> Sha1Async(string path) => ContentAt(path).Sha1HexAsync();

    /// <summary>Names of the live entries in the folder at the path, in creation order.</summary>
    public IReadOnlyList<string> List(string path)
    {
        lock (fake.Gate)
        {
            var folder = Tree.ResolveLivePath(path);
            return folder is { IsFolder: true }
                ? Tree.LiveChildren(folder.Id).OrderBy(n => n.Order).Select(n => n.Name).ToList()
                : throw new DirectoryNotFoundException($"No folder at '{path}'.");
        }
    }

    public Stream OpenRead(string path) => ContentAt(path).OpenRead();

    public byte[] ReadAll(string path)
    {
        var content = ContentAt(path);
        return content.ReadRange(0, checked((int)content.Length));
    }

    /// <summary>Call under the fake's lock.</summary>
    internal string PickCodeOf(FileNode node)
    {
        if (!pickCodes.TryGetValue(node.Id, out var code))
        {
            code = fake.NewPickCode();
            pickCodes.Add(node.Id, code);
            byPickCode.Add(code, node.Id);
        }

        return code;
    }

    /// <summary>Call under the fake's lock. Reserves a pick code for a node that does not exist yet (uploads).</summary>
    internal void AssignPickCode(string nodeId, string code)
    {
        pickCodes.Add(nodeId, code);
        byPickCode.Add(code, nodeId);
    }

    /// <summary>Call under the fake's lock.</summary>
    internal FileNode? FindByPickCode(string code) =>
        byPickCode.TryGetValue(code, out var id) ? Tree.GetLive(id) : null;

    private string Add(string path, FileContent content, DateTimeOffset? modified)
    {
        var segments = FakePath.Split(path);
        if (segments.Length == 0)
        {
            throw new ArgumentException("A file path needs a name.", nameof(path));
        }

        lock (fake.Gate)
        {
            var parent = EnsureFolder(segments[..^1]);
            if (Tree.FindLiveChild(parent.Id, segments[^1]) is { } existing)
            {
                if (existing.IsFolder)
                {
                    throw new InvalidOperationException($"'{path}' is a folder.");
                }

                Tree.Delete(existing);
            }

            return Tree.CreateFile(parent.Id, segments[^1], content, modified).Id;
        }
    }

    private FileNode EnsureFolder(IEnumerable<string> segments)
    {
        var folder = Tree.Root;
        foreach (var segment in segments)
        {
            var child = Tree.FindLiveChild(folder.Id, segment);
            if (child is { IsFolder: false })
            {
                throw new InvalidOperationException($"'{segment}' is a file, not a folder.");
            }

            folder = child ?? Tree.CreateFolder(folder.Id, segment);
        }

        return folder;
    }

    private FileContent ContentAt(string path)
    {
        lock (fake.Gate)
        {
            var node = Tree.ResolveLivePath(path);
            return node is { IsFolder: false, Content: { } content }
                ? content
                : throw new FileNotFoundException($"No file at '{path}'.");
        }
    }
}
