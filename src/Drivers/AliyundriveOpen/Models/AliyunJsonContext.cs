using System.Text.Json.Serialization;

namespace OpenList.DriverHost.Drivers.AliyundriveOpen.Models;

/// <summary>
/// Source-generated serialisation of every wire type. Reading is lenient (numbers may arrive as strings, unknown
/// fields are ignored); writing leaves nothing out unless a member says so.
/// </summary>
[JsonSourceGenerationOptions(
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    PropertyNameCaseInsensitive = true,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(AliyunFile))]
[JsonSerializable(typeof(AliyunListResponse))]
[JsonSerializable(typeof(AliyunDriveInfo))]
[JsonSerializable(typeof(AliyunSpaceInfo))]
[JsonSerializable(typeof(AliyunDownloadUrl))]
[JsonSerializable(typeof(AliyunMoveResult))]
[JsonSerializable(typeof(AliyunUploadUrls))]
[JsonSerializable(typeof(AliyunError))]
[JsonSerializable(typeof(AliyunTokenResponse))]
[JsonSerializable(typeof(AliyunIgnored))]
[JsonSerializable(typeof(AliyunListRequest))]
[JsonSerializable(typeof(AliyunFileRequest))]
[JsonSerializable(typeof(AliyunDownloadUrlRequest))]
[JsonSerializable(typeof(AliyunCreateFolderRequest))]
[JsonSerializable(typeof(AliyunUpdateRequest))]
[JsonSerializable(typeof(AliyunMoveRequest))]
[JsonSerializable(typeof(AliyunCopyRequest))]
[JsonSerializable(typeof(AliyunCreateFileRequest))]
[JsonSerializable(typeof(AliyunGetUploadUrlRequest))]
[JsonSerializable(typeof(AliyunCompleteRequest))]
[JsonSerializable(typeof(AliyunTokenRequest))]
internal sealed partial class AliyunJsonContext : JsonSerializerContext
{
}
