using Microsoft.AspNetCore.StaticFiles;
using OpenList.DriverHost.CloudFakes.DiskTop;
using OpenList.DriverHost.CloudFakes.Shared;

namespace OpenList.DriverHost.CloudFakes;

/// <summary>
/// One Disk.Top user and the whole disk. Seeding paths are absolute, '/'-separated from the disk root
/// (an app's sandbox is <see cref="DiskTopFake.SandboxPath"/>, e.g. "/我的应用数据/my-app"); missing parent
/// folders are created. The profile properties are what <c>/v1/user/info</c> reports.
/// </summary>
public sealed class DiskTopAccount
{
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();
    private readonly DiskTopFake fake;

    internal DiskTopAccount(DiskTopFake fake, long uid, string username, DateTimeOffset createdAt)
    {
        this.fake = fake;
        Uid = uid;
        Username = username;
        Nickname = username;
        Email = username[..1] + "***@example.com";
        CreatedAt = createdAt;
        Root = new DiskTopNode { Id = 0, IsFolder = true, Name = "", CreatedAt = createdAt };
    }

    public long Uid { get; }

    public string Username { get; }

    public string Nickname { get; set; }

    /// <summary>Already masked, as the API reports it.</summary>
    public string Email { get; set; }

    public string AvatarUrl { get; set; } = "";

    public bool IsVip { get; set; }

    /// <summary>1-10 (documented range).</summary>
    public int VipGroup { get; set; } = 1;

    /// <summary>Unix seconds; 0 = permanent or not VIP.</summary>
    public long VipExpireTs { get; set; }

    /// <summary>storage_quota_bytes / total_bytes. precreate refuses a file larger than the free space (403).</summary>
    public long QuotaBytes { get; set; } = 1_610_612_736_000;

    public DateTimeOffset CreatedAt { get; }

    /// <summary>Bytes of all files on the disk.</summary>
    public long UsedBytes
    {
        get
        {
            lock (fake.Gate)
            {
                return Files.Values.Sum(f => f.Size);
            }
        }
    }

    internal DiskTopNode Root { get; }

    internal Dictionary<long, DiskTopNode> Folders { get; } = [];

    internal Dictionary<long, DiskTopNode> Files { get; } = [];

    /// <summary>Creates the folder (and missing parents); returns its folder id. Existing folders are reused.</summary>
    public long AddFolder(string path)
    {
        lock (fake.Gate)
        {
            return EnsureFolder(FakePath.Split(path)).Id;
        }
    }

    /// <summary>Adds a file (replacing a file of the same name); returns its file id. The MIME type comes from the extension.</summary>
    public long AddFile(string path, byte[] content, DateTimeOffset? created = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        return Add(path, DiskTopContent.FromBytes(content.ToArray()), created);
    }

    /// <summary>Adds <paramref name="size"/> bytes of <see cref="SyntheticContent"/> for <paramref name="seed"/>; costs no memory (its MD5 is computed in the background).</summary>
    public long AddSyntheticFile(string path, long size, long seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        return Add(path, DiskTopContent.Synthetic(seed, size), created: null);
    }

    public bool Exists(string path)
    {
        lock (fake.Gate)
        {
            return Resolve(Root, FakePath.Split(path)) is not null;
        }
    }

    /// <summary>The file id at the absolute path, or null (also when the path is a folder).</summary>
    public long? FileId(string path)
    {
        lock (fake.Gate)
        {
            return Resolve(Root, FakePath.Split(path)) is { IsFolder: false } node ? node.Id : null;
        }
    }

    /// <summary>The folder id at the absolute path, or null (also when the path is a file). "/" is 0.</summary>
    public long? FolderId(string path)
    {
        lock (fake.Gate)
        {
            return Resolve(Root, FakePath.Split(path)) is { IsFolder: true } node ? node.Id : null;
        }
    }

    /// <summary>Names of the folder's children, folders first, each group by name (ordinal) — the listing order.</summary>
    public IReadOnlyList<string> ChildNames(string folderPath)
    {
        lock (fake.Gate)
        {
            var folder = Resolve(Root, FakePath.Split(folderPath)) is { IsFolder: true } node
                ? node
                : throw new DirectoryNotFoundException($"No folder at '{folderPath}'.");
            return SortedChildren(folder).Select(n => n.Name).ToList();
        }
    }

    public byte[] ReadAll(string path)
    {
        var content = ContentAt(path);
        return content.Data.ReadRange(0, checked((int)content.Length));
    }

    public Stream OpenRead(string path) => ContentAt(path).Data.OpenRead();

    /// <summary>Lowercase MD5 hex of the file at the path.</summary>
    public Task<string> Md5(string path) => ContentAt(path).Md5;

