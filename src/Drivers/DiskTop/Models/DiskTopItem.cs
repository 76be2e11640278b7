using System.Text.Json.Serialization;
using OpenList.DriverHost.Drivers.Json;

namespace OpenList.DriverHost.Drivers.DiskTop.Models;

/// <summary>
/// One entry of <c>GET /v1/files</c> (cloud-apis.md §4.5): <c>data.folders[]</c> carry <c>id</c> and <c>name</c>,
/// <c>data.files[]</c> add <c>size</c> and <c>md5</c>. Folder ids and file ids are separate namespaces (§4.6), so an
/// item is always known together with its kind. The list documents no time; <c>create_time</c> is read when present.
/// </summary>
internal sealed class DiskTopItem
{
    [JsonPropertyName("id")]
    [JsonConverter(typeof(FlexibleInt64Converter))]
    public long? Id { get; set; }

    [JsonPropertyName("name")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? Name { get; set; }

    [JsonPropertyName("size")]
    [JsonConverter(typeof(FlexibleInt64Converter))]
    public long? Size { get; set; }

    [JsonPropertyName("md5")]
    public string? Md5 { get; set; }

    /// <summary>Unix seconds; documented only for file metadata (<c>GET /v1/files/{id}</c>), read here when a listing has it.</summary>
    [JsonPropertyName("create_time")]
    [JsonConverter(typeof(FlexibleInt64Converter))]
    public long? CreateTime { get; set; }

    /// <summary>Set by the driver: whether the item came from <c>folders[]</c>.</summary>
    [JsonIgnore]
    public bool IsFolder { get; set; }
}
