using System.Globalization;
using System.Text.Json.Serialization;

namespace OpenList.DriverHost.Drivers.Open123.Models;

/// <summary>
/// One entry of <c>/api/v2/file/list</c> (cloud-apis.md §3.5): <c>type</c> 1 is a folder, <c>etag</c> the MD5,
/// times <c>"2006-01-02 15:04:05"</c> without a zone, in UTC+8.
/// </summary>
internal sealed class Open123File
{
    /// <summary>The zone 123 writes its times in.</summary>
    internal static readonly TimeSpan ChinaStandardTime = TimeSpan.FromHours(8);

    [JsonPropertyName("fileId")]
    public long FileId { get; set; }

    [JsonPropertyName("filename")]
    public string? FileName { get; set; }

    [JsonPropertyName("type")]
    public int Type { get; set; }

    [JsonPropertyName("size")]
    public long Size { get; set; }

    [JsonPropertyName("etag")]
    public string? Etag { get; set; }

    /// <summary>Above 100: rejected by review.</summary>
    [JsonPropertyName("status")]
    public int Status { get; set; }

    [JsonPropertyName("parentFileId")]
    public long ParentFileId { get; set; }

    [JsonPropertyName("category")]
    public int Category { get; set; }

    /// <summary>1 for entries in the recycle bin; the listing returns them whatever <c>trashed</c> asks.</summary>
    [JsonPropertyName("trashed")]
    public int Trashed { get; set; }

    [JsonPropertyName("createAt")]
    public string? CreateAt { get; set; }

    [JsonPropertyName("updateAt")]
    public string? UpdateAt { get; set; }

    public bool IsFolder => Type == 1;

    public DateTimeOffset? Created => ParseTime(CreateAt);

    public DateTimeOffset? Updated => ParseTime(UpdateAt);

    /// <summary>
    /// <c>"2006-01-02 15:04:05"</c> read as UTC+8 and returned in UTC; an RFC 3339 time (with its own zone) is read
    /// as it says; anything else is unknown.
    /// </summary>
    internal static DateTimeOffset? ParseTime(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (DateTime.TryParseExact(text.Trim(), "yyyy'-'MM'-'dd' 'HH':'mm':'ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), ChinaStandardTime).ToUniversalTime();
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var zoned)
            ? zoned.ToUniversalTime()
            : null;
    }
}

/// <summary><c>/api/v2/file/list</c>: one page and where the next starts (-1 after the last).</summary>
internal sealed class Open123FileList
{
    [JsonPropertyName("lastFileId")]
    public long LastFileId { get; set; }

    [JsonPropertyName("fileList")]
    public List<Open123File?>? FileList { get; set; }
}
