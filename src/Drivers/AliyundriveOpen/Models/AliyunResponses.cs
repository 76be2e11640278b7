using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenList.DriverHost.Drivers.AliyundriveOpen.Models;

/// <summary><c>openFile/list</c>: one page and the marker of the next (empty on the last page).</summary>
internal sealed class AliyunListResponse
{
    [JsonPropertyName("items")]
    public List<AliyunFile?>? Items { get; set; }

    [JsonPropertyName("next_marker")]
    public string? NextMarker { get; set; }
}

/// <summary><c>user/getDriveInfo</c>; the drive ids are read by name (<c>&lt;drive_type&gt;_drive_id</c>) from <see cref="Extra"/>.</summary>
internal sealed class AliyunDriveInfo
{
    [JsonPropertyName("user_id")]
    public string? UserId { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }

    public string? DriveId(string driveType) =>
        Extra is not null && Extra.TryGetValue(driveType + "_drive_id", out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;
}

/// <summary><c>user/getSpaceInfo</c>.</summary>
internal sealed class AliyunSpaceInfo
{
    [JsonPropertyName("personal_space_info")]
    public AliyunPersonalSpace? PersonalSpaceInfo { get; set; }
}

internal sealed class AliyunPersonalSpace
{
    [JsonPropertyName("total_size")]
    public long? TotalSize { get; set; }

    [JsonPropertyName("used_size")]
    public long? UsedSize { get; set; }
}

/// <summary><c>openFile/getDownloadUrl</c>: <c>url</c>, or for live photos <c>streamsUrl.jpeg</c> / <c>.mov</c>.</summary>
internal sealed class AliyunDownloadUrl
{
    [JsonPropertyName("url")]
    public string? Url { get; set; }

    [JsonPropertyName("expiration")]
    public string? Expiration { get; set; }

    [JsonPropertyName("streamsUrl")]
    public Dictionary<string, string?>? StreamsUrl { get; set; }
}

/// <summary><c>openFile/move</c> and <c>openFile/copy</c>: the (possibly new) id of the moved or copied entry.</summary>
internal sealed class AliyunMoveResult
{
    [JsonPropertyName("file_id")]
    public string? FileId { get; set; }

    [JsonPropertyName("exist")]
    public bool? Exist { get; set; }
}

/// <summary><c>openFile/getUploadUrl</c>.</summary>
internal sealed class AliyunUploadUrls
{
    [JsonPropertyName("part_info_list")]
    public List<AliyunPartInfo>? PartInfoList { get; set; }
}

/// <summary>An error body: <c>{code, message}</c> (a <c>requestId</c> may come along).</summary>
internal sealed class AliyunError
{
    [JsonPropertyName("code")]
    public string? Code { get; set; }

    [JsonPropertyName("message")]
    public string? Message { get; set; }
}

/// <summary><c>/oauth/access_token</c> with the user's own client id and secret.</summary>
internal sealed class AliyunTokenResponse
{
    [JsonPropertyName("access_token")]
    public string? AccessToken { get; set; }

    [JsonPropertyName("refresh_token")]
    public string? RefreshToken { get; set; }

    [JsonPropertyName("expires_in")]
    public long? ExpiresIn { get; set; }
}

/// <summary>A response whose body the driver ignores (trash, delete).</summary>
internal sealed class AliyunIgnored
{
}
