namespace OpenList.DriverHost.CloudFakes.Open115;

/// <summary>Upload bookkeeping, guarded by the fake's lock.</summary>
internal sealed class Open115UploadState
{
    public Dictionary<string, Open115OssCredential> Credentials { get; } = new(StringComparer.Ordinal);
}

internal sealed class Open115OssCredential
{
    public required string AccessKeyId { get; init; }

    public required string AccessKeySecret { get; init; }

    public required string SecurityToken { get; init; }

    public required string UserId { get; init; }

    public DateTimeOffset ExpiresAt { get; set; }
}
