using System.Text.Json.Serialization;
using OpenList.DriverHost.Drivers.Json;

namespace OpenList.DriverHost.Drivers.DiskTop.Models;

/// <summary><c>GET /v1/files</c> data.</summary>
internal sealed class DiskTopListData
{
    [JsonPropertyName("folders")]
    public List<DiskTopItem?>? Folders { get; set; }

    [JsonPropertyName("files")]
    public List<DiskTopItem?>? Files { get; set; }

    /// <summary>Entries under the path in total (folders and files together, per the documented example).</summary>
    [JsonPropertyName("total")]
    [JsonConverter(typeof(FlexibleInt64Converter))]
    public long? Total { get; set; }
}

/// <summary><c>GET /v1/files/{id}/download</c> data: a signed, Range-capable URL.</summary>
internal sealed class DiskTopDownload
{
    [JsonPropertyName("url")]
    public string? Url { get; set; }

    /// <summary>Seconds the URL stays valid (documented default 600).</summary>
    [JsonPropertyName("expires_in")]
    [JsonConverter(typeof(FlexibleInt64Converter))]
    public long? ExpiresIn { get; set; }
}

/// <summary><c>POST /v1/files/folder</c> data.</summary>
internal sealed class DiskTopFolderCreated
{
    [JsonPropertyName("folder_id")]
    [JsonConverter(typeof(FlexibleInt64Converter))]
    public long? FolderId { get; set; }
}

/// <summary><c>GET /v1/user/quota</c> data.</summary>
internal sealed class DiskTopQuota
{
    [JsonPropertyName("total_bytes")]
    [JsonConverter(typeof(FlexibleInt64Converter))]
    public long? TotalBytes { get; set; }

    [JsonPropertyName("used_bytes")]
    [JsonConverter(typeof(FlexibleInt64Converter))]
    public long? UsedBytes { get; set; }

    [JsonPropertyName("free_bytes")]
    [JsonConverter(typeof(FlexibleInt64Converter))]
    public long? FreeBytes { get; set; }
}

/// <summary><c>GET /v1/user/info</c> data (only what the driver shows).</summary>
internal sealed class DiskTopUserInfo
{
    [JsonPropertyName("uid")]
    [JsonConverter(typeof(FlexibleInt64Converter))]
    public long? Uid { get; set; }

    [JsonPropertyName("username")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? Username { get; set; }
}

/// <summary><c>POST /v1/files/upload/precreate</c> data: an instant-upload hit, or an upload session.</summary>
internal sealed class DiskTopPrecreate
{
    [JsonPropertyName("instant_upload")]
    [JsonConverter(typeof(FlexibleBoolConverter))]
    public bool InstantUpload { get; set; }

    [JsonPropertyName("file_id")]
    [JsonConverter(typeof(FlexibleInt64Converter))]
    public long? FileId { get; set; }

    [JsonPropertyName("upload_id")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? UploadId { get; set; }

    [JsonPropertyName("endpoint")]
    public string? Endpoint { get; set; }

    [JsonPropertyName("chunk_size")]
    [JsonConverter(typeof(FlexibleInt64Converter))]
    public long? ChunkSize { get; set; }

    [JsonPropertyName("total_parts")]
    [JsonConverter(typeof(FlexibleInt64Converter))]
    public long? TotalParts { get; set; }
}

/// <summary><c>POST {endpoint}/u/{upload_id}/complete</c> data.</summary>
internal sealed class DiskTopCompleted
{
    [JsonPropertyName("file_id")]
    [JsonConverter(typeof(FlexibleInt64Converter))]
    public long? FileId { get; set; }

    [JsonPropertyName("path")]
    public string? Path { get; set; }

    [JsonPropertyName("size")]
    [JsonConverter(typeof(FlexibleInt64Converter))]
    public long? Size { get; set; }

    [JsonPropertyName("md5")]
    public string? Md5 { get; set; }
}

/// <summary>
/// <c>/oauth/token</c> and <c>/oauth/device-token</c>: the token JSON (RFC 6749 §5.1) or an RFC-style error
/// (<c>error</c>, <c>error_description</c>). Read from the top level or, should the API envelope wrap it, from <c>data</c>.
/// </summary>
internal sealed class DiskTopTokenResponse
{
    [JsonPropertyName("access_token")]
    public string? AccessToken { get; set; }

    [JsonPropertyName("refresh_token")]
    public string? RefreshToken { get; set; }

    [JsonPropertyName("expires_in")]
    [JsonConverter(typeof(FlexibleInt64Converter))]
    public long? ExpiresIn { get; set; }

    [JsonPropertyName("error")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? Error { get; set; }

    [JsonPropertyName("error_description")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? ErrorDescription { get; set; }
}

/// <summary><c>POST /oauth/device-code</c>.</summary>
internal sealed class DiskTopDeviceCode
{
    [JsonPropertyName("device_code")]
    public string? DeviceCode { get; set; }

    [JsonPropertyName("user_code")]
    public string? UserCode { get; set; }

    [JsonPropertyName("verification_uri")]
    public string? VerificationUri { get; set; }

    [JsonPropertyName("verification_uri_complete")]
    public string? VerificationUriComplete { get; set; }

    [JsonPropertyName("expires_in")]
    [JsonConverter(typeof(FlexibleInt64Converter))]
    public long? ExpiresIn { get; set; }

    [JsonPropertyName("interval")]
    [JsonConverter(typeof(FlexibleInt64Converter))]
    public long? Interval { get; set; }

    [JsonPropertyName("error")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? Error { get; set; }

    [JsonPropertyName("error_description")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? ErrorDescription { get; set; }
}
