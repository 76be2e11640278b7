using System.Text.Json.Serialization;
using OpenList.DriverHost.Drivers.Json;

namespace OpenList.DriverHost.Drivers.Open115.Models;

/// <summary>
/// One entry of <c>/open/ufile/files</c> (cloud-apis.md §1.5, "List entry"): ids are strings, <c>fc</c> is "0" for a
/// folder and "1" for a file, times are unix seconds. Only the fields the driver reads are declared.
/// </summary>
internal sealed class Open115File
{
    [JsonPropertyName("fid")]
    [JsonConverter(typeof(Open115StringConverter))]
    public string? FileId { get; set; }

    [JsonPropertyName("pid")]
    [JsonConverter(typeof(Open115StringConverter))]
    public string? ParentId { get; set; }

    [JsonPropertyName("fc")]
    [JsonConverter(typeof(Open115StringConverter))]
    public string? Category { get; set; }

    [JsonPropertyName("fn")]
    public string? Name { get; set; }

    [JsonPropertyName("pc")]
    public string? PickCode { get; set; }

    [JsonPropertyName("sha1")]
    public string? Sha1 { get; set; }

    [JsonPropertyName("fs")]
    [JsonConverter(typeof(FlexibleInt64Converter))]
    public long? Size { get; set; }

    /// <summary>Modified, unix seconds.</summary>
    [JsonPropertyName("upt")]
    [JsonConverter(typeof(FlexibleInt64Converter))]
    public long? UpdatedAt { get; set; }

    /// <summary>Uploaded (created), unix seconds.</summary>
    [JsonPropertyName("uppt")]
    [JsonConverter(typeof(FlexibleInt64Converter))]
    public long? UploadedAt { get; set; }

    [JsonIgnore]
    public bool IsFolder => Category == "0";

    [JsonIgnore]
    public DateTimeOffset? Updated => FromUnix(UpdatedAt);

    [JsonIgnore]
    public DateTimeOffset? Created => FromUnix(UploadedAt);

    internal static DateTimeOffset? FromUnix(long? seconds) =>
        seconds is > 0 and < 253_402_300_800 ? DateTimeOffset.FromUnixTimeSeconds(seconds.Value) : null;
}
