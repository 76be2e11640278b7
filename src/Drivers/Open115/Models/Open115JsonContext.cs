using System.Text.Json.Serialization;

namespace OpenList.DriverHost.Drivers.Open115.Models;

/// <summary>
/// Source-generated serialisation of the wire types. Reading is lenient (numbers may arrive as strings, unknown
/// fields are ignored); the request side is form fields, so nothing is written as JSON.
/// </summary>
[JsonSourceGenerationOptions(
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    PropertyNameCaseInsensitive = false,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(Open115ListResponse))]
[JsonSerializable(typeof(Open115FolderInfo))]
[JsonSerializable(typeof(Open115UserInfo))]
[JsonSerializable(typeof(Open115DownUrl))]
[JsonSerializable(typeof(Dictionary<string, Open115DownUrl?>))]
[JsonSerializable(typeof(Open115FolderAdded))]
[JsonSerializable(typeof(Open115UploadInit))]
[JsonSerializable(typeof(Open115UploadToken))]
[JsonSerializable(typeof(Open115TokenData))]
internal sealed partial class Open115JsonContext : JsonSerializerContext
{
}
