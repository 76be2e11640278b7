using System.Text.Json;
using System.Text.Json.Serialization;
using OpenList.DriverHost.Drivers.Json;

namespace OpenList.DriverHost.Drivers.Open115.Models;

/// <summary><c>/open/ufile/files</c>: the whole body, since <c>count</c> and <c>cid</c> sit beside <c>data</c>.</summary>
internal sealed class Open115ListResponse
{
    [JsonPropertyName("data")]
    public List<Open115File?>? Data { get; set; }

    /// <summary>Entries in the folder in total: the paging loop runs until it has seen this many.</summary>
    [JsonPropertyName("count")]
    [JsonConverter(typeof(FlexibleInt64Converter))]
    public long? Count { get; set; }

    /// <summary>The folder that was listed.</summary>
    [JsonPropertyName("cid")]
    [JsonConverter(typeof(Open115StringConverter))]
    public string? FolderId { get; set; }
}

/// <summary><c>/open/folder/get_info</c>: a folder's (or file's) own record.</summary>
internal sealed class Open115FolderInfo
{
    [JsonPropertyName("file_id")]
    [JsonConverter(typeof(Open115StringConverter))]
    public string? FileId { get; set; }

    [JsonPropertyName("file_name")]
    public string? FileName { get; set; }

    /// <summary>"0" for a folder.</summary>
    [JsonPropertyName("file_category")]
    [JsonConverter(typeof(Open115StringConverter))]
    public string? FileCategory { get; set; }
}

/// <summary><c>/open/user/info</c>: the account and its space.</summary>
internal sealed class Open115UserInfo
{
    [JsonPropertyName("user_id")]
    [JsonConverter(typeof(Open115StringConverter))]
    public string? UserId { get; set; }

    [JsonPropertyName("rt_space_info")]
    public Open115SpaceInfo? Space { get; set; }
}

internal sealed class Open115SpaceInfo
{
    [JsonPropertyName("all_total")]
    public Open115Size? Total { get; set; }

    [JsonPropertyName("all_remain")]
    public Open115Size? Remain { get; set; }

    [JsonPropertyName("all_use")]
    public Open115Size? Used { get; set; }
}

/// <summary><c>size</c> is a number or a numeric string (§1.5).</summary>
internal sealed class Open115Size
{
    [JsonPropertyName("size")]
    [JsonConverter(typeof(FlexibleInt64Converter))]
    public long? Size { get; set; }
}

/// <summary>One value of <c>/open/ufile/downurl</c>'s <c>data</c>, a map keyed by file id.</summary>
internal sealed class Open115DownUrl
{
    [JsonPropertyName("file_name")]
    public string? FileName { get; set; }

    [JsonPropertyName("url")]
    public Open115Url? Url { get; set; }
}

internal sealed class Open115Url
{
    [JsonPropertyName("url")]
    public string? Url { get; set; }
}

/// <summary><c>/open/folder/add</c>.</summary>
internal sealed class Open115FolderAdded
{
    [JsonPropertyName("file_id")]
    [JsonConverter(typeof(Open115StringConverter))]
    public string? FileId { get; set; }

    [JsonPropertyName("file_name")]
    public string? FileName { get; set; }
}

/// <summary><c>/open/upload/init</c> (§1.6).</summary>
internal sealed class Open115UploadInit
{
    [JsonPropertyName("status")]
    [JsonConverter(typeof(FlexibleInt64Converter))]
    public long? Status { get; set; }

    [JsonPropertyName("pick_code")]
    public string? PickCode { get; set; }

    [JsonPropertyName("file_id")]
    [JsonConverter(typeof(Open115StringConverter))]
    public string? FileId { get; set; }

    [JsonPropertyName("sign_key")]
    public string? SignKey { get; set; }

    /// <summary>"start-end", an inclusive byte range.</summary>
    [JsonPropertyName("sign_check")]
    public string? SignCheck { get; set; }

    [JsonPropertyName("bucket")]
    public string? Bucket { get; set; }

    [JsonPropertyName("object")]
    public string? Object { get; set; }

    /// <summary><c>{callback, callback_var}</c>, or an array (empty allowed).</summary>
    [JsonPropertyName("callback")]
    public JsonElement Callback { get; set; }

    /// <summary>The callback's <c>callback</c> and <c>callback_var</c> strings, when the init answered an object.</summary>
    public (string Callback, string CallbackVar)? CallbackPair()
    {
        var element = Callback;
        if (element.ValueKind == JsonValueKind.Array && element.GetArrayLength() > 0)
        {
            element = element[0];
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var callback = element.TryGetProperty("callback", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
        var variables = element.TryGetProperty("callback_var", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        return string.IsNullOrEmpty(callback) ? null : (callback, variables ?? string.Empty);
    }
}

/// <summary><c>/open/upload/get_token</c>: STS credentials for OSS (note the capitalised keys).</summary>
internal sealed class Open115UploadToken
{
    [JsonPropertyName("endpoint")]
    public string? Endpoint { get; set; }

    [JsonPropertyName("AccessKeyId")]
    public string? AccessKeyId { get; set; }

    [JsonPropertyName("AccessKeySecret")]
    public string? AccessKeySecret { get; set; }

    [JsonPropertyName("SecurityToken")]
    public string? SecurityToken { get; set; }
}

/// <summary>The passport's <c>/open/refreshToken</c> data.</summary>
internal sealed class Open115TokenData
{
    [JsonPropertyName("access_token")]
    public string? AccessToken { get; set; }

    [JsonPropertyName("refresh_token")]
    public string? RefreshToken { get; set; }

    [JsonPropertyName("expires_in")]
    [JsonConverter(typeof(FlexibleInt64Converter))]
    public long? ExpiresIn { get; set; }
}
