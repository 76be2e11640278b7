using System.Globalization;
using System.Text.Json.Serialization;

namespace OpenList.DriverHost.Drivers.AliyundriveOpen.Models;

/// <summary>
/// A file object (cloud-apis.md §2.5) as list, create, update and complete return it. Every field may be absent;
/// create responses name it <c>file_name</c> instead of <c>name</c>; timestamps are RFC 3339 strings, read leniently.
/// </summary>
internal sealed class AliyunFile
{
    [JsonPropertyName("drive_id")]
    public string? DriveId { get; set; }

    [JsonPropertyName("file_id")]
    public string? FileId { get; set; }

    [JsonPropertyName("parent_file_id")]
    public string? ParentFileId { get; set; }

    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("file_name")]
    public string? FileName { get; set; }

    [JsonPropertyName("size")]
    public long? Size { get; set; }

    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("content_hash")]
    public string? ContentHash { get; set; }

    [JsonPropertyName("content_hash_name")]
    public string? ContentHashName { get; set; }

    [JsonPropertyName("created_at")]
    public string? CreatedAt { get; set; }

    [JsonPropertyName("updated_at")]
    public string? UpdatedAt { get; set; }

    /// <summary>Create and complete of a rapid upload.</summary>
    [JsonPropertyName("rapid_upload")]
    public bool? RapidUpload { get; set; }

    /// <summary>Create: the multipart upload's id.</summary>
    [JsonPropertyName("upload_id")]
    public string? UploadId { get; set; }

    /// <summary>Create: where each part goes.</summary>
    [JsonPropertyName("part_info_list")]
    public List<AliyunPartInfo>? PartInfoList { get; set; }

    /// <summary>Create with <c>check_name_mode: refuse</c>: an entry of that name was there already.</summary>
    [JsonPropertyName("exist")]
    public bool? Exist { get; set; }

    [JsonIgnore]
    public string DisplayName => !string.IsNullOrEmpty(Name) ? Name : FileName ?? string.Empty;

    [JsonIgnore]
    public bool IsFolder => string.Equals(Type, "folder", StringComparison.Ordinal);

    [JsonIgnore]
    public DateTimeOffset? Updated => ParseTime(UpdatedAt);

    [JsonIgnore]
    public DateTimeOffset? Created => ParseTime(CreatedAt);

    internal static DateTimeOffset? ParseTime(string? value) =>
        !string.IsNullOrWhiteSpace(value)
        && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
            ? parsed
            : null;
}

/// <summary>One entry of <c>part_info_list</c>.</summary>
internal sealed class AliyunPartInfo
{
    [JsonPropertyName("part_number")]
    public int PartNumber { get; set; }

    [JsonPropertyName("upload_url")]
    public string? UploadUrl { get; set; }

    [JsonPropertyName("part_size")]
    public long? PartSize { get; set; }

    [JsonPropertyName("etag")]
    public string? ETag { get; set; }
}
