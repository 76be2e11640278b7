using System.Globalization;
using System.Net.Http.Headers;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text;
using System.Xml.Linq;
using System.Xml;
using Microsoft.Extensions.Logging;
using OpenList.DriverHost.Drivers.Errors;
using OpenList.DriverHost.Drivers.Http;
using OpenList.DriverHost.Drivers.Open115.Models;
using OpenList.DriverHost.Drivers.Uploads;

namespace OpenList.DriverHost.Drivers.Open115;

/// <summary>
/// One Aliyun OSS multipart upload with 115's STS credentials (cloud-apis.md §1.6 steps 5–7): InitiateMultipartUpload
/// (<c>sequential</c>), the parts in order from 1 (each tried up to four times with back-off from one second), and
/// CompleteMultipartUpload carrying 115's callback (<c>x-oss-callback</c>, <c>x-oss-callback-var</c>, base64), which is
/// what makes the file appear in 115. Requests are signed with OSS signature V1. An empty file is one PutObject.
/// </summary>
internal sealed class Open115UploadSession
{
    private const int Retries = 3;
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromMinutes(10);

    private readonly HttpClient _http;
    private readonly Func<CancellationToken, Task<Open115UploadToken>> _credentials;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _mountPath;
    private readonly StoragePath _path;
    private readonly string _bucket;
    private readonly string _object;
    private readonly (string Callback, string CallbackVar)? _callback;
    private Open115UploadToken _token = new();

    public Open115UploadSession(
        HttpClient http,
        Func<CancellationToken, Task<Open115UploadToken>> credentials,
        TimeProvider time,
        ILogger logger,
        string mountPath,
        StoragePath path,
        string bucket,
        string objectKey,
        (string Callback, string CallbackVar)? callback)
    {
        _http = http;
        _credentials = credentials;
        _time = time;
        _logger = logger;
        _mountPath = mountPath;
        _path = path;
        _bucket = bucket;
        _object = objectKey;
        _callback = callback;
    }

    /// <summary>Uploads every byte of <paramref name="body"/>; returns the callback's answer (115's JSON) when OSS relayed one.</summary>
    public async Task<JsonElement?> UploadAsync(Open115UploadBody body, CancellationToken cancellationToken)
    {
        await RenewCredentialsAsync(cancellationToken).ConfigureAwait(false);
        var partSize = OssPartSize.For(body.Length);
        var count = OssPartSize.Count(body.Length, partSize);
        if (count == 0)
        {
            // OSS has no multipart upload without parts: an empty object is one PutObject with the callback.
            using var put = await SendAsync(() => Build(HttpMethod.Put, [], body.Segment(0, 0), "application/octet-stream", withCallback: true), "PutObject", 0, cancellationToken).ConfigureAwait(false);
            return await CallbackAnswerAsync(put, cancellationToken).ConfigureAwait(false);
        }

        string uploadId;
        using (var initiated = await SendAsync(
            () => Build(HttpMethod.Post, [new("sequential", null), new("uploads", null)], new ByteArrayContent([]), "application/octet-stream", withCallback: false),
            "InitiateMultipartUpload",
            0,
            cancellationToken).ConfigureAwait(false))
        {
            uploadId = XmlValue(await initiated.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false), "UploadId")
                ?? throw new StorageException(StorageErrorKind.Unavailable, $"OSS answered InitiateMultipartUpload for {_path} without an UploadId");
        }

        var etags = new List<(int Number, string ETag)>(count);
        for (var number = 1; number <= count; number++)
        {
            var offset = (number - 1) * partSize;
            var length = Math.Min(partSize, body.Length - offset);
            var partNumber = number;
            using var response = await SendAsync(
                () => Build(HttpMethod.Put, [new("partNumber", partNumber.ToString(CultureInfo.InvariantCulture)), new("uploadId", uploadId)], body.Segment(offset, length), "application/octet-stream", withCallback: false),
                "UploadPart",
                number,
                cancellationToken).ConfigureAwait(false);
            var etag = response.Headers.ETag?.Tag
                ?? (response.Headers.TryGetValues("ETag", out var values) ? values.FirstOrDefault() : null)
                ?? throw new StorageException(StorageErrorKind.Unavailable, $"OSS answered part {number} of {_path} without an ETag");
            etags.Add((number, etag));
        }

