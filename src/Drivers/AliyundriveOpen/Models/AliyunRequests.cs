using System.Text.Json.Serialization;

namespace OpenList.DriverHost.Drivers.AliyundriveOpen.Models;

// Request bodies exactly as cloud-apis.md §2.5/§2.6 describe them: keys are sent even when their value is "".

internal sealed record AliyunListRequest(
    [property: JsonPropertyName("drive_id")] string DriveId,
    [property: JsonPropertyName("limit")] int Limit,
    [property: JsonPropertyName("marker")] string Marker,
    [property: JsonPropertyName("order_by")] string OrderBy,
    [property: JsonPropertyName("order_direction")] string OrderDirection,
    [property: JsonPropertyName("parent_file_id")] string ParentFileId);

/// <summary>Trash and delete.</summary>
internal sealed record AliyunFileRequest(
    [property: JsonPropertyName("drive_id")] string DriveId,
    [property: JsonPropertyName("file_id")] string FileId);

internal sealed record AliyunDownloadUrlRequest(
    [property: JsonPropertyName("drive_id")] string DriveId,
    [property: JsonPropertyName("file_id")] string FileId,
    [property: JsonPropertyName("expire_sec")] int ExpireSec);

internal sealed record AliyunCreateFolderRequest(
    [property: JsonPropertyName("drive_id")] string DriveId,
    [property: JsonPropertyName("parent_file_id")] string ParentFileId,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("check_name_mode")] string CheckNameMode);

internal sealed record AliyunUpdateRequest(
    [property: JsonPropertyName("drive_id")] string DriveId,
    [property: JsonPropertyName("file_id")] string FileId,
    [property: JsonPropertyName("name")] string Name);

internal sealed record AliyunMoveRequest(
    [property: JsonPropertyName("drive_id")] string DriveId,
    [property: JsonPropertyName("file_id")] string FileId,
    [property: JsonPropertyName("to_parent_file_id")] string ToParentFileId,
    [property: JsonPropertyName("check_name_mode")] string CheckNameMode);

internal sealed record AliyunCopyRequest(
    [property: JsonPropertyName("drive_id")] string DriveId,
    [property: JsonPropertyName("file_id")] string FileId,
    [property: JsonPropertyName("to_parent_file_id")] string ToParentFileId,
    [property: JsonPropertyName("auto_rename")] bool AutoRename);

internal sealed record AliyunPartNumber([property: JsonPropertyName("part_number")] int PartNumber);

/// <summary>Upload create (§2.6). The optional members are left out when null (no <c>size</c> without rapid upload).</summary>
internal sealed record AliyunCreateFileRequest
{
    [JsonPropertyName("drive_id")]
    public required string DriveId { get; init; }

    [JsonPropertyName("parent_file_id")]
    public required string ParentFileId { get; init; }

    [JsonPropertyName("name")]
    public required string Name { get; init; }

    [JsonPropertyName("type")]
    public string Type { get; init; } = "file";

    [JsonPropertyName("check_name_mode")]
    public string CheckNameMode { get; init; } = "ignore";

    [JsonPropertyName("local_modified_at")]
    public required string LocalModifiedAt { get; init; }

    [JsonPropertyName("local_created_at")]
    public required string LocalCreatedAt { get; init; }

    [JsonPropertyName("part_info_list")]
    public required IReadOnlyList<AliyunPartNumber> PartInfoList { get; init; }

    [JsonPropertyName("size")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Size { get; init; }

    [JsonPropertyName("pre_hash")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PreHash { get; init; }

    [JsonPropertyName("content_hash")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ContentHash { get; init; }

    [JsonPropertyName("content_hash_name")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ContentHashName { get; init; }

    [JsonPropertyName("proof_code")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ProofCode { get; init; }

    [JsonPropertyName("proof_version")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ProofVersion { get; init; }
}

internal sealed record AliyunGetUploadUrlRequest(
    [property: JsonPropertyName("drive_id")] string DriveId,
    [property: JsonPropertyName("file_id")] string FileId,
    [property: JsonPropertyName("upload_id")] string UploadId,
    [property: JsonPropertyName("part_info_list")] IReadOnlyList<AliyunPartNumber> PartInfoList);

internal sealed record AliyunCompleteRequest(
    [property: JsonPropertyName("drive_id")] string DriveId,
    [property: JsonPropertyName("file_id")] string FileId,
    [property: JsonPropertyName("upload_id")] string UploadId);

/// <summary><c>/oauth/access_token</c> with the user's own keys.</summary>
internal sealed record AliyunTokenRequest(
    [property: JsonPropertyName("client_id")] string ClientId,
    [property: JsonPropertyName("client_secret")] string ClientSecret,
    [property: JsonPropertyName("grant_type")] string GrantType,
    [property: JsonPropertyName("refresh_token"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? RefreshToken,
    [property: JsonPropertyName("code"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Code = null);
