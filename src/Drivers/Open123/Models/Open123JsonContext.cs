using System.Text.Json.Serialization;

namespace OpenList.DriverHost.Drivers.Open123.Models;

/// <summary>
/// Source-generated serialisation of every wire type. Reading is lenient (numbers may arrive as strings, names in
/// any case, unknown fields are ignored); writing uses the exact names the API documents.
/// </summary>
[JsonSourceGenerationOptions(
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    PropertyNameCaseInsensitive = true,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(Open123File))]
[JsonSerializable(typeof(Open123FileList))]
[JsonSerializable(typeof(Open123UserInfo))]
[JsonSerializable(typeof(Open123DownloadInfo))]
[JsonSerializable(typeof(Open123DirectLinkUrl))]
[JsonSerializable(typeof(Open123MkdirResult))]
[JsonSerializable(typeof(Open123CreateResult))]
[JsonSerializable(typeof(Open123ReuseResult))]
[JsonSerializable(typeof(Open123CompleteResult))]
[JsonSerializable(typeof(Open123AccessTokenResult))]
[JsonSerializable(typeof(Open123Ignored))]
[JsonSerializable(typeof(Open123AccessTokenRequest))]
[JsonSerializable(typeof(Open123MkdirRequest))]
[JsonSerializable(typeof(Open123MoveRequest))]
[JsonSerializable(typeof(Open123RenameRequest))]
[JsonSerializable(typeof(Open123TrashRequest))]
[JsonSerializable(typeof(Open123Sha1ReuseRequest))]
[JsonSerializable(typeof(Open123CreateRequest))]
[JsonSerializable(typeof(Open123CompleteRequest))]
internal sealed partial class Open123JsonContext : JsonSerializerContext
{
}
