namespace OpenList.DriverHost.Drivers;

/// <summary>What the client told us about an upload besides its bytes.</summary>
/// <param name="LastModified">Requested modification time (X-OC-Mtime and friends); drivers that cannot keep it ignore it.</param>
/// <param name="ContentType">The client's Content-Type, when it sent one.</param>
public sealed record PutOptions(DateTimeOffset? LastModified = null, string? ContentType = null)
{
    public static PutOptions Default { get; } = new();
}
