using System.Globalization;
using OpenList.DriverHost.Drivers.Http;
using OpenList.DriverHost.Drivers.Open123.Models;

namespace OpenList.DriverHost.Drivers.Open123;

/// <summary>The endpoints of cloud-apis.md §3.5 and §3.6, one method each, with their limiter and idempotency.</summary>
internal sealed partial class Open123ApiClient
{
    /// <summary>The page size OpenList sends, the documented maximum.</summary>
    public const int ListLimit = 100;

    /// <summary><c>lastFileId</c> after the last page.</summary>
    public const long LastPage = -1;

    /// <summary><c>duplicate</c>: replace a file of the same name.</summary>
    public const int Overwrite = 2;

    private static Open123JsonContext Wire => Open123JsonContext.Default;

    public Task<Open123UserInfo> GetUserInfoAsync(CancellationToken ct) =>
        CallAsync(Open123Api.UserInfo, HttpMethod.Get, CloudReplies.Endpoint(_options.ApiBaseUrl, "/api/v1/user/info"), () => null, Wire.Open123UserInfo, idempotent: true, ct);

    public Task<Open123FileList> ListAsync(long parentId, long lastFileId, CancellationToken ct) =>
        CallAsync(
            Open123Api.FileList,
            HttpMethod.Get,
            CloudReplies.Endpoint(_options.ApiBaseUrl, "/api/v2/file/list", Query(
                ("parentFileId", Id(parentId)),
                ("limit", ListLimit.ToString(CultureInfo.InvariantCulture)),
                ("lastFileId", Id(lastFileId)),
                ("trashed", "false"),
                ("searchMode", ""),
                ("searchData", ""))),
            () => null,
            Wire.Open123FileList,
            idempotent: true,
            ct);

    public Task<Open123DownloadInfo> GetDownloadInfoAsync(long fileId, CancellationToken ct) =>
        CallAsync(
            Open123Api.DownloadInfo,
            HttpMethod.Get,
            CloudReplies.Endpoint(_options.ApiBaseUrl, "/api/v1/file/download_info", Query(("fileId", Id(fileId)))),
            () => null,
            Wire.Open123DownloadInfo,
            idempotent: true,
            ct);

    public Task<Open123DirectLinkUrl> GetDirectLinkAsync(long fileId, CancellationToken ct) =>
        CallAsync(
            Open123Api.DirectLink,
            HttpMethod.Get,
            CloudReplies.Endpoint(_options.ApiBaseUrl, "/api/v1/direct-link/url", Query(("fileID", Id(fileId)))),
            () => null,
            Wire.Open123DirectLinkUrl,
            idempotent: true,
            ct);

    public Task<Open123MkdirResult> MkdirAsync(long parentId, string name, CancellationToken ct) =>
        CallAsync(
            Open123Api.Mkdir,
            HttpMethod.Post,
            CloudReplies.Endpoint(_options.ApiBaseUrl, "/upload/v1/file/mkdir"),
            Json(new Open123MkdirRequest(Id(parentId), name), Wire.Open123MkdirRequest),
            Wire.Open123MkdirResult,
            idempotent: false,
            ct);

    public Task<Open123Ignored> MoveAsync(long fileId, long toParentId, CancellationToken ct) =>
        CallAsync(
            Open123Api.Move,
            HttpMethod.Post,
            CloudReplies.Endpoint(_options.ApiBaseUrl, "/api/v1/file/move"),
            Json(new Open123MoveRequest([fileId], toParentId), Wire.Open123MoveRequest),
            Wire.Open123Ignored,
            idempotent: false,
            ct);

    public Task<Open123Ignored> RenameAsync(long fileId, string name, CancellationToken ct) =>
        CallAsync(
            Open123Api.Rename,
            HttpMethod.Put,
            CloudReplies.Endpoint(_options.ApiBaseUrl, "/api/v1/file/name"),
            Json(new Open123RenameRequest(fileId, name), Wire.Open123RenameRequest),
            Wire.Open123Ignored,
            idempotent: false,
            ct);

    /// <summary>Moves to the recycle bin (the driver never deletes permanently, as OpenList).</summary>
    public Task<Open123Ignored> TrashAsync(long fileId, CancellationToken ct) =>
        CallAsync(
            Open123Api.Trash,
            HttpMethod.Post,
            CloudReplies.Endpoint(_options.ApiBaseUrl, "/api/v1/file/trash"),
            Json(new Open123TrashRequest([fileId]), Wire.Open123TrashRequest),
            Wire.Open123Ignored,
            idempotent: true,
            ct);

    public Task<Open123ReuseResult> Sha1ReuseAsync(long parentId, string name, string sha1, long size, CancellationToken ct) =>
        CallAsync(
            Open123Api.Sha1Reuse,
            HttpMethod.Post,
            CloudReplies.Endpoint(_options.ApiBaseUrl, "/upload/v2/file/sha1_reuse"),
            Json(new Open123Sha1ReuseRequest(parentId, name, sha1, size, Overwrite), Wire.Open123Sha1ReuseRequest),
            Wire.Open123ReuseResult,
            idempotent: false,
            ct);

    /// <summary>Upload create by MD5 (also the copy emulation, with the source's etag).</summary>
    public Task<Open123CreateResult> CreateAsync(long parentId, string name, string md5, long size, CancellationToken ct) =>
        CallAsync(
            Open123Api.UploadCreate,
            HttpMethod.Post,
            CloudReplies.Endpoint(_options.ApiBaseUrl, "/upload/v2/file/create"),
            Json(new Open123CreateRequest(parentId, name, md5, size, Overwrite, ContainDir: false), Wire.Open123CreateRequest),
            Wire.Open123CreateResult,
            idempotent: false,
            ct);

    /// <summary>One slice, multipart, to the upload server from create; not retried here (the upload session does).</summary>
    public Task<Open123Ignored> UploadSliceAsync(Uri server, Func<HttpContent> multipart, CancellationToken ct) =>
        CallAsync(
            Open123Api.UploadSlice,
            HttpMethod.Post,
            CloudReplies.Endpoint(server, "/upload/v2/file/slice"),
            multipart,
            Wire.Open123Ignored,
            idempotent: false,
            ct);

    public Task<Open123CompleteResult> CompleteAsync(string preuploadId, CancellationToken ct) =>
        CallAsync(
            Open123Api.UploadComplete,
            HttpMethod.Post,
            CloudReplies.Endpoint(_options.ApiBaseUrl, "/upload/v2/file/upload_complete"),
            Json(new Open123CompleteRequest(preuploadId), Wire.Open123CompleteRequest),
            Wire.Open123CompleteResult,
            idempotent: true,
            ct);

    internal static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
}
