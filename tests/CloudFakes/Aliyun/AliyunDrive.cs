using OpenList.DriverHost.CloudFakes.Shared;

namespace OpenList.DriverHost.CloudFakes.Aliyun;

/// <summary>One drive of an account: its tree and its unfinished uploads. Guarded by <see cref="AliyunFake.Gate"/>.</summary>
internal sealed class AliyunDrive(string driveId, string driveType, AliyunAccount account, FileTree tree)
{
    public string DriveId { get; } = driveId;

    public string DriveType { get; } = driveType;

    public AliyunAccount Account { get; } = account;

    public FileTree Tree { get; } = tree;

    public Dictionary<string, AliyunUploadSession> Uploads { get; } = new(StringComparer.Ordinal);
}

/// <summary>An upload between create and complete.</summary>
internal sealed class AliyunUploadSession
{
    public required string UploadId { get; init; }

    public required string FileId { get; init; }

    public required string ParentId { get; init; }

    public required string Name { get; init; }

    /// <summary>Only when the client sent one (OpenList sends size only with rapid upload).</summary>
    public long? DeclaredSize { get; init; }

    public DateTimeOffset? LocalCreatedAt { get; init; }

    public DateTimeOffset? LocalModifiedAt { get; init; }

    /// <summary>Part numbers announced in create or getUploadUrl; complete needs all of them.</summary>
    public SortedSet<int> DeclaredParts { get; } = [];

    public SortedDictionary<int, StoredBlob> Parts { get; } = [];

    /// <summary>The file already exists (proof accepted); complete only returns it.</summary>
    public bool Rapid { get; init; }

    public bool Completing { get; set; }
}

internal enum AliyunRateClass
{
    List,
    Link,
    Other,
}
