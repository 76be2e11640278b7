using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using OpenList.DriverHost.CloudFakes.Shared;

namespace OpenList.DriverHost.CloudFakes.Open115;

/// <summary>
/// The OSS-compatible endpoint behind <c>/open/upload/get_token</c>'s <c>endpoint</c>, path-style
/// (<c>{endpoint}/{bucket}/{object}</c>, as OSS SDKs address an IP endpoint). Every request needs a V1 signature
/// with the STS credentials (<see cref="Open115OssSignature"/>) and may only touch objects of the credential
/// owner's init sessions. Operations: InitiateMultipartUpload (<c>POST ?uploads</c>, <c>sequential</c> allowed),
/// UploadPart (<c>PUT ?partNumber&amp;uploadId</c>), CompleteMultipartUpload (<c>POST ?uploadId</c>, XML body),
/// AbortMultipartUpload (<c>DELETE ?uploadId</c>), ListParts (<c>GET ?uploadId</c>) and PutObject (<c>PUT</c>).
/// Complete and PutObject fire the <c>x-oss-callback</c> (base64 JSON) with <c>x-oss-callback-var</c>: the
/// fake's 115 callback server checks the variables, size, SHA1 and preid against init and creates the file;
/// the client then gets the callback's JSON (<c>{state, code, message, data}</c>) as the response body, as OSS
/// relays it. Errors are OSS XML.
/// </summary>
internal static class Open115OssEndpoints
{
    public const string Bucket = "fhnfile";
    private const long MinPartSize = 100 * 1024;
    private const long MaxPartSize = 5L << 30;
    private const int MaxPartNumber = 10_000;

    public static void Map(IEndpointRouteBuilder routes, Open115Fake fake)
    {
        var operation = Open115Routes.Operation("oss", Open115XmlErrorWriter.Instance) with { Classify = Classify };
        routes.MapMethods("/" + Bucket + "/{**key}", [HttpMethods.Post, HttpMethods.Put, HttpMethods.Delete, HttpMethods.Get], context => HandleAsync(context, fake))
            .WithMetadata(operation);
    }

    private static string Classify(HttpRequest request)
    {
        var query = request.Query;
        return request.Method switch
        {
            "POST" when query.ContainsKey("uploads") => "oss-initiate",
            "POST" when query.ContainsKey("uploadId") => "oss-complete",
            "PUT" when query.ContainsKey("uploadId") || query.ContainsKey("partNumber") => "oss-part",
            "PUT" => "oss-put",
            "DELETE" => "oss-abort",
            "GET" => "oss-list-parts",
            _ => "oss",
        };
    }

    private static async Task HandleAsync(HttpContext context, Open115Fake fake)
    {
        try
        {
            var request = context.Request;
            var key = (request.Path.Value ?? "")[(Bucket.Length + 2)..];
            if (key.Length == 0)
            {
                throw new FakeApiException(400, "InvalidObjectName", "The object name is empty.");
            }

            Open115UploadSession session;
            lock (fake.Gate)
            {
                var credential = Open115OssSignature.Verify(fake, request, Bucket, key);
                session = fake.Uploads.Sessions.GetValueOrDefault(key) is { } found && found.UserId == credential.UserId
                    ? found
                    : throw new FakeApiException(403, "AccessDenied", "The STS policy does not allow this object.");
            }

            switch (Classify(request))
            {
                case "oss-initiate":
                    await InitiateAsync(context, fake, session);
                    break;
                case "oss-part":
                    await UploadPartAsync(context, fake, session);
                    break;
                case "oss-complete":
                    await CompleteAsync(context, fake, session);
                    break;
                case "oss-put":
                    await PutObjectAsync(context, fake, session);
                    break;
                case "oss-abort":
                    Abort(context, fake, session);
                    break;
                case "oss-list-parts":
                    await ListPartsAsync(context, fake, session);
                    break;
                default:
                    throw new FakeApiException(405, "MethodNotAllowed", "The specified method is not allowed against this resource.");
            }
        }
        catch (FakeApiException error)
        {
            await Open115XmlErrorWriter.Instance.WriteAsync(context, error.ToFailure());
        }
    }

