namespace OpenList.DriverHost.Drivers.Uploads;

/// <summary>
/// The part size of a multipart upload to Alibaba OSS, which both 115 Open and Aliyundrive Open upload to
/// (cloud-apis.md §1.6 item 7, used by §2.6): 20 MiB, growing for huge files so they stay under OSS's part limit.
/// </summary>
internal static class OssPartSize
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
