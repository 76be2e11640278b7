using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using OpenList.DriverHost.Drivers.Errors;
using OpenList.DriverHost.Drivers.Open115.Models;

namespace OpenList.DriverHost.Drivers.Open115;

/// <summary>The endpoints of cloud-apis.md §1.5 and §1.6, one method each, with whether they wait on <c>limit_rate</c> (§1.7).</summary>
internal sealed partial class Open115ApiClient
{
    private static Open115JsonContext Json => Open115JsonContext.Default;

    /// <summary>Init and quota: not rate limited (§1.7).</summary>
    public async Task<Open115UserInfo> UserInfoAsync(CancellationToken ct) =>
        Data(await CallAsync(HttpMethod.Get, "/open/user/info", [], limited: false, idempotent: true, ct).ConfigureAwait(false), Json.Open115UserInfo, "/open/user/info")
        ?? new Open115UserInfo();

    /// <summary>One page of a folder, <paramref name="offset"/> entries in.</summary>
    public async Task<Open115ListResponse> ListPageAsync(string folderId, long offset, CancellationToken ct)
    {
        var root = await CallAsync(
            HttpMethod.Get,
            "/open/ufile/files",
            [
                new("cid", folderId),
                new("limit", _options.PageSize.ToString(CultureInfo.InvariantCulture)),
                new("offset", offset.ToString(CultureInfo.InvariantCulture)),
                new("asc", _options.OrderDirection == "asc" ? "1" : "0"),
                new("o", _options.OrderBy),
                new("custom_order", "0"),
                new("stdir", "0"),
                new("star", "0"),
                new("cur", "0"),
                new("show_dir", "1"),
            ],
            limited: true,
            idempotent: true,
            ct).ConfigureAwait(false);
        return Read(root, Json.Open115ListResponse, "/open/ufile/files") ?? new Open115ListResponse();
    }

    /// <summary>A folder's record by id (Init checks the root with it); null when 115 says it is not there.</summary>
    public async Task<Open115FolderInfo?> FolderInfoAsync(string fileId, CancellationToken ct)
    {
        JsonElement root;
        try
        {
            root = await CallAsync(HttpMethod.Get, "/open/folder/get_info", [new("file_id", fileId)], limited: false, idempotent: true, ct).ConfigureAwait(false);
        }
        catch (StorageException e) when (e.Kind == StorageErrorKind.NotFound)
        {
            return null;
        }

        // §1.5: data may be an object or an array (first element; empty = not found).
        if (!root.TryGetProperty("data", out var data))
        {
            return null;
        }

        if (data.ValueKind == JsonValueKind.Array)
        {
            data = data.GetArrayLength() > 0 ? data[0] : default;
        }

        return data.ValueKind == JsonValueKind.Object ? Deserialize(data, Json.Open115FolderInfo, "/open/folder/get_info") : null;
    }

    /// <summary>
    /// A download URL for the file (§1.5), requested with <paramref name="userAgent"/>: 115 binds the URL to it.
    /// Null when the answer holds no URL for the file.
    /// </summary>
    public async Task<string?> DownloadUrlAsync(string fileId, string pickCode, string userAgent, CancellationToken ct)
    {
        var root = await CallAsync(HttpMethod.Post, "/open/ufile/downurl", [new("pick_code", pickCode)], limited: true, idempotent: true, ct, userAgent).ConfigureAwait(false);
        if (!root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var map = Deserialize(data, Json.DictionaryStringOpen115DownUrl, "/open/ufile/downurl");
        if (map is null)
        {
            return null;
        }

        // Keyed by file id; a map with one entry under another key is still this file's (the pick code named it).
        var entry = map.TryGetValue(fileId, out var own) ? own : map.Count == 1 ? map.Values.First() : null;
        return entry?.Url?.Url;
    }

    public async Task<Open115FolderAdded> AddFolderAsync(string parentId, string name, CancellationToken ct) =>
        Data(await CallAsync(HttpMethod.Post, "/open/folder/add", [new("pid", parentId), new("file_name", name)], limited: true, idempotent: false, ct).ConfigureAwait(false), Json.Open115FolderAdded, "/open/folder/add")
        ?? new Open115FolderAdded();

    public Task RenameAsync(string fileId, string name, CancellationToken ct) =>
        CallAsync(HttpMethod.Post, "/open/ufile/update", [new("file_id", fileId), new("file_name", name)], limited: true, idempotent: false, ct);

    public Task MoveAsync(string fileId, string toFolderId, CancellationToken ct) =>
        CallAsync(HttpMethod.Post, "/open/ufile/move", [new("file_ids", fileId), new("to_cid", toFolderId)], limited: true, idempotent: false, ct);

    /// <summary>Copies into <paramref name="toFolderId"/> under the same name; <c>no_dupli=1</c> refuses a duplicate there.</summary>
    public Task CopyAsync(string fileId, string toFolderId, CancellationToken ct) =>
        CallAsync(HttpMethod.Post, "/open/ufile/copy", [new("pid", toFolderId), new("file_id", fileId), new("no_dupli", "1")], limited: true, idempotent: false, ct);

    public Task DeleteAsync(string fileId, string? parentId, CancellationToken ct) =>
        CallAsync(HttpMethod.Post, "/open/ufile/delete", [new("file_ids", fileId), new("parent_id", parentId)], limited: true, idempotent: true, ct);

    /// <summary>
    /// Upload init (§1.6 steps 2 and 4): not limited by itself (Put waits once); the sign fields are dropped when empty.
    /// </summary>
    public async Task<Open115UploadInit> UploadInitAsync(
        string name, long size, string folderId, string sha1, string preId, string? signKey, string? signValue, CancellationToken ct) =>
        Data(
            await CallAsync(
                HttpMethod.Post,
                "/open/upload/init",
                [
                    new("file_name", name),
                    new("file_size", size.ToString(CultureInfo.InvariantCulture)),
                    new("target", "U_1_" + folderId),
                    new("fileid", sha1),
                    new("preid", preId),
                    new("sign_key", signKey),
                    new("sign_val", signValue),
                ],
                limited: false,
                idempotent: false,
                ct).ConfigureAwait(false),
            Json.Open115UploadInit,
            "/open/upload/init")
        ?? new Open115UploadInit();

    public async Task<Open115UploadToken> UploadTokenAsync(CancellationToken ct)
    {
        var root = await CallAsync(HttpMethod.Get, "/open/upload/get_token", [], limited: false, idempotent: true, ct).ConfigureAwait(false);
        if (root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array && data.GetArrayLength() > 0)
        {
            return Deserialize(data[0], Json.Open115UploadToken, "/open/upload/get_token") ?? new Open115UploadToken();
        }

        return Data(root, Json.Open115UploadToken, "/open/upload/get_token") ?? new Open115UploadToken();
    }

    /// <summary>The envelope's <c>data</c> as <typeparamref name="T"/>; null when it is absent, null, or not an object.</summary>
    private static T? Data<T>(JsonElement root, JsonTypeInfo<T> type, string path)
        where T : class =>
        root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object ? Deserialize(data, type, path) : null;

    private static T? Read<T>(JsonElement root, JsonTypeInfo<T> type, string path)
        where T : class => Deserialize(root, type, path);

    private static T? Deserialize<T>(JsonElement element, JsonTypeInfo<T> type, string path)
        where T : class
    {
        try
        {
            return element.Deserialize(type);
        }
        catch (JsonException e)
        {
            throw new StorageException(StorageErrorKind.Unavailable, $"115 answered {path} with a body the driver cannot read", inner: e);
        }
    }
}
