using OpenList.DriverHost.Drivers.Errors;

namespace OpenList.DriverHost.Drivers.Tests.Conformance;

/// <summary>Helpers shared by the conformance tests.</summary>
public abstract partial class DriverConformanceTests
{
    /// <summary>Deterministic pseudo-random bytes; different seeds give different contents.</summary>
    protected static byte[] Bytes(int count, int seed = 1)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Uploads <paramref name="content"/> with its length declared and returns <paramref name="path"/>.</summary>
    protected async Task<StoragePath> PutAsync(StoragePath path, byte[] content, PutOptions? options = null)
    {
        using var stream = new MemoryStream(content, writable: false);
        var entry = await Driver.PutAsync(path, stream, content.Length, options ?? PutOptions.Default, Ct);
        Assert.Equal(path, entry.Path);
        return path;
    }

    /// <summary>Reads the whole file.</summary>
    protected async Task<byte[]> ReadAllAsync(StoragePath path)
    {
        await using var read = await Driver.OpenReadAsync(path, null, Ct);
        var bytes = await ReadToEndAsync(read.Content);
        Assert.Null(read.Range);
        Assert.Equal(bytes.Length, read.TotalLength);
        return bytes;
    }

    protected async Task<byte[]> ReadToEndAsync(Stream stream)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, 81920, Ct);
        return buffer.ToArray();
    }

    protected async Task<List<StorageEntry>> ListAsync(StoragePath path)
    {
        var entries = new List<StorageEntry>();
        await foreach (var entry in Driver.ListAsync(path, Ct))
        {
            entries.Add(entry);
        }

        return entries;
    }

    /// <summary>Asserts that <paramref name="action"/> raises a <see cref="StorageException"/> of <paramref name="kind"/>.</summary>
    protected static async Task<StorageException> AssertKindAsync(StorageErrorKind kind, Func<Task> action)
    {
        var e = await Assert.ThrowsAsync<StorageException>(action);
        Assert.True(e.Kind == kind, $"expected {kind} but got {e.Kind}: {e.Message}");
        return e;
    }

    /// <summary>Every hash <paramref name="entry"/> reports is one the driver declares, in lower-case hex, and that of <paramref name="content"/>.</summary>
    protected void AssertHashes(byte[] content, StorageEntry entry)
    {
        foreach (var (name, value) in entry.Hashes)
        {
            Assert.True(Driver.Capabilities.Hashes.Contains(name), $"{entry.Path} reports a {name} hash the driver does not declare");
#pragma warning disable CA5350, CA5351 // content hashes as providers report them, not security
            var expected = name switch
            {
                HashNames.Md5 => Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(content)),
                HashNames.Sha1 => Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData(content)),
                HashNames.Sha256 => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content)),
                _ => null,
            };
#pragma warning restore CA5350, CA5351
            Assert.True(expected is not null, $"{entry.Path} reports an unknown hash name {name}");
            Assert.True(expected == value, $"{entry.Path}: {name} is {value}, expected {expected} (lower-case hex of the content)");
        }
    }

    /// <summary>Asserts that a modification time was kept within the driver's declared precision.</summary>
    protected static void AssertTimeKept(DateTimeOffset expected, DateTimeOffset actual, TimeSpan precision)
    {
        var drift = (expected - actual).Duration();
        Assert.True(drift <= precision, $"expected {expected:O} within {precision} but got {actual:O}");
    }
}
