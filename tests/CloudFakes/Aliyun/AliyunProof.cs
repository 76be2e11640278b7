using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using OpenList.DriverHost.CloudFakes.Shared;

namespace OpenList.DriverHost.CloudFakes.Aliyun;

/// <summary>
/// proof_version "v1" for rapid upload (specs/cloud-apis.md §2.6): x = the first 16 hex characters of
/// md5hex(access_token) read as a uint64; start = x mod size; end = min(start + 8, size);
/// proof_code = standard base64 of bytes [start, end).
/// </summary>
internal static class AliyunProof
{
    public static (long Start, int Length) Window(string accessToken, long size)
    {
        var md5 = Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(accessToken)));
        var x = ulong.Parse(md5.AsSpan(0, 16), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
        var start = (long)(x % (ulong)size);
        var end = Math.Min(start + 8, size);
        return (start, (int)(end - start));
    }

    /// <summary>True if <paramref name="proofCode"/> is the base64 of the expected window of <paramref name="content"/>.</summary>
    public static bool Verify(string accessToken, FileContent content, string proofCode)
    {
        var (start, length) = Window(accessToken, content.Length);
        var expected = content.ReadRange(start, length);
        try
        {
            return Convert.FromBase64String(proofCode).AsSpan().SequenceEqual(expected);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
