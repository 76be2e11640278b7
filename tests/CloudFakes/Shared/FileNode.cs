namespace OpenList.DriverHost.CloudFakes.Shared;

/// <summary>One folder or file in a fake drive. Mutated only under the owning provider's lock.</summary>
internal sealed class FileNode
{
    public required string Id { get; init; }

    /// <summary>Null only for the root.</summary>
    public required string? ParentId { get; set; }

    public required string Name { get; set; }

    public required bool IsFolder { get; init; }

    /// <summary>Null for folders.</summary>
    public FileContent? Content { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Timestamps the uploader claimed (providers that accept them echo them back).</summary>
    public DateTimeOffset? LocalCreatedAt { get; init; }

    public DateTimeOffset? LocalModifiedAt { get; init; }

    /// <summary>In the recycle bin (its descendants are hidden with it).</summary>
    public bool Trashed { get; set; }

    /// <summary>Creation order: when names repeat, path lookups resolve to the oldest entry.</summary>
    public required long Order { get; init; }

    public long Size => Content?.Length ?? 0;

    public FileSnapshot Snapshot() =>
        new(Id, ParentId ?? "", Name, IsFolder, Size, Content, CreatedAt, UpdatedAt, LocalCreatedAt, LocalModifiedAt);
}

/// <summary>An immutable copy of a node taken under the lock, so responses can be built (and hashes awaited) outside it.</summary>
internal sealed record FileSnapshot(
    string Id,
    string ParentId,
    string Name,
    bool IsFolder,
    long Size,
    FileContent? Content,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? LocalCreatedAt,
    DateTimeOffset? LocalModifiedAt);
