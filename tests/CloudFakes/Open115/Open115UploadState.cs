using OpenList.DriverHost.CloudFakes.Shared;

namespace OpenList.DriverHost.CloudFakes.Open115;

/// <summary>Upload bookkeeping, guarded by the fake's lock.</summary>
internal sealed class Open115UploadState
{
    /// <summary>STS credentials by AccessKeyId.</summary>
    public Dictionary<string, Open115OssCredential> Credentials { get; } = new(StringComparer.Ordinal);

    /// <summary>Outstanding sign_check challenges by sign_key (single use).</summary>
    public Dictionary<string, Open115SignChallenge> SignChallenges { get; } = new(StringComparer.Ordinal);

    /// <summary>Upload sessions handed out by init, by OSS object key.</summary>
    public Dictionary<string, Open115UploadSession> Sessions { get; } = new(StringComparer.Ordinal);

    /// <summary>OSS multipart uploads by UploadId.</summary>
    public Dictionary<string, Open115Multipart> Multiparts { get; } = new(StringComparer.Ordinal);
}

internal sealed class Open115OssCredential
{
    public required string AccessKeyId { get; init; }

    public required string AccessKeySecret { get; init; }

    public required string SecurityToken { get; init; }

    public required string UserId { get; init; }

    public DateTimeOffset ExpiresAt { get; set; }
}

/// <summary>A sign_check the client must answer with the SHA1 of bytes [Start, End] of the content.</summary>
internal sealed record Open115SignChallenge(
    string UserId,
    string Sha1,
    long Size,
    string Target,
    long Start,
    long End,
    string ExpectedSha1,
    DateTimeOffset ExpiresAt);

/// <summary>What init promised: the file that appears when OSS fires the callback for <see cref="Object"/>.</summary>
internal sealed class Open115UploadSession
{
    public required string UserId { get; init; }

    public required string TargetId { get; init; }

    public required string Target { get; init; }

    public required string FileName { get; init; }

    public required long Size { get; init; }

    public required string Sha1 { get; init; }

    public required string PreId { get; init; }

    public required string PickCode { get; init; }

    public required string FileId { get; init; }

    public required string Object { get; init; }

    public required string CallbackUrl { get; init; }

    /// <summary>callback.callback: the JSON the client base64-encodes into x-oss-callback.</summary>
    public required string Callback { get; init; }

    /// <summary>callback.callback_var: the JSON the client base64-encodes into x-oss-callback-var.</summary>
    public required string CallbackVar { get; init; }

    public required IReadOnlyDictionary<string, string> Variables { get; init; }

    /// <summary>The object's content once OSS stored it (multipart complete or PutObject).</summary>
    public FileContent? Stored { get; set; }

    /// <summary>The callback created the file.</summary>
    public bool Finished { get; set; }
}

internal sealed class Open115Multipart
{
    public required string UploadId { get; init; }

    public required string Object { get; init; }

    public required string UserId { get; init; }

    public required DateTimeOffset Initiated { get; init; }

    public SortedDictionary<int, Open115Part> Parts { get; } = [];

    public bool Completing { get; set; }
}

internal sealed record Open115Part(int Number, StoredBlob Blob, DateTimeOffset Uploaded)
{
    /// <summary>OSS part ETag: the quoted uppercase MD5 hex.</summary>
    public string ETag => "\"" + Blob.Md5Hex + "\"";
}
