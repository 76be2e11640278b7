namespace OpenList.DriverHost.Drivers.Tests.TestSupport;

/// <summary>Upload contents for tests.</summary>
internal static class TestBytes
{
    /// <summary>Pseudo-random bytes, seeded by <paramref name="size"/> so a failing case repeats exactly.</summary>
    public static byte[] Random(int size)
    {
        var bytes = new byte[size];
        new Random(size).NextBytes(bytes);
        return bytes;
    }
}
