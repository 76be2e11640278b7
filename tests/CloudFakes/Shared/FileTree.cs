namespace OpenList.DriverHost.CloudFakes.Shared;

/// <summary>
/// An id-addressed folder tree, one per drive. Not thread-safe: the provider serialises access with its lock.
/// Names may repeat within a folder (several clouds allow that); lookups by name return the oldest live entry.
/// </summary>
internal sealed class FileTree
{
    public const string RootId = "root";

    private readonly Dictionary<string, FileNode> nodes = new(StringComparer.Ordinal);
    private readonly Func<string> newId;
    private readonly TimeProvider time;
    private long order;

    /// <param name="rootId">The root folder's id ("root" for Aliyun, "0" for 115).</param>
    public FileTree(Func<string> newId, TimeProvider time, string rootId = RootId)
    {
        this.newId = newId;
        this.time = time;
        var now = time.GetUtcNow();
        Root = new FileNode { Id = rootId, ParentId = null, Name = "root", IsFolder = true, CreatedAt = now, UpdatedAt = now, Order = order++ };
        nodes.Add(rootId, Root);
    }

    public FileNode Root { get; }

    public FileNode? Get(string id) => nodes.GetValueOrDefault(id);

    /// <summary>The node if it exists and neither it nor an ancestor is in the recycle bin.</summary>
    public FileNode? GetLive(string id) => nodes.TryGetValue(id, out var node) && IsLive(node) ? node : null;

    public bool IsLive(FileNode node)
    {
        for (FileNode? current = node; current is not null; current = current.ParentId is null ? null : Get(current.ParentId))
        {
            if (current.Trashed)
            {
                return false;
            }
        }

        return true;
    }

    public IEnumerable<FileNode> LiveChildren(string parentId) =>
        nodes.Values.Where(n => n.ParentId == parentId && !n.Trashed);

    public FileNode? FindLiveChild(string parentId, string name) =>
        LiveChildren(parentId).Where(n => n.Name == name).MinBy(n => n.Order);

    public FileNode? ResolveLivePath(string path)
    {
        var node = Root;
        foreach (var segment in FakePath.Split(path))
        {
            var child = node.IsFolder ? FindLiveChild(node.Id, segment) : null;
            if (child is null)
            {
                return null;
            }

            node = child;
        }

        return node;
    }

    public IEnumerable<FileNode> LiveFiles() => nodes.Values.Where(n => !n.IsFolder && IsLive(n));

    /// <summary>Entries put in the recycle bin themselves (not the descendants that went with them).</summary>
    public IEnumerable<FileNode> TrashedRoots() => nodes.Values.Where(n => n.Trashed);

    public long UsedBytes() => nodes.Values.Sum(n => n.Size);

    public FileNode CreateFolder(string parentId, string name, DateTimeOffset? at = null)
    {
        var now = at ?? time.GetUtcNow();
        return Add(new FileNode { Id = newId(), ParentId = parentId, Name = name, IsFolder = true, CreatedAt = now, UpdatedAt = now, Order = order++ });
    }

    public FileNode CreateFile(
        string parentId,
        string name,
        FileContent content,
        DateTimeOffset? at = null,
        string? id = null,
        DateTimeOffset? localCreatedAt = null,
        DateTimeOffset? localModifiedAt = null)
    {
        var now = at ?? time.GetUtcNow();
        return Add(new FileNode
        {
            Id = id ?? newId(),
            ParentId = parentId,
            Name = name,
            IsFolder = false,
            Content = content,
            CreatedAt = now,
            UpdatedAt = now,
            LocalCreatedAt = localCreatedAt,
            LocalModifiedAt = localModifiedAt,
            Order = order++,
        });
    }

    public string NewId() => newId();

    public void Rename(FileNode node, string name)
    {
        node.Name = name;
        node.UpdatedAt = time.GetUtcNow();
    }

    public void Move(FileNode node, string newParentId)
    {
        node.ParentId = newParentId;
        node.UpdatedAt = time.GetUtcNow();
    }

    /// <summary>Deep copy into <paramref name="destination"/> (this tree or another) with fresh ids; file content is shared (it is immutable).</summary>
    public FileNode CopyInto(FileNode source, FileTree destination, string newParentId, string name)
    {
        var now = time.GetUtcNow();
        var copy = source.IsFolder
            ? destination.CreateFolder(newParentId, name, now)
            : destination.CreateFile(newParentId, name, source.Content!, now);
        foreach (var child in LiveChildren(source.Id).OrderBy(n => n.Order).ToList())
        {
            CopyInto(child, destination, copy.Id, child.Name);
        }

        return copy;
    }

    public void Trash(FileNode node)
    {
        if (!nodes.ContainsKey(node.Id))
        {
            throw new InvalidOperationException("The node is not in this tree.");
        }

        node.Trashed = true;
    }

    /// <summary>Removes the node and everything below it, trashed or not.</summary>
    public void Delete(FileNode node)
    {
        foreach (var child in nodes.Values.Where(n => n.ParentId == node.Id).ToList())
        {
            Delete(child);
        }

        nodes.Remove(node.Id);
    }

    /// <summary>True if <paramref name="ancestor"/> is <paramref name="node"/> or one of its ancestors.</summary>
    public bool IsSelfOrAncestor(FileNode ancestor, FileNode node)
    {
        for (FileNode? current = node; current is not null; current = current.ParentId is null ? null : Get(current.ParentId))
        {
            if (current.Id == ancestor.Id)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>"a.txt" → "a(1).txt", "a(2).txt", … the first name no live sibling uses.</summary>
    public string FreeName(string parentId, string name)
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

    private FileNode Add(FileNode node)
    {
        nodes.Add(node.Id, node);
        if (node.ParentId is not null && nodes.TryGetValue(node.ParentId, out var parent))
        {
            parent.UpdatedAt = node.UpdatedAt;
        }

        return node;
    }
}