        var xml = new XElement(
            "CompleteMultipartUpload",
            etags.Select(p => new XElement("Part", new XElement("PartNumber", p.Number), new XElement("ETag", p.ETag))));
        var completeBody = Encoding.UTF8.GetBytes(xml.ToString(SaveOptions.DisableFormatting));
        using var completed = await SendAsync(
            () => Build(HttpMethod.Post, [new("uploadId", uploadId)], new ByteArrayContent(completeBody), "application/xml", withCallback: true),
            "CompleteMultipartUpload",
            0,
            cancellationToken,
            retry: false).ConfigureAwait(false);
        return await CallbackAnswerAsync(completed, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>OSS signature V1: <c>Authorization: OSS &lt;AccessKeyId&gt;:base64(hmac-sha1(secret, string-to-sign))</c>.</summary>
    internal static string Sign(string secret, string verb, string contentType, string date, IEnumerable<KeyValuePair<string, string>> ossHeaders, string resource, string contentMd5 = "")
    {
        var canonical = new StringBuilder();
        foreach (var (name, value) in ossHeaders.Select(h => (Name: h.Key.ToLowerInvariant(), h.Value)).OrderBy(h => h.Name, StringComparer.Ordinal))
        {
            canonical.Append(name).Append(':').Append(value).Append('\n');
        }

        var stringToSign = $"{verb}\n{contentMd5}\n{contentType}\n{date}\n{canonical}{resource}";
#pragma warning disable CA5350 // OSS signature V1 is HMAC-SHA1 by definition
        using var hmac = new HMACSHA1(Encoding.UTF8.GetBytes(secret));
#pragma warning restore CA5350
        return Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(stringToSign)));
    }

    /// <summary>The object's URL: path style for an IP or localhost endpoint (as the OSS SDK does), virtual-hosted otherwise.</summary>
    internal static Uri ObjectUrl(string endpoint, string bucket, string objectKey, string query)
    {
        var text = endpoint.Contains("://", StringComparison.Ordinal) ? endpoint : "https://" + endpoint;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var baseUri) || (baseUri.Scheme != Uri.UriSchemeHttp && baseUri.Scheme != Uri.UriSchemeHttps))
        {
            throw new StorageException(StorageErrorKind.Unavailable, "115 handed out an OSS endpoint that is not an http(s) URL");
        }

        var key = string.Join('/', objectKey.Split('/').Select(Uri.EscapeDataString));
        var pathStyle = baseUri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 || baseUri.IsLoopback;
        var builder = new UriBuilder(baseUri) { Query = query };
        if (pathStyle)
        {
            builder.Path = baseUri.AbsolutePath.TrimEnd('/') + "/" + Uri.EscapeDataString(bucket) + "/" + key;
        }
        else
        {
            builder.Host = bucket + "." + baseUri.Host;
            builder.Path = "/" + key;
        }

        return builder.Uri;
    }

    private HttpRequestMessage Build(HttpMethod method, List<KeyValuePair<string, string?>> subresources, HttpContent content, string contentType, bool withCallback)
    {
        var sorted = subresources.OrderBy(s => s.Key, StringComparer.Ordinal).ToList();
        var signed = string.Join('&', sorted.Select(s => s.Value is null ? s.Key : s.Key + "=" + s.Value));
        var query = string.Join('&', sorted.Select(s => s.Value is null ? s.Key : s.Key + "=" + Uri.EscapeDataString(s.Value)));
        var date = _time.GetUtcNow().UtcDateTime.ToString("r", CultureInfo.InvariantCulture);
        var ossHeaders = new List<KeyValuePair<string, string>>();
        if (!string.IsNullOrEmpty(_token.SecurityToken))
        {
            ossHeaders.Add(new("x-oss-security-token", _token.SecurityToken));
        }

        if (withCallback && _callback is { } callback)
        {
            ossHeaders.Add(new("x-oss-callback", Convert.ToBase64String(Encoding.UTF8.GetBytes(callback.Callback))));
            ossHeaders.Add(new("x-oss-callback-var", Convert.ToBase64String(Encoding.UTF8.GetBytes(callback.CallbackVar))));
        }

        var resource = "/" + _bucket + "/" + _object + (signed.Length > 0 ? "?" + signed : "");
        var signature = Sign(_token.AccessKeySecret ?? "", method.Method, contentType, date, ossHeaders, resource);
        var request = new HttpRequestMessage(method, ObjectUrl(_token.Endpoint ?? "", _bucket, _object, query)) { Content = content };
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        request.Headers.TryAddWithoutValidation("Date", date);
        foreach (var (name, value) in ossHeaders)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        request.Headers.TryAddWithoutValidation("Authorization", $"OSS {_token.AccessKeyId}:{signature}");
        return request;
    }

    /// <summary>
    /// Sends a request built afresh for each attempt. Connection failures, timeouts, 5xx and 429 are retried up to
    /// <see cref="Retries"/> times with back-off; a 403 (the STS credentials expired) renews them once.
    /// </summary>
    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> build, string operation, int part, CancellationToken cancellationToken, bool retry = true)
    {
        var renewed = false;
        for (var attempt = 1; ; attempt++)
        {
            string failure;
            HttpResponseMessage? response = null;
            try
            {
                using var timeout = new CancellationTokenSource(AttemptTimeout, _time);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
                using var request = build();
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, linked.Token).ConfigureAwait(false);
                var status = response.StatusCode;
                if (response.IsSuccessStatusCode && status != HttpStatusCode.NonAuthoritativeInformation)
                {
                    var ok = response;
                    response = null;
                    return ok;
                }

                var code = XmlValue(await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false), "Code");
                failure = $"HTTP {((int)status).ToString(CultureInfo.InvariantCulture)}{(code is null ? "" : " " + code)}";
                if (status == HttpStatusCode.Forbidden && !renewed)
                {
                    renewed = true;
                    await RenewCredentialsAsync(cancellationToken).ConfigureAwait(false);
                    attempt--;
                    continue;
                }

                if (!retry || (status != HttpStatusCode.TooManyRequests && (int)status < 500))
                {
                    // 203 is OSS's "the callback failed": the bytes arrived but 115 did not take the file.
                    throw new StorageException(StorageErrorKind.Unavailable, $"OSS refused {operation} of {_path} ({failure}); nothing was kept");
                }
            }
            catch (Exception e) when (e is HttpRequestException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                failure = e is OperationCanceledException ? "timed out" : "connection failed";
                if (!retry)
                {
                    throw new StorageException(StorageErrorKind.Unavailable, $"OSS {operation} of {_path} failed ({failure})", TimeSpan.FromSeconds(10), e);
                }
            }
            finally
            {
                response?.Dispose();
            }

            if (attempt > Retries)
            {
                throw new StorageException(
                    StorageErrorKind.Unavailable,
                    $"OSS {operation}{(part > 0 ? " " + part.ToString(CultureInfo.InvariantCulture) : "")} of {_path} failed {attempt} times ({failure}); nothing was kept",
                    TimeSpan.FromSeconds(10));
            }

            Open115Log.PartRetry(_logger, _mountPath, _path, part, attempt, failure);
            await Task.Delay(FirstBackoff * Math.Pow(2, attempt - 1), _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task RenewCredentialsAsync(CancellationToken cancellationToken)
    {
        var token = await _credentials(cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrEmpty(token.Endpoint) || string.IsNullOrEmpty(token.AccessKeyId) || string.IsNullOrEmpty(token.AccessKeySecret))
        {
            throw new StorageException(StorageErrorKind.Unavailable, $"115 handed out no usable OSS credentials for the upload of {_path}");
        }

        _token = token;
    }

    /// <summary>OSS relays the callback server's answer (115's JSON envelope); a <c>state:false</c> there fails the upload.</summary>
    private async Task<JsonElement?> CallbackAnswerAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(bytes);
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }

        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("state", out var state) && state.ValueKind == JsonValueKind.False)
        {
            throw new StorageException(
                StorageErrorKind.Unavailable,
                $"115 refused the uploaded file {_path} (code {Open115ApiClient.Code(root).ToString(CultureInfo.InvariantCulture)}, {CloudReplies.Clean(Open115ApiClient.Text(root, "message"), null)})");
        }

        return root;
    }

    /// <summary>The text of the first element named <paramref name="name"/> in an OSS XML body, or null.</summary>
    private static string? XmlValue(byte[] bytes, string name)
    {
        if (bytes.Length == 0)
        {
            return null;
        }

        try
        {
            using var stream = new MemoryStream(bytes);
            var document = XDocument.Load(stream);
            return document.Descendants().FirstOrDefault(e => e.Name.LocalName == name)?.Value;
        }
        catch (XmlException)
        {
            return null;
        }
    }
}
