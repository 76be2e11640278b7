using System.Globalization;
using OpenList.DriverHost.CloudFakes.Shared;

namespace OpenList.DriverHost.CloudFakes.Aliyun;

/// <summary>
/// The rest of an upload: part PUTs to the fake's own signed URLs (valid 1 hour, like OSS pre-signed URLs,
/// so a driver must refresh them after 50 minutes with getUploadUrl), getUploadUrl, and complete.
/// </summary>
internal static class AliyunUploadEndpoints
{
    public const string PartOperation = "upload-part";
    private const string Purpose = "upload";
    private static readonly TimeSpan UrlLifetime = TimeSpan.FromHours(1);

    public static void Map(IEndpointRouteBuilder routes, AliyunFake fake)
    {
        AliyunRoutes.MapApi(routes, fake, AliyunRoutes.ApiPrefix + "/openFile/getUploadUrl", AliyunRateClass.Other, GetUploadUrl);
        AliyunRoutes.MapApi(routes, fake, AliyunRoutes.ApiPrefix + "/openFile/complete", AliyunRateClass.Other, CompleteAsync);
        routes.MapPut("/_links/aliyun/upload/{driveId}/{uploadId}/{partNumber:int}", context => PutPartAsync(context, fake))
            .WithMetadata(AliyunRoutes.Operation(PartOperation));
    }

    public static List<AliyunPartInfo> PartUrls(AliyunFake fake, string driveId, string uploadId, IEnumerable<int> partNumbers)
    {
        var expires = fake.Time.GetUtcNow() + UrlLifetime;
        return partNumbers.Select(part =>
        {
            var path = string.Create(CultureInfo.InvariantCulture, $"_links/aliyun/upload/{driveId}/{uploadId}/{part}");
            var query = fake.UploadLinks.SignQuery(Purpose, Resource(driveId, uploadId, part), expires);
            return new AliyunPartInfo(part, new Uri(fake.BaseUrl, path) + query, "");
        }).ToList();
    }

    private static Task<object> GetUploadUrl(AliyunCall call)
    {
        lock (call.Fake.Gate)
        {
            var drive = call.Drive();
            var session = Session(call, drive);
            var parts = AliyunCreateEndpoint.PartNumbers(call.Body);
            session.DeclaredParts.UnionWith(parts);
            object urls = new AliyunUploadUrls(drive.DriveId, session.FileId, session.UploadId, AliyunJson.Time(call.Now), PartUrls(call.Fake, drive.DriveId, session.UploadId, parts));
            return Task.FromResult(urls);
        }
    }

    /// <summary>
    /// Assembles the uploaded parts in part-number order into the file. Every announced part must be there
    /// (400 PartNotComplete, DESIGN), except that an upload with no part at all and no declared size (or
    /// size 0) becomes an empty file. A declared size must match (400 InvalidParameter.Size).
    /// </summary>
    private static async Task<object> CompleteAsync(AliyunCall call)
    {
        AliyunUploadSession session;
        List<StoredBlob> blobs = [];
        FileSnapshot? rapidFile = null;
        string driveId;
        lock (call.Fake.Gate)
        {
            var drive = call.Drive();
            driveId = drive.DriveId;
            session = Session(call, drive);
            if (session.Rapid)
            {
                // The file was created by create; complete only confirms it.
                drive.Uploads.Remove(session.UploadId);
                rapidFile = (drive.Tree.GetLive(session.FileId) ?? throw AliyunErrors.NotFound()).Snapshot();
            }
            else if (session.Completing)
            {
                throw new FakeApiException(409, "OperationConflict", "The upload is already being completed.");
            }
            else
            {
                var missing = session.DeclaredParts.Where(p => !session.Parts.ContainsKey(p)).ToList();
                var emptyUpload = session.Parts.Count == 0 && session.DeclaredSize is null or 0;
                if (missing.Count > 0 && !emptyUpload)
                {
                    throw new FakeApiException(400, "PartNotComplete", $"Parts not uploaded: {string.Join(", ", missing)}.");
                }

                session.Completing = true;
                blobs = session.Parts.Values.ToList();
            }
        }

        if (rapidFile is not null)
        {
            return await AliyunJson.FileAsync(driveId, rapidFile);
        }

        FileContent content;
        try
        {
            content = blobs.Count == 0 ? new BytesContent([]) : (await call.Fake.Temp.ConcatenateAsync(blobs, call.Aborted)).ToContent();
            if (session.DeclaredSize is { } declared && declared != content.Length)
            {
                throw AliyunErrors.Invalid("size", $"was declared as {declared} but {content.Length} bytes were uploaded");
            }
        }
        catch
        {
            lock (call.Fake.Gate)
            {
                session.Completing = false;
            }

            throw;
        }

        FileSnapshot created;
        lock (call.Fake.Gate)
        {
            var drive = call.Drive();
            drive.Uploads.Remove(session.UploadId);
            foreach (var blob in blobs)
            {
                TempStorage.TryDelete(blob.Path);
            }

            var parent = drive.Tree.GetLive(session.ParentId) ?? throw AliyunErrors.NotFound();
            created = drive.Tree.CreateFile(parent.Id, session.Name, content, id: session.FileId, localCreatedAt: session.LocalCreatedAt, localModifiedAt: session.LocalModifiedAt).Snapshot();
        }

        return await AliyunJson.FileAsync(driveId, created);
    }

