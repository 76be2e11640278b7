using System.Text.Json.Serialization;

namespace OpenList.DriverHost.Drivers.Open123.Models;

/// <summary><c>GET /api/v1/user/info</c>: the uid (signs direct links, keys the rate limiters) and the space figures.</summary>
internal sealed class Open123UserInfo
{
    [JsonPropertyName("uid")]
    public ulong Uid { get; set; }

    [JsonPropertyName("spaceUsed")]
    public long SpaceUsed { get; set; }

    [JsonPropertyName("spacePermanent")]
    public long SpacePermanent { get; set; }

    [JsonPropertyName("spaceTemp")]
    public long SpaceTemp { get; set; }
}

/// <summary><c>GET /api/v1/file/download_info</c>.</summary>
internal sealed class Open123DownloadInfo
{
    [JsonPropertyName("downloadUrl")]
    public string? DownloadUrl { get; set; }
}

/// <summary><c>GET /api/v1/direct-link/url</c>.</summary>
internal sealed class Open123DirectLinkUrl
{
    [JsonPropertyName("url")]
    public string? Url { get; set; }
}

/// <summary><c>POST /upload/v1/file/mkdir</c>: the new folder's id, when the server says it.</summary>
internal sealed class Open123MkdirResult
{
    [JsonPropertyName("dirID")]
    public long DirId { get; set; }
}

/// <summary><c>POST /upload/v2/file/create</c>: an instant upload (<c>reuse</c>) or where and how to send slices.</summary>
internal sealed class Open123CreateResult
{
    [JsonPropertyName("fileID")]
    public long FileId { get; set; }

    [JsonPropertyName("preuploadID")]
    public string? PreuploadId { get; set; }

    [JsonPropertyName("reuse")]
    public bool Reuse { get; set; }

    [JsonPropertyName("sliceSize")]
    public long SliceSize { get; set; }

    [JsonPropertyName("servers")]
    public List<string?>? Servers { get; set; }
}

/// <summary><c>POST /upload/v2/file/sha1_reuse</c>.</summary>
internal sealed class Open123ReuseResult
{
    [JsonPropertyName("fileID")]
    public long FileId { get; set; }

    [JsonPropertyName("reuse")]
    public bool Reuse { get; set; }
}

/// <summary><c>POST /upload/v2/file/upload_complete</c>: false several times before true is normal.</summary>
internal sealed class Open123CompleteResult
{
    [JsonPropertyName("completed")]
    public bool Completed { get; set; }

    [JsonPropertyName("fileID")]
    public long FileId { get; set; }
}

/// <summary><c>POST /api/v1/access_token</c> (developer credentials): <c>expiredAt</c> is RFC 3339.</summary>
internal sealed class Open123AccessTokenResult
{
    [JsonPropertyName("accessToken")]
    public string? AccessToken { get; set; }

    [JsonPropertyName("expiredAt")]
    public string? ExpiredAt { get; set; }
}

/// <summary>A <c>data</c> the driver does not read (null for move, rename, trash, slice).</summary>
internal sealed class Open123Ignored
{
}
