namespace OpenList.DriverHost.Drivers;

/// <summary>A file or directory as a driver reports it.</summary>
/// <param name="Path">The entry's path inside the storage.</param>
/// <param name="IsDirectory">True for directories.</param>
/// <param name="Size">Bytes for files; 0 for directories.</param>
/// <param name="LastModified">Modification time, UTC.</param>
/// <param name="Created">Creation time when the provider knows it.</param>
/// <param name="Id">The provider's id for id-addressed clouds; null for path-addressed drivers.</param>
public sealed record StorageEntry(
    StoragePath Path,
    bool IsDirectory,
    long Size,
    DateTimeOffset LastModified,
    DateTimeOffset? Created = null,
    string? Id = null)
{
    public string Name => Path.Name;

    /// <summary>Known content hashes, lower-case hex, keyed by <see cref="HashNames"/> constants.</summary>
    public IReadOnlyDictionary<string, string> Hashes { get; init; } = EmptyHashes;

    private static readonly IReadOnlyDictionary<string, string> EmptyHashes = new Dictionary<string, string>();
}

/// <summary>Hash names as they appear in <see cref="StorageEntry.Hashes"/> and in <c>oc:checksums</c> (upper-cased there).</summary>
public static class HashNames
{
    public const string Md5 = "md5";
    public const string Sha1 = "sha1";
    public const string Sha256 = "sha256";
}
