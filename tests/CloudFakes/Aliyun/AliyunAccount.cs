using OpenList.DriverHost.CloudFakes.Aliyun;
using OpenList.DriverHost.CloudFakes.Shared;

namespace OpenList.DriverHost.CloudFakes;

/// <summary>
/// One Aliyun user. Drive types are "default", "resource" and "backup"; paths are '/'-separated from the drive
/// root ("/" is the root, whose file_id is "root"). Seeding creates missing parent folders.
/// </summary>
public sealed class AliyunAccount
{
    internal static readonly string[] DriveTypes = ["default", "resource", "backup"];

    private readonly AliyunFake fake;
    private readonly IReadOnlyDictionary<string, AliyunDrive> drives;

    internal AliyunAccount(AliyunFake fake, string userId, string name, IReadOnlyDictionary<string, AliyunDrive> drives)
    {
        this.fake = fake;
        this.drives = drives;
        UserId = userId;
        Name = name;
    }

    public string UserId { get; }

    public string Name { get; }

    /// <summary>Reported by getSpaceInfo (default 1 TiB). Uploads are not refused when it is exceeded.</summary>
    public long TotalSize { get; set; } = 1L << 40;

    /// <summary>Names of the entries put in the recycle bin, across all drives.</summary>
    public IReadOnlyList<string> RecycleBin
    {
        get
        {
            lock (fake.Gate)
            {
                return drives.Values.SelectMany(d => d.Tree.TrashedRoots()).OrderBy(n => n.Order).Select(n => n.Name).ToList();
            }
        }
    }

    internal IEnumerable<AliyunDrive> Drives => drives.Values;

    public string DriveId(string driveType) => Drive(driveType).DriveId;

    /// <summary>Creates the folder (and missing parents); returns its file_id. Existing folders are reused.</summary>
    public string AddFolder(string driveType, string path)
    {
        lock (fake.Gate)
        {
            return EnsureFolder(Drive(driveType).Tree, FakePath.Split(path)).Id;
        }
    }

    /// <summary>Adds a file (replacing a file of the same name); returns its file_id.</summary>
    public string AddFile(string driveType, string path, byte[] content, DateTimeOffset? modified = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        return Add(driveType, path, new BytesContent(content.ToArray()), modified);
    }

    /// <summary>Adds a file of <paramref name="size"/> bytes of <see cref="SyntheticContent"/> for <paramref name="seed"/>; costs no memory.</summary>
    public string AddSyntheticFile(string driveType, string path, long size, long seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        return Add(driveType, path, new SyntheticFileContent(seed, size), modified: null);
    }

    public bool Exists(string driveType, string path) => FileId(driveType, path) is not null;

    /// <summary>The file_id at the path (the oldest entry when names repeat), or null.</summary>
    public string? FileId(string driveType, string path)
    {
        lock (fake.Gate)
        {
            return Drive(driveType).Tree.ResolveLivePath(path)?.Id;
        }
    }

    public Stream OpenRead(string driveType, string path) => ContentAt(driveType, path).OpenRead();

    public byte[] ReadAll(string driveType, string path)
    {
        var content = ContentAt(driveType, path);
        return content.ReadRange(0, checked((int)content.Length));
    }

    /// <summary>Upload sessions created and not completed (the real service expires them after a while).</summary>
    public int OpenUploadCount(string driveType) => Drive(driveType).Uploads.Count;

    internal AliyunDrive Drive(string driveType) =>
        drives.TryGetValue(driveType, out var drive)
            ? drive
            : throw new ArgumentException($"Drive type must be one of {string.Join(", ", DriveTypes)}.", nameof(driveType));

    private string Add(string driveType, string path, FileContent content, DateTimeOffset? modified)
    {
        var segments = FakePath.Split(path);
        if (segments.Length == 0)
        {
            throw new ArgumentException("A file path needs a name.", nameof(path));
        }

        lock (fake.Gate)
        {
            var tree = Drive(driveType).Tree;
            var parent = EnsureFolder(tree, segments[..^1]);
            if (tree.FindLiveChild(parent.Id, segments[^1]) is { } existing)
            {
                if (existing.IsFolder)
                {
                    throw new InvalidOperationException($"'{path}' is a folder.");
                }

                tree.Delete(existing);
            }

            return tree.CreateFile(parent.Id, segments[^1], content, modified).Id;
        }
    }

    private static FileNode EnsureFolder(FileTree tree, IEnumerable<string> segments)
    {
        var folder = tree.Root;
        foreach (var segment in segments)
        {
            var child = tree.FindLiveChild(folder.Id, segment);
            if (child is { IsFolder: false })
            {
                throw new InvalidOperationException($"'{segment}' is a file, not a folder.");
            }

            folder = child ?? tree.CreateFolder(folder.Id, segment);
        }

        return folder;
    }

    private FileContent ContentAt(string driveType, string path)
    {
        lock (fake.Gate)
        {
            var node = Drive(driveType).Tree.ResolveLivePath(path);
            return node is { IsFolder: false, Content: { } content }
                ? content
                : throw new FileNotFoundException($"No file at '{path}' in the {driveType} drive.");
        }
    }
}
