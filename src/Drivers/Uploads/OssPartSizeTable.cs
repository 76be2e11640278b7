namespace OpenList.DriverHost.Drivers.Uploads;

/// <summary>
/// The part-size table that 115 Open and Aliyundrive Open both use for their OSS multipart uploads (cloud-apis.md
/// §1.6 item 7, §2.6): 20 MiB parts, growing past 128 GiB so that a file never needs more than 10,000 parts.
/// </summary>
internal static class OssPartSizeTable
{
    private const long MiB = 1024L * 1024;
    private const long GiB = 1024L * MiB;

    public const long Default = 20 * MiB;

    /// <summary>Bytes per part for a file of <paramref name="fileSize"/> bytes.</summary>
    public static long For(long fileSize) => fileSize switch
    {
        > 1024 * GiB => 5 * GiB,
        > 768 * GiB => 109951163,
        > 512 * GiB => 82463373,
        > 384 * GiB => 54975582,
        > 256 * GiB => 41231687,
        > 128 * GiB => 27487791,
        _ => Default,
    };

    /// <summary>ceil(size / partSize): no part at all for an empty file, as OpenList computes it.</summary>
    public static int Count(long fileSize, long partSize) => checked((int)((fileSize + partSize - 1) / partSize));
}
