using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using OpenList.DriverHost.CloudFakes.Shared;

namespace OpenList.DriverHost.CloudFakes.Open115;

/// <summary>
/// OSS V1 header signatures (public OSS docs, "在Header中包含签名"):
/// <c>Authorization: OSS &lt;AccessKeyId&gt;:&lt;base64(HMAC-SHA1(AccessKeySecret, StringToSign))&gt;</c> with
/// <code>
/// StringToSign = VERB + "\n" + Content-MD5 + "\n" + Content-Type + "\n" + Date + "\n"
///              + CanonicalizedOSSHeaders + CanonicalizedResource
/// </code>
/// CanonicalizedOSSHeaders: every <c>x-oss-*</c> header, name lowercased, value trimmed, sorted by name, each
/// <c>name:value\n</c> (so <c>x-oss-security-token</c>, <c>x-oss-callback</c> and <c>x-oss-callback-var</c> are
/// signed). CanonicalizedResource: <c>/bucket/object</c> (object key unescaped) plus the sub-resources present
/// in the query, sorted, <c>?k1=v1&amp;k2</c> (decoded values; a key without value has no '='). Sub-resources are
/// the list of the OSS SDKs, which includes <c>uploads</c>, <c>uploadId</c>, <c>partNumber</c> and <c>sequential</c>.
/// </summary>
internal static class Open115OssSignature
{
    private static readonly HashSet<string> SubResources = new(StringComparer.Ordinal)
    {
        "acl", "uploads", "location", "cors", "logging", "website", "referer", "lifecycle", "delete", "append",
        "tagging", "objectMeta", "uploadId", "partNumber", "security-token", "position", "img", "style",
        "styleName", "replication", "replicationProgress", "replicationLocation", "cname", "bucketInfo", "comp",
        "qos", "live", "status", "vod", "startTime", "endTime", "symlink", "x-oss-process",
        "response-content-type", "x-oss-traffic-limit", "response-content-language", "response-expires",
        "response-cache-control", "response-content-disposition", "response-content-encoding", "udf", "udfName",
        "udfImage", "udfId", "udfImageDesc", "udfApplication", "udfApplicationLog", "restore", "callback",
        "callback-var", "qosInfo", "policy", "stat", "encryption", "versions", "versioning", "versionId",
        "requestPayment", "x-oss-request-payer", "sequential", "inventory", "inventoryId", "continuation-token",
        "asyncFetch", "worm", "wormId", "wormExtend", "withHashContext", "x-oss-enable-md5", "x-oss-enable-sha1",
        "x-oss-enable-sha256", "x-oss-hash-ctx", "x-oss-md5-ctx", "transferAcceleration", "regionList",
        "cloudboxes", "x-oss-ac-source-ip", "x-oss-ac-subnet-mask", "x-oss-ac-vpc-id", "x-oss-ac-forward-allow",
        "metaQuery", "resourceGroup", "rtc", "accessPoint", "accessPointPolicy", "httpsConfig",
        "publicAccessBlock", "policyStatus", "redundancyTransition", "redundancyType", "redundancyTransitionTaskId",
    };

    public static string StringToSign(HttpRequest request, string bucket, string objectKey)
    {
        var builder = new StringBuilder();
        builder.Append(request.Method).Append('\n');
        builder.Append(request.Headers["Content-MD5"].ToString()).Append('\n');
        builder.Append(request.Headers.ContentType.ToString()).Append('\n');
        builder.Append(request.Headers.Date.ToString()).Append('\n');
        foreach (var (name, value) in request.Headers
            .Where(h => h.Key.StartsWith("x-oss-", StringComparison.OrdinalIgnoreCase))
            .Select(h => (Name: h.Key.ToLowerInvariant(), Value: string.Join(",", h.Value.Select(v => v?.Trim()))))
            .OrderBy(h => h.Name, StringComparer.Ordinal))
        {
            builder.Append(name).Append(':').Append(value).Append('\n');
        }

        builder.Append('/').Append(bucket).Append('/').Append(objectKey);
        var signed = request.Query.Where(q => SubResources.Contains(q.Key)).OrderBy(q => q.Key, StringComparer.Ordinal).ToList();
        for (var i = 0; i < signed.Count; i++)
        {
            builder.Append(i == 0 ? '?' : '&').Append(signed[i].Key);
            if (signed[i].Value.ToString() is { Length: > 0 } value)
            {
                builder.Append('=').Append(value);
            }
        }

        return builder.ToString();
    }

    public static string Sign(string accessKeySecret, string stringToSign) =>
        Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(accessKeySecret), Encoding.UTF8.GetBytes(stringToSign)));

    /// <summary>
    /// Checks the request's credentials and signature, returning the credential (403 errors in OSS's codes
    /// otherwise): AccessDenied (no or non-V1 Authorization), InvalidAccessKeyId, InvalidSecurityToken (missing or
    /// wrong <c>x-oss-security-token</c>), SecurityTokenExpired, RequestTimeTooSkewed (<c>Date</c> missing, not
    /// RFC 1123, or further than <see cref="Open115Fake.OssMaxClockSkew"/> from the fake's clock),
    /// SignatureDoesNotMatch (the message carries the expected StringToSign, as OSS's error body does).
    /// Call under the fake's lock.
    /// </summary>
    public static Open115OssCredential Verify(Open115Fake fake, HttpRequest request, string bucket, string objectKey)
    {
        var header = request.Headers.Authorization.ToString();
        const string Scheme = "OSS ";
        var colon = header.LastIndexOf(':');
        if (!header.StartsWith(Scheme, StringComparison.Ordinal) || colon <= Scheme.Length)
        {
            throw new FakeApiException(403, "AccessDenied", "AccessDenied: anonymous access is forbidden; expected 'Authorization: OSS <AccessKeyId>:<Signature>'.");
        }

        var accessKeyId = header[Scheme.Length..colon];
        var signature = header[(colon + 1)..];
        if (!fake.Uploads.Credentials.TryGetValue(accessKeyId, out var credential))
        {
            throw new FakeApiException(403, "InvalidAccessKeyId", "The OSS Access Key Id you provided does not exist in our records.");
        }

        if (request.Headers["x-oss-security-token"].ToString() != credential.SecurityToken)
        {
            throw new FakeApiException(403, "InvalidSecurityToken", "The security token you provided is invalid (x-oss-security-token).");
        }

        var now = fake.Time.GetUtcNow();
        if (now >= credential.ExpiresAt)
        {
            throw new FakeApiException(403, "SecurityTokenExpired", "The security token you provided has expired.");
        }

        var dateText = request.Headers.Date.ToString();
        if (!DateTimeOffset.TryParseExact(dateText, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
        {
            throw new FakeApiException(403, "AccessDenied", "The Date header is missing or not RFC 1123 (e.g. 'Sun, 06 Nov 1994 08:49:37 GMT').");
        }

        if (fake.OssMaxClockSkew is { } skew && (date - now).Duration() > skew)
        {
            throw new FakeApiException(403, "RequestTimeTooSkewed", "The difference between the request time and the current time is too large.");
        }

        var stringToSign = StringToSign(request, bucket, objectKey);
        var expected = Sign(credential.AccessKeySecret, stringToSign);
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature)))
        {
            throw new FakeApiException(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. StringToSign: " + stringToSign.Replace("\n", "\\n", StringComparison.Ordinal));
        }

        return credential;
    }
}
