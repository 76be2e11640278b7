namespace OpenList.DriverHost.WebDav.Store;

/// <summary>A resource as the store describes it to the protocol layer.</summary>
/// <param name="Path">Its path below the DAV prefix.</param>
/// <param name="IsCollection">True for collections.</param>
/// <param name="Length">Bytes for files; 0 for collections.</param>
/// <param name="LastModified">UTC modification time.</param>
/// <param name="Created">UTC creation time, when known.</param>
/// <param name="ETag">A quoted entity tag (<c>"…"</c> or <c>W/"…"</c>), or null when the store cannot give one.</param>
public sealed record DavItem(DavPath Path, bool IsCollection, long Length, DateTimeOffset LastModified, DateTimeOffset? Created, string? ETag)
{
    /// <summary>The MIME type for files; null lets the protocol layer guess from the extension.</summary>
    public string? ContentType { get; init; }

    /// <summary>Known checksums keyed by algorithm in upper case (<c>SHA1</c>, <c>MD5</c>), hex values; written as <c>oc:checksums</c>.</summary>
    public IReadOnlyDictionary<string, string>? Checksums { get; init; }

    /// <summary>True when no write may target this resource itself (virtual mount parents).</summary>
    public bool IsReadOnly { get; init; }
}

/// <summary>RFC 4331 quota figures; either may be unknown.</summary>
public sealed record DavQuota(long? UsedBytes, long? AvailableBytes);
