namespace OpenList.DriverHost.Drivers;

/// <summary>What the client told us about an upload besides its bytes.</summary>
/// <param name="LastModified">Requested modification time (X-OC-Mtime and friends); drivers that cannot keep it ignore it.</param>
/// <param name="ContentType">The client's Content-Type, when it sent one.</param>
public sealed record PutOptions(DateTimeOffset? LastModified = null, string? ContentType = null)
{
    /// <summary>
    /// Hashes of the content the caller is sure of before sending it (lower-case hex, keyed by <see cref="HashNames"/>),
    /// such as those a source storage reported during a copy. Drivers may use them for instant (content-addressed)
    /// uploads; they never replace the hashes a driver computes itself.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Hashes { get; init; }

    public static PutOptions Default { get; } = new();
}
