using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace OpenList.DriverHost.CloudFakes.Tests.TestSupport;

/// <summary>
/// A minimal OSS client written from the public V1 signature docs (independently of the fake's verifier):
/// path-style URLs, <c>Authorization: OSS id:base64(hmac-sha1(secret, StringToSign))</c>.
/// </summary>
public sealed class OssTestClient(HttpClient http, JsonElement credentials, string bucket, string objectKey, Func<DateTimeOffset> clock)
{
    private static readonly string[] SignedQueryKeys = ["partNumber", "sequential", "uploadId", "uploads"];

    public string AccessKeyId { get; set; } = credentials.GetProperty(nameof(AccessKeyId)).GetString()!;

    public string AccessKeySecret { get; set; } = credentials.GetProperty(nameof(AccessKeySecret)).GetString()!;

    public string? SecurityToken { get; set; } = credentials.GetProperty(nameof(SecurityToken)).GetString()!;

    public string Endpoint { get; } = credentials.GetProperty("endpoint").GetString()!;

    public string ObjectKey { get; set; } = objectKey;

    /// <summary>Applied to the StringToSign before signing (to produce a wrong signature).</summary>
    public Func<string, string> Tamper { get; set; } = s => s;

    public TimeSpan DateOffset { get; set; }

    public async Task<Open115Response> SendAsync(HttpMethod method, string query, HttpContent? content = null, IDictionary<string, string>? ossHeaders = null)
    {
        using var request = new HttpRequestMessage(method, $"{Endpoint}/{bucket}/{ObjectKey}" + (query.Length > 0 ? "?" + query : "")) { Content = content };
        var date = (clock() + DateOffset).UtcDateTime.ToString("r", CultureInfo.InvariantCulture);
        request.Headers.TryAddWithoutValidation("Date", date);
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (SecurityToken is not null)
        {
            headers["x-oss-security-token"] = SecurityToken;
        }

        foreach (var (key, value) in ossHeaders ?? new Dictionary<string, string>())
        {
            headers[key.ToLowerInvariant()] = value;
        }

        foreach (var (key, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(key, value);
        }

        var resource = $"/{bucket}/{ObjectKey}";
        var signedQuery = query.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => SignedQueryKeys.Contains(p[0]))
            .OrderBy(p => p[0], StringComparer.Ordinal)
            .Select(p => p.Length == 2 && p[1].Length > 0 ? p[0] + "=" + Uri.UnescapeDataString(p[1]) : p[0])
            .ToList();
        if (signedQuery.Count > 0)
        {
            resource += "?" + string.Join("&", signedQuery);
        }

        var stringToSign = $"{method.Method}\n{content?.Headers.ContentMD5 switch { null => "", var md5 => Convert.ToBase64String(md5) }}\n{content?.Headers.ContentType?.ToString() ?? ""}\n{date}\n"
            + string.Concat(headers.Select(h => $"{h.Key}:{h.Value}\n")) + resource;
        var signature = Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(AccessKeySecret), Encoding.UTF8.GetBytes(Tamper(stringToSign))));
        request.Headers.TryAddWithoutValidation("Authorization", $"OSS {AccessKeyId}:{signature}");
        using var response = await http.SendAsync(request);
        return await Open115Response.ReadAsync(response);
    }

    public async Task<string> InitiateAsync()
    {
        var answer = await SendAsync(HttpMethod.Post, "sequential&uploads");
        Assert.True(answer.Status == System.Net.HttpStatusCode.OK, answer.Body);
        return Xml(answer.Body, "UploadId");
    }

    public async Task<string> UploadPartAsync(string uploadId, int number, byte[] bytes)
    {
        var answer = await SendAsync(HttpMethod.Put, $"partNumber={number}&uploadId={uploadId}", new ByteArrayContent(bytes));
        Assert.True(answer.Status == System.Net.HttpStatusCode.OK, answer.Body);
        return answer.Message.Headers.ETag!.Tag;
    }

    public Task<Open115Response> CompleteAsync(string uploadId, IEnumerable<(int Number, string ETag)> parts, JsonElement? callback)
    {
        var xml = "<CompleteMultipartUpload>" + string.Concat(parts.Select(p => $"<Part><PartNumber>{p.Number}</PartNumber><ETag>{p.ETag}</ETag></Part>")) + "</CompleteMultipartUpload>";
        var content = new StringContent(xml, Encoding.UTF8);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/xml");
        return SendAsync(HttpMethod.Post, "uploadId=" + uploadId, content, CallbackHeaders(callback));
    }

    /// <summary>Complete with one part and explicit callback headers.</summary>
    public Task<Open115Response> CompleteAsync2(string uploadId, string etag, IDictionary<string, string> headers)
    {
        var xml = $"<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>{etag}</ETag></Part></CompleteMultipartUpload>";
        return SendAsync(HttpMethod.Post, "uploadId=" + uploadId, new StringContent(xml, Encoding.UTF8), headers);
    }

    public static Dictionary<string, string> CallbackHeaders(JsonElement? callback) =>
        callback is { } c
            ? new Dictionary<string, string>
            {
                ["x-oss-callback"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(c.GetProperty("callback").GetString()!)),
                ["x-oss-callback-var"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(c.GetProperty("callback_var").GetString()!)),
            }
            : [];

    public static string Xml(string body, string element) =>
        System.Xml.Linq.XDocument.Parse(body).Descendants().First(e => e.Name.LocalName == element).Value;
}
