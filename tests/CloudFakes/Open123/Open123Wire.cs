using System.Text.Json.Serialization;

namespace OpenList.DriverHost.CloudFakes.Open123;

/// <summary>A <c>fileList[]</c> entry of <c>/api/v2/file/list</c> (documented names and types).</summary>
internal sealed record Open123ListEntry(
    [property: JsonPropertyName("fileId")] long FileId,
    [property: JsonPropertyName("filename")] string Filename,
    [property: JsonPropertyName("parentFileId")] long ParentFileId,
    [property: JsonPropertyName("type")] int Type,
    [property: JsonPropertyName("etag")] string Etag,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("category")] int Category,
    [property: JsonPropertyName("status")] int Status,
    [property: JsonPropertyName("punishFlag")] int PunishFlag,
    [property: JsonPropertyName("s3KeyFlag")] string S3KeyFlag,
    [property: JsonPropertyName("storageNode")] string StorageNode,
    [property: JsonPropertyName("trashed")] int Trashed,
    [property: JsonPropertyName("createAt")] string CreateAt,
    [property: JsonPropertyName("updateAt")] string UpdateAt);

internal sealed record Open123ListData(
    [property: JsonPropertyName("lastFileId")] long LastFileId,
    [property: JsonPropertyName("fileList")] IReadOnlyList<Open123ListEntry> FileList);

/// <summary><c>/api/v1/file/detail</c> (note <c>fileID</c> / <c>parentFileID</c>).</summary>
internal sealed record Open123DetailData(
    [property: JsonPropertyName("fileID")] long FileId,
    [property: JsonPropertyName("filename")] string Filename,
    [property: JsonPropertyName("type")] int Type,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("etag")] string Etag,
    [property: JsonPropertyName("status")] int Status,
    [property: JsonPropertyName("parentFileID")] long ParentFileId,
    [property: JsonPropertyName("createAt")] string CreateAt,
    [property: JsonPropertyName("trashed")] int Trashed);

internal sealed record Open123UserInfo(
    [property: JsonPropertyName("uid")] long Uid,
    [property: JsonPropertyName("nickname")] string Nickname,
    [property: JsonPropertyName("headImage")] string HeadImage,
    [property: JsonPropertyName("passport")] string Passport,
    [property: JsonPropertyName("mail")] string Mail,
    [property: JsonPropertyName("spaceUsed")] long SpaceUsed,
    [property: JsonPropertyName("spacePermanent")] long SpacePermanent,
    [property: JsonPropertyName("spaceTemp")] long SpaceTemp,
    [property: JsonPropertyName("spaceTempExpr")] string SpaceTempExpr,
    [property: JsonPropertyName("vip")] bool Vip,
    [property: JsonPropertyName("directTraffic")] long DirectTraffic,
    [property: JsonPropertyName("isHideUID")] bool IsHideUid,
    [property: JsonPropertyName("httpsCount")] long HttpsCount,
    [property: JsonPropertyName("vipInfo"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] IReadOnlyList<Open123VipInfo>? VipInfo,
    [property: JsonPropertyName("developerInfo")] Open123DeveloperInfo DeveloperInfo);

internal sealed record Open123VipInfo(
    [property: JsonPropertyName("vipLevel")] int VipLevel,
    [property: JsonPropertyName("vipLabel")] string VipLabel,
    [property: JsonPropertyName("startTime")] string StartTime,
    [property: JsonPropertyName("endTime")] string EndTime);

internal sealed record Open123DeveloperInfo(
    [property: JsonPropertyName("startTime")] string StartTime,
    [property: JsonPropertyName("endTime")] string EndTime);

internal sealed record Open123MkdirData([property: JsonPropertyName("dirID")] long DirId);

internal sealed record Open123DownloadData([property: JsonPropertyName("downloadUrl")] string DownloadUrl);

internal sealed record Open123DirectLinkData([property: JsonPropertyName("url")] string Url);

internal sealed record Open123CreateData(
    [property: JsonPropertyName("fileID")] long FileId,
    [property: JsonPropertyName("preuploadID")] string? PreuploadId,
    [property: JsonPropertyName("reuse")] bool Reuse,
    [property: JsonPropertyName("sliceSize")] long SliceSize,
    [property: JsonPropertyName("servers")] IReadOnlyList<string> Servers);

internal sealed record Open123ReuseData(
    [property: JsonPropertyName("fileID")] long FileId,
    [property: JsonPropertyName("reuse")] bool Reuse);

internal sealed record Open123CompleteData(
    [property: JsonPropertyName("completed")] bool Completed,
    [property: JsonPropertyName("fileID")] long FileId);

/// <summary>The <c>category</c> field: 0 unknown, 1 audio, 2 video, 3 image (documented values).</summary>
internal static class Open123Categories
{
    public static int Of(string name) => OpenList.DriverHost.CloudFakes.Shared.FakePath.Extension(name) switch
    {
        "mp3" or "flac" or "wav" or "m4a" or "aac" or "ogg" or "ape" => 1,
        "mp4" or "mkv" or "mov" or "avi" or "wmv" or "flv" or "webm" or "m4v" or "ts" or "rmvb" => 2,
        "jpg" or "jpeg" or "png" or "gif" or "bmp" or "webp" or "heic" or "tif" or "tiff" or "svg" => 3,
        _ => 0,
    };
}