    /// <summary>
    /// A part PUT (raw body, no auth header). 200 with an ETag; 409 PartAlreadyExist when the same part was
    /// already uploaded with the same bytes (different bytes replace it); 403 for a bad or expired signature.
    /// </summary>
    private static async Task PutPartAsync(HttpContext context, AliyunFake fake)
    {
        try
        {
            var driveId = (string)context.Request.RouteValues["driveId"]!;
            var uploadId = (string)context.Request.RouteValues["uploadId"]!;
            var part = int.Parse((string)context.Request.RouteValues["partNumber"]!, CultureInfo.InvariantCulture);
            CheckSignature(fake, context, Resource(driveId, uploadId, part));
            lock (fake.Gate)
            {
                _ = OpenSession(fake, driveId, uploadId);
            }

            var blob = await fake.Temp.SaveAsync(context.Request.Body, context.RequestAborted);
            lock (fake.Gate)
            {
                AliyunUploadSession session;
                try
                {
                    session = OpenSession(fake, driveId, uploadId);
                }
                catch (FakeApiException)
                {
                    TempStorage.TryDelete(blob.Path);
                    throw;
                }

                if (session.Parts.TryGetValue(part, out var existing))
                {
                    if (existing.Length == blob.Length && existing.Sha1Hex == blob.Sha1Hex)
                    {
                        TempStorage.TryDelete(blob.Path);
                        throw new FakeApiException(409, "PartAlreadyExist", "This part has already been uploaded.");
                    }

                    TempStorage.TryDelete(existing.Path);
                }

                session.Parts[part] = blob;
            }

            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.Headers.ETag = $"\"{blob.Sha1Hex}\"";
        }
        catch (FakeApiException error)
        {
            await JsonErrorWriter.Instance.WriteAsync(context, error.ToFailure());
        }
    }

    private static void CheckSignature(AliyunFake fake, HttpContext context, string resource)
    {
        switch (fake.UploadLinks.Check(Purpose, resource, context.Request.Query, fake.Time.GetUtcNow()))
        {
            case LinkCheck.BadSignature:
                throw new FakeApiException(403, "SignatureDoesNotMatch", "The request signature does not match.");
            case LinkCheck.Expired:
                throw new FakeApiException(403, "AccessDenied", "Request has expired.");
        }
    }

    /// <summary>Call under the lock.</summary>
    private static AliyunUploadSession OpenSession(AliyunFake fake, string driveId, string uploadId) =>
        fake.FindDrive(driveId)?.Uploads.GetValueOrDefault(uploadId) is { Rapid: false, Completing: false } session
            ? session
            : throw new FakeApiException(404, "NoSuchUpload", "The upload does not exist or is finished.");

    /// <summary>The caller's upload named by upload_id and file_id. Call under the lock.</summary>
    private static AliyunUploadSession Session(AliyunCall call, AliyunDrive drive) =>
        drive.Uploads.GetValueOrDefault(call.Body.RequiredString("upload_id")) is { } session && session.FileId == call.Body.RequiredString("file_id")
            ? session
            : throw AliyunErrors.UploadNotFound();

    private static string Resource(string driveId, string uploadId, int part) =>
        string.Create(CultureInfo.InvariantCulture, $"{driveId}/{uploadId}/{part}");
}
