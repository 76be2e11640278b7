using OpenList.DriverHost.CloudFakes.Shared;

namespace OpenList.DriverHost.CloudFakes.Aliyun;

/// <summary>
/// The error codes the fake answers with. Codes come from the documented list (specs/cloud-apis.md §2.2);
/// statuses other than 409 (PreHashMatched) and 429 are a DESIGN PROPOSAL: 401 token codes, 404 not found,
/// 409 conflicts.
/// </summary>
internal static class AliyunErrors
{
    public static FakeApiException AccessTokenInvalid() => new(401, "AccessTokenInvalid", "AccessToken is invalid. ErrValidation");

    public static FakeApiException AccessTokenExpired() => new(401, "AccessTokenExpired", "AccessToken is expired. ErrValidation");

    /// <summary>UNCERTAIN: the real service may answer NotFound.FileId; the spec leaves it open, the fake uses NotFound.File.</summary>
    public static FakeApiException NotFound() => new(404, "NotFound.File", "The resource file cannot be found. file not exist");

    public static FakeApiException DriveNotFound() => new(404, "NotFound.Drive", "The resource drive cannot be found.");

    public static FakeApiException UploadNotFound() => new(404, "NotFound.UploadId", "The upload id cannot be found.");

    public static FakeApiException AlreadyExists(string name) => new(409, "AlreadyExist.File", $"The resource file has already exists. name: {name}");

    public static FakeApiException PreHashMatched() => new(409, "PreHashMatched", "Pre hash matched.");

    public static FakeApiException TooManyRequests(TimeSpan retryAfter) => new(429, "TooManyRequests", "Too Many Requests", retryAfter);

    public static FakeApiException Invalid(string field, string problem) => JsonRequest.Invalid(field, problem);
}
