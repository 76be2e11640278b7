using System.Text.Json.Serialization;

namespace OpenList.DriverHost.Drivers.DiskTop.Models;

/// <summary>
/// Source-generated serialisation of the wire types. Reading is lenient (numbers may arrive as strings, unknown
/// fields are ignored); requests are form fields, so nothing is written as JSON.
/// </summary>
[JsonSourceGenerationOptions(
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    PropertyNameCaseInsensitive = false,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(DiskTopListData))]
[JsonSerializable(typeof(DiskTopDownload))]
[JsonSerializable(typeof(DiskTopFolderCreated))]
[JsonSerializable(typeof(DiskTopQuota))]
[JsonSerializable(typeof(DiskTopUserInfo))]
[JsonSerializable(typeof(DiskTopPrecreate))]
[JsonSerializable(typeof(DiskTopCompleted))]
[JsonSerializable(typeof(DiskTopTokenResponse))]
[JsonSerializable(typeof(DiskTopDeviceCode))]
internal sealed partial class DiskTopJsonContext : JsonSerializerContext
{
}
