using OpenList.DriverHost.Drivers.Uploads;

namespace OpenList.DriverHost.Drivers.Open115;

/// <summary>The OSS part size for an upload (§1.6 item 7): the table shared with Aliyundrive Open (<see cref="OssPartSizeTable"/>).</summary>
internal static class Open115PartSize
{
    public const long Default = OssPartSizeTable.Default;

    /// <summary>Bytes per part for a file of <paramref name="fileSize"/> bytes.</summary>
    public static long For(long fileSize) => OssPartSizeTable.For(fileSize);

    /// <summary>ceil(size / partSize): no part at all for an empty file.</summary>
    public static int Count(long fileSize, long partSize) => OssPartSizeTable.Count(fileSize, partSize);
}
