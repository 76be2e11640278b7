namespace OpenList.DriverHost.Mounts;

/// <summary>
/// The enabled mounts, resolved OpenList's way: the longest segment-aligned mount-path prefix owns a path
/// (<c>/a/b</c> does not match <c>/ab</c>); parents of nested mounts appear as read-only virtual folders, ordered
/// by <c>order</c> then mount path.
/// </summary>
public sealed class MountTable
{
    private readonly Mount[] _byDepth;
    private readonly Mount[] _ordered;

    public MountTable(IEnumerable<Mount> mounts)
    {
        _ordered = mounts.OrderBy(m => m.Record.Order).ThenBy(m => m.MountPath, StringComparer.Ordinal).ToArray();
        _byDepth = _ordered.OrderByDescending(m => m.MountPath == "/" ? 0 : m.MountPath.Count(c => c == '/')).ToArray();
    }

    public IReadOnlyList<Mount> Mounts => _ordered;

    /// <summary>The mount owning <paramref name="path"/> and the rest of the path inside it ("/" for its root).</summary>
    public (Mount Mount, string Relative)? Resolve(string path)
    {
        foreach (var mount in _byDepth)
        {
            if (mount.MountPath == "/")
            {
                return (mount, path);
            }

            if (path == mount.MountPath)
            {
                return (mount, "/");
            }

            if (path.StartsWith(mount.MountPath + "/", StringComparison.Ordinal))
            {
                return (mount, path[mount.MountPath.Length..]);
            }
        }

        return null;
    }

    /// <summary>
    /// Virtual children of <paramref name="path"/>: the next segment of every mount below it, first occurrence
    /// wins, with the mount when that segment is itself a mount point.
    /// </summary>
    public IReadOnlyList<VirtualChild> VirtualChildren(string path)
    {
        var prefix = path == "/" ? "/" : path + "/";
        var result = new List<VirtualChild>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var mount in _ordered)
        {
            if (mount.MountPath.Length <= prefix.Length || !mount.MountPath.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var rest = mount.MountPath[prefix.Length..];
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            var name = slash < 0 ? rest : rest[..slash];
            if (seen.Add(name))
            {
                result.Add(new VirtualChild(name, slash < 0 ? mount : null, mount.Modified));
            }
        }

        return result;
    }

    /// <summary>True when some mount lies strictly below <paramref name="path"/>.</summary>
    public bool HasMountsBelow(string path)
    {
        var prefix = path == "/" ? "/" : path + "/";
        return _ordered.Any(m => m.MountPath.Length > prefix.Length && m.MountPath.StartsWith(prefix, StringComparison.Ordinal));
    }

    public Mount? MountAt(string path) => _ordered.FirstOrDefault(m => m.MountPath == path);
}

/// <summary>A folder that exists because a mount lies at or below it.</summary>
/// <param name="Name">The segment name.</param>
/// <param name="MountPoint">The mount when this folder is its root; null for an intermediate segment.</param>
/// <param name="Modified">The storage's modification time.</param>
public sealed record VirtualChild(string Name, Mount? MountPoint, DateTimeOffset Modified);
