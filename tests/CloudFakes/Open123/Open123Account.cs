using OpenList.DriverHost.CloudFakes.Open123;
using OpenList.DriverHost.CloudFakes.Shared;

namespace OpenList.DriverHost.CloudFakes;

/// <summary>
/// One 123 user: an integer-id tree whose root is fileId 0. Paths are '/'-separated from the root ("/" is the
/// root); seeding creates missing parent folders. Trashed entries stay in their folder (listings include them
/// with <c>trashed:1</c>) and are skipped by path lookups.
/// </summary>
public sealed class Open123Account
{
    public const long RootId = 0;

    private readonly Open123Fake fake;
    private readonly Dictionary<long, Open123Node> nodes = [];

    internal Open123Account(Open123Fake fake, long uid, string name)
    {
        this.fake = fake;
        Uid = uid;
        Name = name;
        CreatedAt = fake.Time.GetUtcNow();
    }

    public long Uid { get; }

    public string Name { get; }

    /// <summary>VIP accounts get the VIP QPS limits; user/info reports <c>vip</c>.</summary>
    public bool Vip { get; set; }

    /// <summary>Reported as <c>spacePermanent</c> (default 2 TiB). Uploads are not refused when it is exceeded.</summary>
    public long SpacePermanent { get; set; } = 2L << 40;

    /// <summary>Reported as <c>spaceTemp</c> (default 0).</summary>
    public long SpaceTemp { get; set; }

    /// <summary>
    /// The direct-link auth key (the "private key" of the account's direct-link settings). When set, direct links
    /// need a valid <c>auth_key</c> (specs/cloud-apis.md §5); when null they are served without one.
    /// </summary>
    public string? DirectLinkPrivateKey { get; set; }

    /// <summary>When true, download_info answers code 5113 (daily self-use download traffic exceeded).</summary>
    public bool DownloadTrafficExceeded { get; set; }

    internal DateTimeOffset CreatedAt { get; }

    /// <summary>Names of the entries put in the recycle bin themselves, in creation order.</summary>
    public IReadOnlyList<string> TrashedNames
    {
        get
        {
            lock (fake.Gate)
            {
                return nodes.Values.Where(n => n.Trashed).OrderBy(n => n.Id).Select(n => n.Name).ToList();
            }
        }
    }

    /// <summary>Creates the folder (and missing parents); returns its fileId. Existing folders are reused.</summary>
    public long AddFolder(string path)
    {
        lock (fake.Gate)
        {
            return EnsureFolder(FakePath.Split(path));
        }
    }

    /// <summary>Adds a file (replacing a live file of the same name); returns its fileId.</summary>
    public long AddFile(string path, byte[] content, DateTimeOffset? modified = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        return Add(path, Open123Content.FromBytes(content.ToArray()), modified);
    }

    /// <summary>Adds a file of <paramref name="size"/> bytes of <see cref="SyntheticContent"/> for <paramref name="seed"/>; costs no memory (its MD5 is computed in the background).</summary>
    public long AddSyntheticFile(string path, long size, long seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        return Add(path, new Open123Content(new SyntheticFileContent(seed, size)), modified: null);
    }

    /// <summary>Puts the file or folder at the path in the recycle bin; it stays listed with <c>trashed:1</c>. Returns its fileId.</summary>
    public long TrashFile(string path)
    {
        lock (fake.Gate)
        {
            var node = Resolve(path) ?? throw new FileNotFoundException($"Nothing at '{path}'.");
            node.Trashed = true;
            return node.Id;
        }
    }

    /// <summary>Sets the review status of the entry at the path (&gt; 100 = rejected by review).</summary>
    public void SetReviewStatus(string path, int status)
    {
        lock (fake.Gate)
        {
            (Resolve(path) ?? throw new FileNotFoundException($"Nothing at '{path}'.")).Status = status;
        }
    }

    public bool Exists(string path) => FileId(path) is not null;

    /// <summary>The fileId of the live entry at the path (0 for "/"), or null.</summary>
    public long? FileId(string path)
    {
        lock (fake.Gate)
        {
            return FakePath.Split(path).Length == 0 ? RootId : Resolve(path)?.Id;
        }
    }

    /// <summary>The entry with this fileId, trashed or not, or null.</summary>
    public Open123Entry? Find(long fileId)
    {
        Open123Node? node;
        lock (fake.Gate)
        {
            node = nodes.GetValueOrDefault(fileId);
        }

        return node is null
            ? null
            : new Open123Entry(node.Id, node.ParentId, node.Name, node.IsFolder, node.Size, node.Content?.Md5Async().GetAwaiter().GetResult() ?? "", node.Trashed, node.CreatedAt, node.UpdatedAt);
    }

    /// <summary>The live entries directly in the folder at the path (trashed ones excluded), in id order.</summary>
    public IReadOnlyList<string> ListNames(string path)
    {
        lock (fake.Gate)
        {
            var folder = FakePath.Split(path).Length == 0 ? RootId : Resolve(path)?.Id ?? throw new DirectoryNotFoundException(path);
            return Children(folder).Where(n => !n.Trashed).OrderBy(n => n.Id).Select(n => n.Name).ToList();
        }
    }

    public Stream OpenRead(string path) => ContentAt(path).Data.OpenRead();

    public byte[] ReadAll(string path)
    {
        var content = ContentAt(path);
        return content.Data.ReadRange(0, checked((int)content.Length));
    }

