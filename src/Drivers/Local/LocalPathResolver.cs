namespace OpenList.DriverHost.Drivers.Local;

/// <summary>
/// Maps storage paths onto the host file system below one root folder, resolving symbolic links itself so that
/// nothing outside the root is ever reached: a link (at any segment) whose final target lies outside the root
/// marks the path as escaping, and the driver then refuses it.
/// </summary>
internal sealed class LocalPathResolver
{
    /// <summary>Same limit as Linux's <c>MAXSYMLINKS</c>; more hops count as a loop.</summary>
    private const int MaxLinkHops = 40;

    private static readonly char[] Separators = [Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar];

    private readonly string _rootWithSeparator;

    /// <param name="rootRealPath">The root folder with every link already resolved (<see cref="GetRealPath"/>).</param>
    public LocalPathResolver(string rootRealPath)
    {
        RootPath = rootRealPath;
        _rootWithSeparator = Path.EndsInDirectorySeparator(rootRealPath) ? rootRealPath : rootRealPath + Path.DirectorySeparatorChar;
    }

    /// <summary>The real (link-free) absolute path of the storage root.</summary>
    public string RootPath { get; }

    /// <summary>Host paths compare case-sensitively except where the usual file system does not.</summary>
    public static StringComparison PathComparison { get; } =
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    /// <summary>Whether a real host path is the root or lies below it.</summary>
    public bool IsInsideRoot(string realPath) =>
        string.Equals(realPath, RootPath, PathComparison) || realPath.StartsWith(_rootWithSeparator, PathComparison);

    /// <summary>Resolves <paramref name="path"/>. Never throws for missing entries: existence is the caller's question.</summary>
    public LocalResolvedPath Resolve(StoragePath path)
    {
        if (path.IsRoot)
        {
            return new LocalResolvedPath(path, RootPath, RootPath, IsLink: false, Escapes: false);
        }

        var segments = path.Segments;
        var hops = 0;
        var directory = RootPath;
        for (var i = 0; i < segments.Count - 1; i++)
        {
            var next = Step(directory, segments[i], ref hops);
            if (next is null || !IsInsideRoot(next))
            {
                return new LocalResolvedPath(path, Path.Join(RootPath, path.Value), Path.Join(RootPath, path.Value), IsLink: false, Escapes: true);
            }

            directory = next;
        }

        var hostPath = Path.Join(directory, segments[^1]);
        var target = ReadLink(hostPath);
        if (target is null)
        {
            return new LocalResolvedPath(path, hostPath, hostPath, IsLink: false, Escapes: false);
        }

        var real = Follow(directory, target, ref hops);
        return new LocalResolvedPath(path, hostPath, real ?? hostPath, IsLink: true, Escapes: real is null || !IsInsideRoot(real));
    }

    /// <summary>
    /// For an entry found while enumerating <paramref name="directoryRealPath"/>: the real path a link named
    /// <paramref name="name"/> leads to, or null when it is not a link. <paramref name="escapes"/> is true when it leads outside the root or loops.
    /// </summary>
    public string? ResolveChildLink(string directoryRealPath, string name, out bool escapes)
    {
        escapes = false;
        var target = ReadLink(Path.Join(directoryRealPath, name));
        if (target is null)
        {
            return null;
        }

        var hops = 0;
        var real = Follow(directoryRealPath, target, ref hops);
        escapes = real is null || !IsInsideRoot(real);
        return real;
    }

    /// <summary>The absolute path with every symbolic link resolved (like <c>realpath</c>); missing tails are kept as written.</summary>
    /// <exception cref="IOException">Too many levels of symbolic links.</exception>
    public static string GetRealPath(string absolutePath)
    {
        var start = Path.GetPathRoot(absolutePath);
        if (string.IsNullOrEmpty(start))
        {
            throw new ArgumentException("an absolute path is required", nameof(absolutePath));
        }

        var hops = 0;
        return Follow(start, absolutePath[start.Length..], ref hops) ?? throw new IOException("too many levels of symbolic links");
    }

    /// <summary>Resolves one name inside a real directory; null on a link loop.</summary>
    private static string? Step(string directory, string name, ref int hops)
    {
        var next = Path.Join(directory, name);
        var target = ReadLink(next);
        return target is null ? next : Follow(directory, target, ref hops);
    }

    /// <summary>Walks <paramref name="relative"/> (or an absolute link target) from the real directory <paramref name="directory"/>.</summary>
    private static string? Follow(string directory, string relative, ref int hops)
    {
        var pending = new Stack<string>();
        var current = directory;
        Push(pending, ref current, relative);
        while (pending.Count > 0)
        {
            var segment = pending.Pop();
            if (segment.Length == 0 || segment == ".")
            {
                continue;
            }

            if (segment == "..")
            {
                current = Path.GetDirectoryName(current) ?? current;
                continue;
            }

            var next = Path.Join(current, segment);
            var target = ReadLink(next);
            if (target is null)
            {
                current = next;
                continue;
            }

            if (++hops > MaxLinkHops)
            {
                return null;
            }

            Push(pending, ref current, target);
        }

        return current;
    }

    /// <summary>Queues the segments of <paramref name="path"/>; an absolute path restarts from its file-system root.</summary>
    private static void Push(Stack<string> pending, ref string current, string path)
    {
        if (Path.IsPathRooted(path))
        {
            var root = Path.GetPathRoot(path)!;
            current = root;
            path = path[root.Length..];
        }

        var parts = path.Split(Separators);
        for (var i = parts.Length - 1; i >= 0; i--)
        {
            pending.Push(parts[i]);
        }
    }

    /// <summary>The target text of a symbolic link, or null when <paramref name="path"/> is not one (or does not exist).</summary>
    private static string? ReadLink(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}

/// <summary>A storage path mapped onto the host.</summary>
/// <param name="Path">The storage path, for messages.</param>
/// <param name="HostPath">The directory entry itself (a link is not followed): what delete and move act on.</param>
/// <param name="RealPath">Where the entry finally leads after links: what reads and writes of content act on.</param>
/// <param name="IsLink">The last segment is a symbolic link.</param>
/// <param name="Escapes">Some segment leads outside the root (or loops): the path must be refused.</param>
internal readonly record struct LocalResolvedPath(StoragePath Path, string HostPath, string RealPath, bool IsLink, bool Escapes);
