using OpenList.DriverHost.CloudFakes.Shared;

namespace OpenList.DriverHost.CloudFakes.Open123;

/// <summary>
/// The codes the fake answers with, always HTTP 200 + the JSON envelope. Documented: 401 (access_token invalid),
/// 429 (too many requests), 5066 (file does not exist, download_info), 5113 (daily download traffic exceeded).
/// DESIGN: every other failure (bad parameters, name conflicts, limits) is code 1, the generic error code the
/// real API is observed to use (e.g. mkdir of an existing name); 5066 is also used for any unknown or trashed id.
/// </summary>
internal static class Open123Errors
{
    public const int Generic = 1;
    public const int TokenInvalid = 401;
    public const int Throttled = 429;
    public const int FileNotFound = 5066;
    public const int TrafficExceeded = 5113;

    public static FakeApiException Invalid(string message) => Code(Generic, message);

    public static FakeApiException Unauthorized(string message) => Code(TokenInvalid, message);

    public static FakeApiException TooManyRequests() => Code(Throttled, "请求太频繁");

    public static FakeApiException NotFound() => Code(FileNotFound, "文件不存在，检查传入fileId是否正确");

    public static FakeApiException DownloadTrafficExceeded() =>
        Code(TrafficExceeded, "您今日自用下载流量已超出1GB上限，升级VIP会员可无限流量下载");

    /// <summary>An envelope error: HTTP 200 with <c>code</c> = <paramref name="code"/>.</summary>
    public static FakeApiException Code(int code, string message) =>
        new(StatusCodes.Status200OK, code.ToString(System.Globalization.CultureInfo.InvariantCulture), message);
}
