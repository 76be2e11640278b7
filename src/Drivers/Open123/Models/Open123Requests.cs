using System.Text.Json.Serialization;

namespace OpenList.DriverHost.Drivers.Open123.Models;

/// <summary><c>POST /api/v1/access_token</c>. The secret is never logged.</summary>
internal sealed record Open123AccessTokenRequest(
    [property: JsonPropertyName("clientID")] string ClientId,
    [property: JsonPropertyName("clientSecret")] string ClientSecret);

/// <summary><c>POST /upload/v1/file/mkdir</c>: the parent id goes as a string.</summary>
internal sealed record Open123MkdirRequest(
    [property: JsonPropertyName("parentID")] string ParentId,
    [property: JsonPropertyName("name")] string Name);

/// <summary><c>POST /api/v1/file/move</c>.</summary>
internal sealed record Open123MoveRequest(
    [property: JsonPropertyName("fileIDs")] long[] FileIds,
    [property: JsonPropertyName("toParentFileID")] long ToParentFileId);

/// <summary><c>PUT /api/v1/file/name</c>.</summary>
internal sealed record Open123RenameRequest(
    [property: JsonPropertyName("fileId")] long FileId,
    [property: JsonPropertyName("fileName")] string FileName);

/// <summary><c>POST /api/v1/file/trash</c>.</summary>
internal sealed record Open123TrashRequest(
    [property: JsonPropertyName("fileIDs")] long[] FileIds);

/// <summary><c>POST /upload/v2/file/sha1_reuse</c>: lower-case SHA1; <c>duplicate</c> 2 replaces a file of that name.</summary>
internal sealed record Open123Sha1ReuseRequest(
    [property: JsonPropertyName("parentFileID")] long ParentFileId,
    [property: JsonPropertyName("filename")] string FileName,
    [property: JsonPropertyName("sha1")] string Sha1,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("duplicate")] int Duplicate);

/// <summary>
/// <c>POST /upload/v2/file/create</c>: lower-case MD5 as <c>etag</c>; <c>duplicate</c> 2 replaces a file of that
/// name. OpenList spells the parent <c>parentFileId</c> (the docs: <c>parentFileID</c>); the server reads either.
/// </summary>
internal sealed record Open123CreateRequest(
    [property: JsonPropertyName("parentFileId")] long ParentFileId,
    [property: JsonPropertyName("filename")] string FileName,
    [property: JsonPropertyName("etag")] string Etag,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("duplicate")] int Duplicate,
    [property: JsonPropertyName("containDir")] bool ContainDir);

/// <summary><c>POST /upload/v2/file/upload_complete</c>.</summary>
internal sealed record Open123CompleteRequest(
    [property: JsonPropertyName("preuploadID")] string PreuploadId);
