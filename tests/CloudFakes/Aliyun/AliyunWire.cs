using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using OpenList.DriverHost.CloudFakes.Shared;

namespace OpenList.DriverHost.CloudFakes.Aliyun;

/// <summary>
/// Wire shapes. Property names become snake_case; nulls are left out, because OpenList's Go client decodes
/// strictly by type (a missing field is fine, a wrong type or an empty timestamp string is an error).
/// </summary>
internal static class AliyunJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>RFC 3339 with milliseconds and Z, e.g. 2019-08-20T06:51:27.292Z.</summary>
    public static string Time(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static async Task WriteAsync(HttpContext context, int status, object body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(context.Response.Body, body, body.GetType(), Options, context.RequestAborted);
    }

    /// <summary>The file object of §2.5 (list items, get, update, complete).</summary>
    public static async Task<AliyunFileItem> FileAsync(string driveId, FileSnapshot node)
    {
        var extension = FakePath.Extension(node.Name);
        return new AliyunFileItem
        {
            DriveId = driveId,
            FileId = node.Id,
            ParentFileId = node.ParentId,
            Name = node.Name,
            Type = node.IsFolder ? "folder" : "file",
            Size = node.IsFolder ? null : node.Size,
            FileExtension = node.IsFolder ? null : extension,
            ContentHash = node.Content is { } content ? await content.Sha1HexAsync() : null,
            ContentHashName = node.IsFolder ? null : "sha1",
            Category = node.IsFolder ? null : AliyunCategories.Of(extension),
            CreatedAt = Time(node.CreatedAt),
            UpdatedAt = Time(node.UpdatedAt),
            LocalCreatedAt = node.LocalCreatedAt is { } created ? Time(created) : null,
            LocalModifiedAt = node.LocalModifiedAt is { } modified ? Time(modified) : null,
            Status = "available",
        };
    }
}

internal sealed record AliyunFileItem
{
    public required string DriveId { get; init; }

    public required string FileId { get; init; }

    public required string ParentFileId { get; init; }

    public string? Name { get; init; }

    /// <summary>create answers with file_name instead of name.</summary>
    public string? FileName { get; init; }

    public required string Type { get; init; }

    public long? Size { get; init; }

    public string? FileExtension { get; init; }

    public string? ContentHash { get; init; }

    public string? ContentHashName { get; init; }

    public string? Category { get; init; }

    public string? CreatedAt { get; init; }

    public string? UpdatedAt { get; init; }

    public string? LocalCreatedAt { get; init; }

    public string? LocalModifiedAt { get; init; }

    public string? Status { get; init; }

    public bool? Exist { get; init; }

    public bool? Available { get; init; }

    public string? UploadId { get; init; }

    public bool? RapidUpload { get; init; }

    public IReadOnlyList<AliyunPartInfo>? PartInfoList { get; init; }
}

internal sealed record AliyunPartInfo(int PartNumber, string UploadUrl, string ContentType);

internal sealed record AliyunListResponse(IReadOnlyList<AliyunFileItem> Items, string NextMarker);

internal sealed record AliyunDriveInfo(
    string UserId,
    string Name,
    string Avatar,
    string DefaultDriveId,
    string ResourceDriveId,
    string BackupDriveId);

internal sealed record AliyunSpaceInfo(AliyunPersonalSpace PersonalSpaceInfo);

internal sealed record AliyunPersonalSpace(long UsedSize, long TotalSize);

internal sealed record AliyunDownloadUrl(
    string Url,
    string Expiration,
    string Method,
    long Size,
    [property: JsonPropertyName("streamsUrl")] AliyunStreamsUrl? StreamsUrl);

internal sealed record AliyunStreamsUrl(string Jpeg, string Mov);

internal sealed record AliyunMoveResponse(bool Exist, string DriveId, string FileId);

internal sealed record AliyunFileRef(string DriveId, string FileId, string? AsyncTaskId = null);

internal sealed record AliyunUploadUrls(string DriveId, string FileId, string UploadId, string CreatedAt, IReadOnlyList<AliyunPartInfo> PartInfoList);

internal sealed record AliyunTokenResponse(string TokenType, string AccessToken, string RefreshToken, int ExpiresIn);

/// <summary>The category field, from the extension (images, videos, audio, documents, archives, others).</summary>
internal static class AliyunCategories
{
    private static readonly Dictionary<string, string> ByExtension = Build();

    public static string Of(string extension) => ByExtension.GetValueOrDefault(extension, "others");

    private static Dictionary<string, string> Build()
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(string category, params string[] extensions)
        {
            foreach (var extension in extensions)
            {
                map[extension] = category;
            }
        }

        Add("image", "jpg", "jpeg", "png", "gif", "bmp", "webp", "heic", "tif", "tiff", "livp", "svg");
        Add("video", "mp4", "mkv", "mov", "avi", "wmv", "flv", "webm", "m4v", "ts", "rmvb");
        Add("audio", "mp3", "flac", "wav", "m4a", "aac", "ogg", "ape");
        Add("doc", "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "txt", "md", "csv", "epub");
        Add("zip", "zip", "rar", "7z", "gz", "tar", "bz2", "xz");
        return map;
    }
}
