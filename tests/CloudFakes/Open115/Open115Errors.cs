using System.Globalization;
using OpenList.DriverHost.CloudFakes.Shared;

namespace OpenList.DriverHost.CloudFakes.Open115;

/// <summary>
/// The codes the fake answers with (specs/cloud-apis.md §1.2). Every business error is HTTP 200 with
/// <c>state:false</c>. Codes marked DESIGN are not documented; the fake picked them so a driver sees a stable,
/// non-<c>401…</c> code (a <c>401…</c> code would make the SDK refresh and retry).
/// </summary>
internal static class Open115Errors
{
    public const long RefreshTokenFormat = 40140114;
    public const long RefreshTokenSignature = 40140115;
    public const long RefreshTokenInvalid = 40140116; // "no auth": revoked, displaced by a third authorization, or already used
    public const long RefreshTooFrequent = 40140117;
    public const long RefreshTokenExpired = 40140119;
    public const long RefreshTokenVerification = 40140120;
    public const long AccessTokenFormat = 40140123;
    public const long AccessTokenSignature = 40140124;
    public const long AccessTokenInvalid = 40140125; // expired or revoked: the normal "please refresh"
    public const long AccessTokenVerification = 40140126;
    public const long NotFound = 430004;
    public const long AlreadyExists = 20004; // UNCERTAIN (third-party clients): folder already exists

    /// <summary>DESIGN (UNCERTAIN: 115's web API answers 990002 "参数错误"): a missing or malformed parameter.</summary>
    public const long InvalidParameter = 990002;

    /// <summary>DESIGN: the operation is not allowed on this object (download a folder, move a folder into itself, …).</summary>
    public const long NotAllowed = 990009;

    public static FakeApiException Api(long code, string message) =>
        new(StatusCodes.Status200OK, code.ToString(CultureInfo.InvariantCulture), message);

    public static FakeApiException Missing(string name) => Api(InvalidParameter, $"参数错误: {name} is required.");

    public static FakeApiException Invalid(string name, string problem) => Api(InvalidParameter, $"参数错误: {name} {problem}.");

    public static FakeApiException ObjectNotFound() => Api(NotFound, "文件不存在或已删除。");

    public static FakeApiException Exists(string name) => Api(AlreadyExists, $"该目录名称已存在。({name})");

    public static FakeApiException Forbidden(string message) => Api(NotAllowed, message);
}