    private static Task InitiateAsync(HttpContext context, Open115Fake fake, Open115UploadSession session)
    {
        var uploadId = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        lock (fake.Gate)
        {
            if (session.Finished)
            {
                throw new FakeApiException(403, "AccessDenied", "This upload is finished.");
            }

            fake.Uploads.Multiparts.Add(uploadId, new Open115Multipart { UploadId = uploadId, Object = session.Object, UserId = session.UserId, Initiated = fake.Time.GetUtcNow() });
        }

        return WriteXmlAsync(context, 200, new XElement(
            "InitiateMultipartUploadResult",
            new XElement("Bucket", Bucket),
            new XElement("Key", session.Object),
            new XElement("UploadId", uploadId)));
    }

    /// <summary>Part numbers 1..10000, at most 5 GiB; the same number again replaces the part. 200 with the part's ETag (quoted MD5).</summary>
    private static async Task UploadPartAsync(HttpContext context, Open115Fake fake, Open115UploadSession session)
    {
        var query = context.Request.Query;
        if (!int.TryParse(query["partNumber"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > MaxPartNumber)
        {
            throw new FakeApiException(400, "InvalidArgument", $"Part number must be an integer between 1 and {MaxPartNumber}, inclusive.");
        }

        if (context.Request.ContentLength is > MaxPartSize)
        {
            throw new FakeApiException(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed object size.");
        }

        var uploadId = query["uploadId"].ToString();
        lock (fake.Gate)
        {
            _ = Multipart(fake, uploadId, session);
        }

        var blob = await fake.Temp.SaveAsync(context.Request.Body, context.RequestAborted);
        try
        {
            CheckContentMd5(context.Request, blob.Md5Hex);
        }
        catch
        {
            TempStorage.TryDelete(blob.Path);
            throw;
        }

        Open115Part part;
        lock (fake.Gate)
        {
            Open115Multipart upload;
            try
            {
                upload = Multipart(fake, uploadId, session);
            }
            catch (FakeApiException)
            {
                TempStorage.TryDelete(blob.Path);
                throw;
            }

            if (upload.Parts.Remove(number, out var replaced))
            {
                TempStorage.TryDelete(replaced.Blob.Path);
            }

            part = new Open115Part(number, blob, fake.Time.GetUtcNow());
            upload.Parts.Add(number, part);
        }

        context.Response.StatusCode = 200;
        context.Response.Headers.ETag = part.ETag;
        context.Response.Headers["x-oss-request-id"] = RequestId();
        context.Response.ContentLength = 0;
    }

    /// <summary>
    /// The XML part list must be in ascending order (400 InvalidPartOrder), name uploaded parts with their ETags
    /// (400 InvalidPart), and every part but the last must be at least 100 KiB (400 EntityTooSmall) — and, with
    /// <see cref="Open115Fake.EnforceSpecPartSize"/>, exactly §1.6's part size (400 InvalidArgument).
    /// </summary>
    private static async Task CompleteAsync(HttpContext context, Open115Fake fake, Open115UploadSession session)
    {
        var uploadId = context.Request.Query["uploadId"].ToString();
        var callback = ParseCallback(context.Request);
        var listed = await ReadPartListAsync(context);
        List<Open115Part> parts;
        lock (fake.Gate)
        {
            var upload = Multipart(fake, uploadId, session);
            parts = [];
            for (var i = 0; i < listed.Count; i++)
            {
                var (number, listedTag) = listed[i];
                if (i > 0 && number <= listed[i - 1].Number)
                {
                    throw new FakeApiException(400, "InvalidPartOrder", "The list of parts was not in ascending order. The parts list must be specified in order by part number.");
                }

                if (!upload.Parts.TryGetValue(number, out var part) || !string.Equals(part.ETag.Trim('"'), listedTag.Trim().Trim('"'), StringComparison.OrdinalIgnoreCase))
                {
                    throw new FakeApiException(400, "InvalidPart", $"One or more of the specified parts could not be found or the specified entity tag might not have matched the part's entity tag (part {number}).");
                }

                parts.Add(part);
            }

            var partSize = Open115Fake.PartSizeFor(session.Size);
            for (var i = 0; i < parts.Count; i++)
            {
                var last = i == parts.Count - 1;
                if (fake.EnforceSpecPartSize && (last ? parts[i].Blob.Length > partSize : parts[i].Blob.Length != partSize))
                {
                    throw new FakeApiException(400, "InvalidArgument", $"Part {parts[i].Number} is {parts[i].Blob.Length} bytes; a {session.Size}-byte 115 upload uses {partSize}-byte parts (cloud-apis.md §1.6).");
                }

                if (!last && parts[i].Blob.Length < MinPartSize)
                {
                    throw new FakeApiException(400, "EntityTooSmall", $"Your proposed upload is smaller than the minimum allowed size (part {parts[i].Number}: {parts[i].Blob.Length} bytes, minimum {MinPartSize}).");
                }
            }

            if (upload.Completing)
            {
                throw new FakeApiException(409, "OperationConflict", "The upload is already being completed.");
            }

            upload.Completing = true;
        }

        StoredBlob blob;
        try
        {
            blob = await fake.Temp.ConcatenateAsync(parts.Select(p => p.Blob), context.RequestAborted);
        }
        catch
        {
            lock (fake.Gate)
            {
                if (fake.Uploads.Multiparts.TryGetValue(uploadId, out var upload))
                {
                    upload.Completing = false;
                }
            }

            throw;
        }

        lock (fake.Gate)
        {
            if (fake.Uploads.Multiparts.Remove(uploadId, out var upload))
            {
                foreach (var part in upload.Parts.Values)
                {
                    TempStorage.TryDelete(part.Blob.Path);
                }
            }

            session.Stored = blob.ToContent();
        }

        var etag = "\"" + Convert.ToHexString(MD5.HashData(parts.SelectMany(p => Convert.FromHexString(p.Blob.Md5Hex)).ToArray())) + "-" + parts.Count.ToString(CultureInfo.InvariantCulture) + "\"";
        if (!await CallbackAsync(context, fake, session, etag, callback))
        {
            await WriteXmlAsync(context, 200, new XElement(
                "CompleteMultipartUploadResult",
                new XElement("Location", new Uri(fake.BaseUrl, Bucket + "/" + session.Object).ToString()),
                new XElement("Bucket", Bucket),
                new XElement("Key", session.Object),
                new XElement("ETag", etag)));
        }
    }

    private static async Task PutObjectAsync(HttpContext context, Open115Fake fake, Open115UploadSession session)
    {
        if (context.Request.ContentLength is > MaxPartSize)
        {
            throw new FakeApiException(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed object size.");
        }

        var callback = ParseCallback(context.Request);
        var blob = await fake.Temp.SaveAsync(context.Request.Body, context.RequestAborted);
        try
        {
            CheckContentMd5(context.Request, blob.Md5Hex);
        }
        catch
        {
            TempStorage.TryDelete(blob.Path);
            throw;
        }

        lock (fake.Gate)
        {
            session.Stored = blob.ToContent();
        }

        var etag = "\"" + blob.Md5Hex + "\"";
        context.Response.Headers.ETag = etag;
        if (!await CallbackAsync(context, fake, session, etag, callback))
        {
            context.Response.StatusCode = 200;
            context.Response.Headers["x-oss-request-id"] = RequestId();
            context.Response.ContentLength = 0;
        }
    }

    private static void Abort(HttpContext context, Open115Fake fake, Open115UploadSession session)
    {
        var uploadId = context.Request.Query["uploadId"].ToString();
        lock (fake.Gate)
        {
            var upload = Multipart(fake, uploadId, session);
            fake.Uploads.Multiparts.Remove(upload.UploadId);
            foreach (var part in upload.Parts.Values)
            {
                TempStorage.TryDelete(part.Blob.Path);
            }
        }

        context.Response.StatusCode = 204;
    }

    private static Task ListPartsAsync(HttpContext context, Open115Fake fake, Open115UploadSession session)
    {
        List<Open115Part> parts;
        lock (fake.Gate)
        {
            parts = Multipart(fake, context.Request.Query["uploadId"].ToString(), session).Parts.Values.ToList();
        }

        return WriteXmlAsync(context, 200, new XElement(
            "ListPartsResult",
            new XElement("Bucket", Bucket),
            new XElement("Key", session.Object),
            new XElement("UploadId", context.Request.Query["uploadId"].ToString()),
            new XElement("IsTruncated", "false"),
            parts.Select(p => new XElement(
                "Part",
                new XElement("PartNumber", p.Number),
                new XElement("LastModified", p.Uploaded.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)),
                new XElement("ETag", p.ETag),
                new XElement("Size", p.Blob.Length)))));
    }

    /// <summary>
    /// Fires the callback when the request carries <c>x-oss-callback</c>; false when it does not (then OSS just
    /// stores the object and 115 never learns about it). A callback OSS cannot deliver (a URL other than the one
    /// init issued, or an injected <c>oss-callback</c> fault) is 203 CallbackFailed; otherwise the 115 server's
    /// JSON is relayed with 200, <c>state:false</c> when it refuses the upload.
    /// </summary>
    private static async Task<bool> CallbackAsync(HttpContext context, Open115Fake fake, Open115UploadSession session, string etag, OssCallback? parsed)
    {
        if (parsed is not { } callback)
        {
            return false;
        }

        var (url, bodyTemplate, variables) = callback;
        if (fake.Faults.TakeFailure("oss-callback") is { } injected)
        {
            throw new FakeApiException(203, "CallbackFailed", "Error status : " + injected.Status.ToString(CultureInfo.InvariantCulture) + ". Injected callback failure.");
        }

        if (url != session.CallbackUrl)
        {
            throw new FakeApiException(203, "CallbackFailed", "Error status : -1. The callback URL could not be reached: " + url);
        }

        var stored = session.Stored!;
        var body = Substitute(bodyTemplate, variables, session.Object, etag, stored.Length);
        var answer = await Open115CallbackServer.HandleAsync(fake, session, body);
        await Open115Json.WriteAsync(context, 200, answer);
        return true;
    }

    /// <summary>
    /// Reads and validates the callback headers before anything is stored (OSS refuses a malformed callback
    /// configuration up front with 400 InvalidArgument): null when there is no <c>x-oss-callback</c>.
    /// </summary>
    private static OssCallback? ParseCallback(HttpRequest request)
    {
        var callbackHeader = request.Headers["x-oss-callback"].ToString();
        if (callbackHeader.Length == 0)
        {
            return null;
        }

        var callback = DecodeJson(callbackHeader, "callback");
        var variables = request.Headers["x-oss-callback-var"].ToString() is { Length: > 0 } varHeader ? DecodeJson(varHeader, "callback var") : default;
        var url = callback.TryGetProperty("callbackUrl", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString()! : "";
        var bodyTemplate = callback.TryGetProperty("callbackBody", out var b) && b.ValueKind == JsonValueKind.String ? b.GetString()! : "";
        if (url.Length == 0 || bodyTemplate.Length == 0)
        {
            throw new FakeApiException(400, "InvalidArgument", "The callback configuration must have callbackUrl and callbackBody.");
        }

        return new OssCallback(url, bodyTemplate, variables);
    }

    private static string Substitute(string template, JsonElement variables, string objectKey, string etag, long size)
    {
        var builder = new StringBuilder();
        var i = 0;
        while (i < template.Length)
        {
            var start = template.IndexOf("${", i, StringComparison.Ordinal);
            if (start < 0)
            {
                builder.Append(template, i, template.Length - i);
                break;
            }

            var end = template.IndexOf('}', start);
            if (end < 0)
            {
                builder.Append(template, i, template.Length - i);
                break;
            }

            builder.Append(template, i, start - i);
            var name = template[(start + 2)..end];
            var value = name switch
            {
                "bucket" => Bucket,
                "object" => objectKey,
                "etag" => etag.Trim('"'),
                "size" => size.ToString(CultureInfo.InvariantCulture),
                "mimeType" => "application/octet-stream",
                _ when name.StartsWith("x:", StringComparison.Ordinal) && variables.ValueKind == JsonValueKind.Object
                    && variables.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String => v.GetString()!,
                _ => "",
            };
            builder.Append(Uri.EscapeDataString(value));
            i = end + 1;
        }

        return builder.ToString();
    }

    private static JsonElement DecodeJson(string base64, string what)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            throw new FakeApiException(400, "InvalidArgument", $"The {what} configuration is not base64 encoded.");
        }

        try
        {
            using var document = JsonDocument.Parse(bytes);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? document.RootElement.Clone()
                : throw new FakeApiException(400, "InvalidArgument", $"The {what} configuration is not json format.");
        }
        catch (JsonException)
        {
            throw new FakeApiException(400, "InvalidArgument", $"The {what} configuration is not json format.");
        }
    }

    private static async Task<List<(int Number, string ETag)>> ReadPartListAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(context.RequestAborted);
        try
        {
            var root = XDocument.Parse(text).Root;
            if (root?.Name.LocalName != "CompleteMultipartUpload")
            {
                throw new FakeApiException(400, "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema.");
            }

            var parts = root.Elements().Where(e => e.Name.LocalName == "Part").Select(e =>
            {
                var number = e.Elements().FirstOrDefault(x => x.Name.LocalName == "PartNumber")?.Value;
                var etag = e.Elements().FirstOrDefault(x => x.Name.LocalName == "ETag")?.Value;
                return int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && etag is not null
                    ? (n, etag)
                    : throw new FakeApiException(400, "MalformedXML", "Each Part needs a PartNumber and an ETag.");
            }).ToList();
            return parts.Count > 0 ? parts : throw new FakeApiException(400, "MalformedXML", "The part list is empty.");
        }
        catch (System.Xml.XmlException)
        {
            throw new FakeApiException(400, "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema.");
        }
    }

    private static void CheckContentMd5(HttpRequest request, string md5Hex)
    {
        var header = request.Headers["Content-MD5"].ToString();
        if (header.Length > 0 && header != Convert.ToBase64String(Convert.FromHexString(md5Hex)))
        {
            throw new FakeApiException(400, "InvalidDigest", "The Content-MD5 you specified is not valid.");
        }
    }

    /// <summary>Call under the lock.</summary>
    private static Open115Multipart Multipart(Open115Fake fake, string uploadId, Open115UploadSession session) =>
        fake.Uploads.Multiparts.GetValueOrDefault(uploadId) is { Completing: false } upload && upload.Object == session.Object
            ? upload
            : throw new FakeApiException(404, "NoSuchUpload", "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.");

    private static async Task WriteXmlAsync(HttpContext context, int status, XElement root)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/xml";
        context.Response.Headers["x-oss-request-id"] = RequestId();
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + root.ToString(SaveOptions.DisableFormatting);
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(xml), context.RequestAborted);
    }

    private static string RequestId() => Convert.ToHexString(RandomNumberGenerator.GetBytes(12));

    private readonly record struct OssCallback(string Url, string BodyTemplate, JsonElement Variables);
}
