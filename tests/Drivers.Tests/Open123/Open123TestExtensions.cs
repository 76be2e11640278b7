using OpenList.DriverHost.Drivers.Errors;

namespace OpenList.DriverHost.Drivers.Tests.Open123;

/// <summary>Short forms of driver calls for the 123 Open tests (paths as text, bytes in and out).</summary>
internal static class Open123TestExtensions
{
    public static async Task<List<StorageEntry>> ListAllAsync(this IStorageDriver driver, string path, CancellationToken ct = default)
    {
        var entries = new List<StorageEntry>();
        await foreach (var entry in driver.ListAsync(StoragePath.Parse(path), ct))
        {
            entries.Add(entry);
        }

        return entries;
    }

    public static async Task<List<string>> NamesAsync(this IStorageDriver driver, string path) =>
        (await driver.ListAllAsync(path)).Select(e => e.Name).ToList();

    public static async Task<byte[]> ReadAllAsync(this IStorageDriver driver, string path, ByteRange? range = null, CancellationToken ct = default)
    {
        await using var read = await driver.OpenReadAsync(StoragePath.Parse(path), range, ct);
        using var buffer = new MemoryStream();
        await read.Content.CopyToAsync(buffer, ct);
        return buffer.ToArray();
    }

    public static async Task<StorageEntry> PutBytesAsync(this IStorageDriver driver, string path, byte[] content, PutOptions? options = null, CancellationToken ct = default)
    {
        using var stream = new MemoryStream(content, writable: false);
        return await driver.PutAsync(StoragePath.Parse(path), stream, content.Length, options ?? PutOptions.Default, ct);
    }

    public static Task<StorageEntry> StatAsync(this IStorageDriver driver, string path) =>
        driver.StatAsync(StoragePath.Parse(path), CancellationToken.None);

    /// <summary>Asserts that <paramref name="action"/> raises a <see cref="StorageException"/> of <paramref name="kind"/>.</summary>
    public static async Task<StorageException> AssertKindAsync(StorageErrorKind kind, Func<Task> action)
    {
        var e = await Assert.ThrowsAsync<StorageException>(action);
        Assert.True(e.Kind == kind, $"expected {kind} but got {e.Kind}: {e.Message}");
        return e;
    }

    /// <summary>Deterministic pseudo-random bytes.</summary>
    public static byte[] Bytes(int count, int seed = 1)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

#pragma warning disable CA5350, CA5351 // the provider's content hashes, not security
    public static string Md5Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(bytes));

    public static string Sha1Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData(bytes));
#pragma warning restore CA5350, CA5351
}
