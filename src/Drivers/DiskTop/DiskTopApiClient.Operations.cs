using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using OpenList.DriverHost.Drivers.DiskTop.Models;
using OpenList.DriverHost.Drivers.Errors;

namespace OpenList.DriverHost.Drivers.DiskTop;

/// <summary>The endpoints of cloud-apis.md §4.5, one method each. Paths are API paths (under the sandbox root).</summary>
internal sealed partial class DiskTopApiClient
{
    private static DiskTopJsonContext Json => DiskTopJsonContext.Default;

    /// <summary>One page (1-based) of a folder, by path.</summary>
    public async Task<DiskTopListData> ListPageAsync(string apiPath, int page, int limit, CancellationToken ct) =>
        Read(
            await CallAsync(
                HttpMethod.Get,
                "/v1/files",
                [new("path", apiPath), new("page", page.ToString(CultureInfo.InvariantCulture)), new("limit", limit.ToString(CultureInfo.InvariantCulture))],
                idempotent: true,
                ct).ConfigureAwait(false),
            Json.DiskTopListData,
            "/v1/files")
        ?? new DiskTopListData();

    /// <summary>A signed download URL for a file id.</summary>
    public async Task<DiskTopDownload> DownloadAsync(long fileId, CancellationToken ct) =>
        Read(
            await CallAsync(HttpMethod.Get, "/v1/files/" + fileId.ToString(CultureInfo.InvariantCulture) + "/download", [], idempotent: true, ct).ConfigureAwait(false),
            Json.DiskTopDownload,
            "/v1/files/{id}/download")
        ?? new DiskTopDownload();

    public async Task<DiskTopFolderCreated> CreateFolderAsync(string parentApiPath, string name, CancellationToken ct) =>
        Read(
            await CallAsync(HttpMethod.Post, "/v1/files/folder", [new("parent_path", parentApiPath), new("name", name)], idempotent: false, ct).ConfigureAwait(false),
            Json.DiskTopFolderCreated,
            "/v1/files/folder")
        ?? new DiskTopFolderCreated();

    /// <summary>
    /// <c>POST /v1/files/manage</c> for one item: <c>file_ids[]</c> or <c>folder_ids[]</c> by its kind (separate id
    /// namespaces, §4.6). Delete is safe to repeat; rename, move and copy are not.
    /// </summary>
    public Task ManageAsync(string action, DiskTopItem item, CancellationToken ct, string? destPath = null, string? newName = null)
    {
        var fields = new List<KeyValuePair<string, string>>
        {
            new("action", action),
            new(item.IsFolder ? "folder_ids[]" : "file_ids[]", item.Id!.Value.ToString(CultureInfo.InvariantCulture)),
        };
        if (destPath is not null)
        {
            fields.Add(new("dest_path", destPath));
        }

        if (newName is not null)
        {
            fields.Add(new("new_name", newName));
        }

        return CallAsync(HttpMethod.Post, "/v1/files/manage", fields, idempotent: action == "delete", ct);
    }

    public async Task<DiskTopQuota> QuotaAsync(CancellationToken ct) =>
        Read(await CallAsync(HttpMethod.Get, "/v1/user/quota", [], idempotent: true, ct).ConfigureAwait(false), Json.DiskTopQuota, "/v1/user/quota")
        ?? new DiskTopQuota();

    public async Task<DiskTopUserInfo> UserInfoAsync(CancellationToken ct) =>
        Read(await CallAsync(HttpMethod.Get, "/v1/user/info", [], idempotent: true, ct).ConfigureAwait(false), Json.DiskTopUserInfo, "/v1/user/info")
        ?? new DiskTopUserInfo();

    /// <summary>Instant-upload check and upload session (§4.5 precreate). Not repeated on failure: a retry could open a second session.</summary>
    public async Task<DiskTopPrecreate> PrecreateAsync(string parentApiPath, string name, long size, string md5, string contentType, CancellationToken ct) =>
        Read(
            await CallAsync(
                HttpMethod.Post,
                "/v1/files/upload/precreate",
                [
                    new("parent_path", parentApiPath),
                    new("name", name),
                    new("size", size.ToString(CultureInfo.InvariantCulture)),
                    new("md5", md5),
                    new("content_type", contentType),
                ],
                idempotent: false,
                ct).ConfigureAwait(false),
            Json.DiskTopPrecreate,
            "/v1/files/upload/precreate")
        ?? new DiskTopPrecreate();

    /// <summary><paramref name="data"/> as <typeparamref name="T"/>; null when it is absent or not an object.</summary>
    internal static T? Read<T>(JsonElement data, JsonTypeInfo<T> type, string operation)
        where T : class
    {
        if (data.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        try
        {
            return data.Deserialize(type);
        }
        catch (JsonException e)
        {
            throw new StorageException(StorageErrorKind.Unavailable, $"Disk.Top answered {operation} with data the driver cannot read", inner: e);
        }
    }
}
