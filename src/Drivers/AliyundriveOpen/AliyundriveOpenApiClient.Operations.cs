using OpenList.DriverHost.Drivers.AliyundriveOpen.Models;

namespace OpenList.DriverHost.Drivers.AliyundriveOpen;

/// <summary>The endpoints of cloud-apis.md §2.5 and §2.6, one method each, with their limiter class and idempotency.</summary>
internal sealed partial class AliyundriveOpenApiClient
{
    private const string Api = "/adrive/v1.0";

    /// <summary>The page size OpenList sends (the documented maximum may be lower; servers accept 200).</summary>
    public const int ListLimit = 200;

    /// <summary>Download links are requested for four hours, as OpenList does.</summary>
    public const int LinkLifetimeSeconds = 14400;

    private static AliyunJsonContext Json => AliyunJsonContext.Default;

    public Task<AliyunDriveInfo> GetDriveInfoAsync(CancellationToken ct) =>
        PostAsync(Api + "/user/getDriveInfo", _ => null, Json.AliyunDriveInfo, AliyunCallClass.Other, idempotent: true, ct);

    public Task<AliyunSpaceInfo> GetSpaceInfoAsync(CancellationToken ct) =>
        PostAsync(Api + "/user/getSpaceInfo", _ => null, Json.AliyunSpaceInfo, AliyunCallClass.Other, idempotent: true, ct);

    public Task<AliyunListResponse> ListAsync(string driveId, string parentId, string marker, CancellationToken ct) =>
        PostAsync(
            Api + "/openFile/list",
            new AliyunListRequest(driveId, ListLimit, marker, _options.OrderBy, _options.OrderDirection, parentId),
            Json.AliyunListRequest,
            Json.AliyunListResponse,
            AliyunCallClass.List,
            idempotent: true,
            ct);

    public Task<AliyunDownloadUrl> GetDownloadUrlAsync(string driveId, string fileId, CancellationToken ct) =>
        PostAsync(
            Api + "/openFile/getDownloadUrl",
            new AliyunDownloadUrlRequest(driveId, fileId, LinkLifetimeSeconds),
            Json.AliyunDownloadUrlRequest,
            Json.AliyunDownloadUrl,
            AliyunCallClass.Link,
            idempotent: true,
            ct);

    public Task<AliyunFile> CreateFolderAsync(string driveId, string parentId, string name, CancellationToken ct) =>
        PostAsync(
            Api + "/openFile/create",
            new AliyunCreateFolderRequest(driveId, parentId, name, "folder", "refuse"),
            Json.AliyunCreateFolderRequest,
            Json.AliyunFile,
            AliyunCallClass.Other,
            idempotent: false,
            ct);

    public Task<AliyunFile> RenameAsync(string driveId, string fileId, string name, CancellationToken ct) =>
        PostAsync(
            Api + "/openFile/update",
            new AliyunUpdateRequest(driveId, fileId, name),
            Json.AliyunUpdateRequest,
            Json.AliyunFile,
            AliyunCallClass.Other,
            idempotent: false,
            ct);

    public Task<AliyunMoveResult> MoveAsync(string driveId, string fileId, string toParentId, CancellationToken ct) =>
        PostAsync(
            Api + "/openFile/move",
            new AliyunMoveRequest(driveId, fileId, toParentId, "ignore"),
            Json.AliyunMoveRequest,
            Json.AliyunMoveResult,
            AliyunCallClass.Other,
            idempotent: false,
            ct);

    public Task<AliyunMoveResult> CopyAsync(string driveId, string fileId, string toParentId, CancellationToken ct) =>
        PostAsync(
            Api + "/openFile/copy",
            new AliyunCopyRequest(driveId, fileId, toParentId, AutoRename: false),
            Json.AliyunCopyRequest,
            Json.AliyunMoveResult,
            AliyunCallClass.Other,
            idempotent: false,
            ct);

    /// <summary>Trash or delete, per <c>remove_way</c> unless <paramref name="permanently"/> forces a delete.</summary>
    public Task RemoveAsync(string driveId, string fileId, bool permanently, CancellationToken ct) =>
        PostAsync(
            Api + (!permanently && _options.UseTrash ? "/openFile/recyclebin/trash" : "/openFile/delete"),
            new AliyunFileRequest(driveId, fileId),
            Json.AliyunFileRequest,
            Json.AliyunIgnored,
            AliyunCallClass.Other,
            idempotent: true,
            ct);

    /// <summary>Upload create; the body is built per access token because the rapid-upload proof depends on it.</summary>
    public Task<AliyunFile> CreateFileAsync(Func<string, AliyunCreateFileRequest> request, CancellationToken ct) =>
        PostAsync(
            Api + "/openFile/create",
            token => System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(request(token), Json.AliyunCreateFileRequest),
            Json.AliyunFile,
            AliyunCallClass.Other,
            idempotent: false,
            ct);

    public Task<AliyunUploadUrls> GetUploadUrlAsync(string driveId, string fileId, string uploadId, int partCount, CancellationToken ct) =>
        PostAsync(
            Api + "/openFile/getUploadUrl",
            new AliyunGetUploadUrlRequest(driveId, fileId, uploadId, PartNumbers(partCount)),
            Json.AliyunGetUploadUrlRequest,
            Json.AliyunUploadUrls,
            AliyunCallClass.Other,
            idempotent: true,
            ct);

    public Task<AliyunFile> CompleteAsync(string driveId, string fileId, string uploadId, CancellationToken ct) =>
        PostAsync(
            Api + "/openFile/complete",
            new AliyunCompleteRequest(driveId, fileId, uploadId),
            Json.AliyunCompleteRequest,
            Json.AliyunFile,
            AliyunCallClass.Other,
            idempotent: false,
            ct);

    public static AliyunPartNumber[] PartNumbers(int count) => Enumerable.Range(1, count).Select(n => new AliyunPartNumber(n)).ToArray();
}