    /// <summary>Children in listing order. Call under the lock.</summary>
    internal static IEnumerable<DiskTopNode> SortedChildren(DiskTopNode folder) =>
        folder.Children.Where(c => c.IsFolder).OrderBy(c => c.Name, StringComparer.Ordinal)
            .Concat(folder.Children.Where(c => !c.IsFolder).OrderBy(c => c.Name, StringComparer.Ordinal));

    /// <summary>Walks <paramref name="segments"/> from <paramref name="start"/>. Call under the lock.</summary>
    internal static DiskTopNode? Resolve(DiskTopNode start, IEnumerable<string> segments)
    {
        var node = start;
        foreach (var segment in segments)
        {
            if (!node.IsFolder || node.Child(segment) is not { } child)
            {
                return null;
            }

            node = child;
        }

        return node;
    }

    internal static string MimeFor(string name) =>
        ContentTypes.TryGetContentType(name, out var type) ? type : "application/octet-stream";

    /// <summary>Call under the lock.</summary>
    internal DiskTopNode EnsureFolder(IEnumerable<string> segments)
    {
        var folder = Root;
        foreach (var segment in segments)
        {
            var child = folder.Child(segment);
            if (child is { IsFolder: false })
            {
                throw new InvalidOperationException($"'{segment}' is a file, not a folder.");
            }

            folder = child ?? CreateFolder(folder, segment);
        }

        return folder;
    }

    /// <summary>Call under the lock.</summary>
    internal DiskTopNode CreateFolder(DiskTopNode parent, string name)
    {
        var node = new DiskTopNode { Id = fake.NewFolderId(), IsFolder = true, Name = name, Parent = parent, CreatedAt = fake.Time.GetUtcNow() };
        parent.Children.Add(node);
        Folders.Add(node.Id, node);
        return node;
    }

    /// <summary>Call under the lock.</summary>
    internal DiskTopNode CreateFile(DiskTopNode parent, string name, DiskTopContent content, string mime, DateTimeOffset? created = null)
    {
        var node = new DiskTopNode
        {
            Id = fake.NewFileId(),
            IsFolder = false,
            Name = name,
            Parent = parent,
            Content = content,
            Mime = mime,
            CreatedAt = created ?? fake.Time.GetUtcNow(),
        };
        parent.Children.Add(node);
        Files.Add(node.Id, node);
        return node;
    }

    /// <summary>Removes the node and everything below it. Call under the lock.</summary>
    internal void Remove(DiskTopNode node)
    {
        foreach (var item in node.SelfAndDescendants().ToList())
        {
            (item.IsFolder ? Folders : Files).Remove(item.Id);
        }

        node.Parent?.Children.Remove(node);
        node.Parent = null;
    }

    internal static void Move(DiskTopNode node, DiskTopNode newParent)
    {
        node.Parent!.Children.Remove(node);
        node.Parent = newParent;
        newParent.Children.Add(node);
    }

    /// <summary>Deep copy with fresh ids (content is shared: it is immutable). Call under the lock.</summary>
    internal DiskTopNode CopyInto(DiskTopNode source, DiskTopNode parent)
    {
        if (!source.IsFolder)
        {
            return CreateFile(parent, source.Name, source.Content!, source.Mime);
        }

        var copy = CreateFolder(parent, source.Name);
        foreach (var child in source.Children.ToList())
        {
            CopyInto(child, copy);
        }

        return copy;
    }

    /// <summary>"a.txt" → "a(1).txt", "a(2).txt", … the first name no child of <paramref name="parent"/> uses.</summary>
    internal static string FreeName(DiskTopNode parent, string name)
    {
        if (parent.Child(name) is null)
        {
            return name;
        }

        var dot = name.LastIndexOf('.');
        var (stem, extension) = dot > 0 ? (name[..dot], name[dot..]) : (name, "");
        for (var i = 1; ; i++)
        {
            var candidate = $"{stem}({i}){extension}";
            if (parent.Child(candidate) is null)
            {
                return candidate;
            }
        }
    }

    private long Add(string path, DiskTopContent content, DateTimeOffset? created)
    {
        var segments = FakePath.Split(path);
        if (segments.Length == 0)
        {
            throw new ArgumentException("A file path needs a name.", nameof(path));
        }

        lock (fake.Gate)
        {
            var parent = EnsureFolder(segments[..^1]);
            if (parent.Child(segments[^1]) is { } existing)
            {
                if (existing.IsFolder)
                {
                    throw new InvalidOperationException($"'{path}' is a folder.");
                }

                Remove(existing);
            }

            return CreateFile(parent, segments[^1], content, MimeFor(segments[^1]), created).Id;
        }
    }

    private DiskTopContent ContentAt(string path)
    {
        lock (fake.Gate)
        {
            return Resolve(Root, FakePath.Split(path)) is { IsFolder: false, Content: { } content }
                ? content
                : throw new FileNotFoundException($"No file at '{path}'.");
        }
    }
}