    /// <summary>Lowercase MD5 hex (the etag) of the file at the path.</summary>
    public string Md5(string path) => ContentAt(path).Md5Async().GetAwaiter().GetResult();

    // ---- tree operations for the endpoints; call under fake.Gate ----

    internal Open123Node? Get(long id) => nodes.GetValueOrDefault(id);

    /// <summary>A node that exists and is not trashed itself.</summary>
    internal Open123Node? GetLive(long id) => nodes.TryGetValue(id, out var node) && !node.Trashed ? node : null;

    /// <summary>True for the root and for live folders.</summary>
    internal bool IsLiveFolder(long id) => id == RootId || GetLive(id) is { IsFolder: true };

    internal IEnumerable<Open123Node> Children(long parentId) => nodes.Values.Where(n => n.ParentId == parentId);

    internal IEnumerable<Open123Node> AllNodes => nodes.Values;

    internal Open123Node? FindLiveChild(long parentId, string name) =>
        Children(parentId).Where(n => !n.Trashed && n.Name == name).MinBy(n => n.Id);

    internal Open123Node CreateFolder(long parentId, string name)
    {
        var now = fake.Time.GetUtcNow();
        return Insert(new Open123Node { Id = fake.NewFileId(), ParentId = parentId, Name = name, IsFolder = true, CreatedAt = now, UpdatedAt = now });
    }

    internal Open123Node CreateFile(long parentId, string name, Open123Content content, DateTimeOffset? at = null)
    {
        var now = at ?? fake.Time.GetUtcNow();
        return Insert(new Open123Node { Id = fake.NewFileId(), ParentId = parentId, Name = name, IsFolder = false, Content = content, CreatedAt = now, UpdatedAt = now });
    }

    /// <summary>The path from the root, e.g. "/a/b.txt" (for direct links).</summary>
    internal string PathOf(Open123Node node)
    {
        var segments = new List<string>();
        for (Open123Node? current = node; current is not null; current = current.ParentId == RootId ? null : Get(current.ParentId))
        {
            segments.Add(current.Name);
        }

        segments.Reverse();
        return "/" + string.Join('/', segments);
    }

    /// <summary>True if <paramref name="ancestorId"/> is <paramref name="node"/> or one of its ancestors.</summary>
    internal bool IsSelfOrAncestor(long ancestorId, Open123Node node)
    {
        for (Open123Node? current = node; current is not null; current = current.ParentId == RootId ? null : Get(current.ParentId))
        {
            if (current.Id == ancestorId)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>"a.txt" → "a(1).txt", "a(2).txt", … the first name no live sibling uses.</summary>
    internal string FreeName(long parentId, string name)
    {
        if (FindLiveChild(parentId, name) is null)
        {
            return name;
        }

        var dot = name.LastIndexOf('.');
        var (stem, extension) = dot > 0 ? (name[..dot], name[dot..]) : (name, "");
        for (var i = 1; ; i++)
        {
            var candidate = $"{stem}({i}){extension}";
            if (FindLiveChild(parentId, candidate) is null)
            {
                return candidate;
            }
        }
    }

    internal long UsedBytes() => nodes.Values.Where(n => !n.Trashed).Sum(n => n.Size);

    /// <summary>Resolves live path segments from the root; null when a segment is missing or a file is in the way.</summary>
    internal Open123Node? Resolve(string path)
    {
        Open123Node? node = null;
        var parent = RootId;
        foreach (var segment in FakePath.Split(path))
        {
            if (node is { IsFolder: false })
            {
                return null;
            }

            node = FindLiveChild(parent, segment);
            if (node is null)
            {
                return null;
            }

            parent = node.Id;
        }

        return node;
    }

    private Open123Node Insert(Open123Node node)
    {
        nodes.Add(node.Id, node);
        if (nodes.TryGetValue(node.ParentId, out var parent))
        {
            parent.UpdatedAt = node.UpdatedAt;
        }

        return node;
    }

    private long Add(string path, Open123Content content, DateTimeOffset? modified)
    {
        var segments = FakePath.Split(path);
        if (segments.Length == 0)
        {
            throw new ArgumentException("A file path needs a name.", nameof(path));
        }

        lock (fake.Gate)
        {
            var parent = EnsureFolder(segments[..^1]);
            if (FindLiveChild(parent, segments[^1]) is { } existing)
            {
                if (existing.IsFolder)
                {
                    throw new InvalidOperationException($"'{path}' is a folder.");
                }

                nodes.Remove(existing.Id);
            }

            return CreateFile(parent, segments[^1], content, modified).Id;
        }
    }

    private long EnsureFolder(IEnumerable<string> segments)
    {
        var folder = RootId;
        foreach (var segment in segments)
        {
            var child = FindLiveChild(folder, segment);
            if (child is { IsFolder: false })
            {
                throw new InvalidOperationException($"'{segment}' is a file, not a folder.");
            }

            folder = (child ?? CreateFolder(folder, segment)).Id;
        }

        return folder;
    }

    private Open123Content ContentAt(string path)
    {
        lock (fake.Gate)
        {
            return Resolve(path) is { IsFolder: false, Content: { } content }
                ? content
                : throw new FileNotFoundException($"No file at '{path}'.");
        }
    }
}

/// <summary>A snapshot of one entry, for assertions.</summary>
public sealed record Open123Entry(
    long FileId,
    long ParentFileId,
    string Name,
    bool IsFolder,
    long Size,
    string Etag,
    bool Trashed,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
