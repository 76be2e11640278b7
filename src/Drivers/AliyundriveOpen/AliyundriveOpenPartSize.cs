using OpenList.DriverHost.Drivers.Uploads;

namespace OpenList.DriverHost.Drivers.AliyundriveOpen;

/// <summary>Part sizes for §2.6: the OSS table shared with 115 Open (<see cref="OssPartSizeTable"/>).</summary>
internal static class AliyundriveOpenPartSize
{
    public const long Default = OssPartSizeTable.Default;

    /// <summary>Bytes per part for a file of <paramref name="fileSize"/> bytes.</summary>
    public static long For(long fileSize) => OssPartSizeTable.For(fileSize);

    /// <summary>ceil(size / partSize): no part at all for an empty file.</summary>
    public static int Count(long fileSize, long partSize) => OssPartSizeTable.Count(fileSize, partSize);
}
