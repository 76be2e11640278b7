using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Net.Http.Headers;
using OpenList.DriverHost.CloudFakes.Shared;

namespace OpenList.DriverHost.CloudFakes.DiskTop;

/// <summary>An upload between precreate and complete/abort. Guarded by the fake's lock.</summary>
internal sealed class DiskTopUploadSession
{
    public required string UploadId { get; init; }

    public required DiskTopAccount Account { get; init; }

    public required DiskTopNode Parent { get; init; }

    public required string Name { get; init; }

    public required long Size { get; init; }

    public required string Md5 { get; init; }

    public required string Mime { get; init; }

    public required long ChunkSize { get; init; }

    public required int TotalParts { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    public SortedDictionary<int, DiskTopPart> Parts { get; } = [];

    public bool Completing { get; set; }

    /// <summary>Every part is chunk_size bytes except the last, which holds the rest.</summary>
    public long ExpectedSize(int seq) => seq < TotalParts ? ChunkSize : Size - ((TotalParts - 1) * ChunkSize);

    public List<int> Missing() => Enumerable.Range(1, TotalParts).Where(p => !Parts.ContainsKey(p)).ToList();
}

/// <summary>
/// <c>POST /v1/files/upload/precreate</c> on the API (Bearer), and the chunk-upload service on the separate base
/// <see cref="DiskTopFake.UploadEndpoint"/> (<c>{endpoint}/u?upload_id&amp;part_seq</c>, <c>{endpoint}/u/{id}/parts</c>,
/// <c>/complete</c>, <c>/abort</c>), which needs no Authorization header (the upload_id is the credential; one sent is ignored).
/// </summary>
internal static partial class DiskTopUploadEndpoints
{
    /// <summary>The upload service's base path on the fake's host.</summary>
    public const string BasePath = "/_upload/disktop";
    public const string ChunkOperation = "chunk";
    public const string PartsOperation = "/u/{upload_id}/parts";
    public const string CompleteOperation = "/u/{upload_id}/complete";
    public const string AbortOperation = "/u/{upload_id}/abort";

    public static void Map(IEndpointRouteBuilder routes, DiskTopFake fake)
    {
        DiskTopRoutes.MapApi(routes, fake, HttpMethods.Post, "/v1/files/upload/precreate", PrecreateAsync);
        MapUpload(routes, fake, HttpMethods.Post, BasePath + "/u", ChunkOperation, ChunkAsync);
        MapUpload(routes, fake, HttpMethods.Get, BasePath + "/u/{uploadId}/parts", PartsOperation, Parts);
        MapUpload(routes, fake, HttpMethods.Post, BasePath + "/u/{uploadId}/complete", CompleteOperation, CompleteAsync);
        MapUpload(routes, fake, HttpMethods.Post, BasePath + "/u/{uploadId}/abort", AbortOperation, Abort);
    }

    /// <summary>
    /// name, size, md5 (lowercase 32 hex) required; parent_path default "/" (must exist); content_type default
    /// application/octet-stream (becomes the file's mime). Name taken → <see cref="DiskTopFake.NameConflict"/>.
    /// A file larger than the free quota is 403. Instant upload when any live file has the same size and MD5
    /// (and always for size 0); otherwise a session with chunk_size = <see cref="DiskTopFake.ChunkSize"/>.
    /// </summary>
    private static async Task<object> PrecreateAsync(DiskTopCall call)
    {
        var name = call.RequiredField("name");
        DiskTopPaths.CheckName(name, "name");
        var sizeText = call.RequiredField("size");
        if (!long.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out var size))
        {
            throw DiskTopErrors.BadRequest("size must be a non-negative integer");
        }

        var md5 = call.RequiredField("md5");
        if (!Md5Shape().IsMatch(md5))
        {
            throw DiskTopErrors.BadRequest("md5 must be 32 lowercase hex characters");
        }

        if (size == 0 && md5 != DiskTopContent.EmptyMd5)
        {
            throw DiskTopErrors.BadRequest("md5 does not match an empty file");
        }

        var mime = call.Field("content_type") ?? "application/octet-stream";
        var fake = call.Fake;
        DiskTopNode parent;
        List<DiskTopNode> candidates;
        lock (fake.Gate)
        {
            parent = call.FolderAt(call.Field("parent_path"), "parent_path");
            call.RequireWrite(parent);
            CheckConflict(fake, parent, name);
            if (size > call.Account.QuotaBytes - call.Account.Files.Values.Sum(f => f.Size))
            {
                throw DiskTopErrors.Forbidden("insufficient storage quota");
            }

            candidates = size > 0 && !fake.InstantUpload ? [] : fake.Accounts.SelectMany(a => a.Files.Values).Where(f => f.Size == size).ToList();
        }

        DiskTopContent? known = size == 0 ? DiskTopContent.FromBytes([]) : null;
        foreach (var candidate in candidates)
        {
            if (known is null && await candidate.Content!.Md5 == md5)
            {
                known = candidate.Content;
            }
        }

        lock (fake.Gate)
        {
            if (!Alive(call.Account, parent))
            {
                throw DiskTopErrors.NotFound("parent_path no longer exists");
            }

            if (known is not null)
            {
                var file = call.Account.CreateFile(parent, Place(fake, call.Account, parent, name), known, mime);
                return new DiskTopPrecreateHit(true, file.Id, file.Path, file.Size);
            }

            var chunk = Math.Max(1, fake.ChunkSize);
            var session = new DiskTopUploadSession
            {
                UploadId = DiskTopSecrets.Hex(16),
                Account = call.Account,
                Parent = parent,
                Name = name,
                Size = size,
                Md5 = md5,
                Mime = mime,
                ChunkSize = chunk,
                TotalParts = checked((int)((size + chunk - 1) / chunk)),
                ExpiresAt = call.Now + fake.UploadSessionLifetime,
            };
            fake.Uploads.Add(session.UploadId, session);
            return new DiskTopPrecreateMiss(false, session.UploadId, fake.UploadEndpoint, chunk, session.TotalParts, (long)fake.UploadSessionLifetime.TotalSeconds);
        }
    }

    /// <summary>
    /// One chunk: raw body with Content-Type application/octet-stream (other types are 400). part_seq is 1-based
    /// and ≤ total_parts; the body must be exactly chunk_size bytes (the last part: the remainder), otherwise 400.
    /// Sending a part again replaces it. The etag is the chunk's MD5.
    /// </summary>
    private static async Task<object?> ChunkAsync(HttpContext context, DiskTopFake fake)
    {
        var query = context.Request.Query;
        var uploadId = query["upload_id"].ToString();
        if (uploadId.Length == 0)
        {
            throw DiskTopErrors.BadRequest("upload_id is required");
        }

        if (!int.TryParse(query["part_seq"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var seq))
        {
            throw DiskTopErrors.BadRequest("part_seq must be a positive integer");
        }

        var failure = fake.TakeChunkFailure(seq);
        if (failure is { StoreFirst: false })
        {
            return Fail(context, failure);
        }

        if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var type) || !type.MediaType.Equals("application/octet-stream", StringComparison.OrdinalIgnoreCase))
        {
            throw DiskTopErrors.BadRequest("Content-Type must be application/octet-stream");
        }

        long expected;
        lock (fake.Gate)
        {
            var session = Open(fake, uploadId);
            if (seq < 1 || seq > session.TotalParts)
            {
                throw DiskTopErrors.BadRequest($"part_seq must be between 1 and {session.TotalParts}");
            }

            expected = session.ExpectedSize(seq);
        }

        var part = await DiskTopBlobs.SaveAsync(fake.Temp, context.Request.Body, context.RequestAborted);
        int received, total;
        lock (fake.Gate)
        {
            try
            {
                if (part.Size != expected)
                {
                    throw DiskTopErrors.BadRequest($"part {seq} must be {expected} bytes (chunk_size slicing), got {part.Size}");
                }

                var session = Open(fake, uploadId);
                if (session.Parts.TryGetValue(seq, out var old))
                {
                    TempStorage.TryDelete(old.Path);
                }

                session.Parts[seq] = part;
                (received, total) = (session.Parts.Count, session.TotalParts);
            }
            catch
            {
                TempStorage.TryDelete(part.Path);
                throw;
            }
        }

        return failure is not null ? Fail(context, failure) : new DiskTopChunkReceived(seq, part.Md5, part.Size, received, total);
    }

    /// <summary>received_parts ascending; progress = received / total × 100 (2 decimals); parts keyed by "seq".</summary>
    private static Task<object?> Parts(HttpContext context, DiskTopFake fake)
    {
        lock (fake.Gate)
        {
            var session = Open(fake, UploadId(context), allowCompleting: true);
            var received = session.Parts.Keys.ToList();
            var progress = session.TotalParts == 0 ? 100.0 : Math.Round(received.Count * 100.0 / session.TotalParts, 2);
            var parts = session.Parts.ToDictionary(p => p.Key.ToString(CultureInfo.InvariantCulture), p => new DiskTopPartInfo(p.Key, p.Value.Md5, p.Value.Size));
            return Task.FromResult<object?>(new DiskTopParts(session.UploadId, session.TotalParts, received, progress, parts));
        }
    }

    /// <summary>
    /// 425 <c>incomplete: N/M</c> (errno 425, data: upload_id, total_parts, received_parts[], missing_parts[]) while
    /// parts are missing; 400 <c>md5 mismatch</c> when the assembled file's MD5 differs from precreate's (the session
    /// and its parts stay, so the client can resend parts or abort); 409 while another complete runs. Success
    /// creates the file, ends the session (a second complete is 404) and deletes the chunks.
    /// </summary>
    private static async Task<object?> CompleteAsync(HttpContext context, DiskTopFake fake)
    {
        DiskTopUploadSession session;
        List<DiskTopPart> parts;
        lock (fake.Gate)
        {
            session = Open(fake, UploadId(context));
            var missing = session.Missing();
            if (missing.Count > 0)
            {
                throw new DiskTopException(
                    425,
                    string.Create(CultureInfo.InvariantCulture, $"incomplete: {session.Parts.Count}/{session.TotalParts}"),
                    new DiskTopIncomplete(session.UploadId, session.TotalParts, session.Parts.Keys.ToList(), missing));
            }

            session.Completing = true;
            parts = session.Parts.Values.ToList();
        }

        DiskTopAssembled assembled;
        try
        {
            assembled = await DiskTopBlobs.ConcatenateAsync(fake.Temp, parts, context.RequestAborted);
        }
        catch
        {
            lock (fake.Gate)
            {
                session.Completing = false;
            }

            throw;
        }

        lock (fake.Gate)
        {
            try
            {
                if (assembled.Md5 != session.Md5)
                {
                    throw DiskTopErrors.BadRequest($"md5 mismatch: precreate declared {session.Md5}, the uploaded parts hash to {assembled.Md5}");
                }

                if (!Alive(session.Account, session.Parent))
                {
                    fake.DropUpload(session);
                    throw DiskTopErrors.NotFound("the target folder no longer exists");
                }

                var name = Place(fake, session.Account, session.Parent, session.Name);
                var content = new DiskTopContent(new TempFileContent(assembled.Path, assembled.Length, assembled.Sha1), Task.FromResult(assembled.Md5));
                var file = session.Account.CreateFile(session.Parent, name, content, session.Mime);
                session.Completing = false;
                fake.DropUpload(session);
                return new DiskTopCompleted(file.Id, file.Path, file.Size, assembled.Md5);
            }
            catch
            {
                session.Completing = false;
                TempStorage.TryDelete(assembled.Path);
                throw;
            }
        }
    }

    /// <summary>Ends the session and deletes its chunks; 404 when unknown, finished or expired; 409 during complete.</summary>
    private static Task<object?> Abort(HttpContext context, DiskTopFake fake)
    {
        lock (fake.Gate)
        {
            fake.DropUpload(Open(fake, UploadId(context)));
            return Task.FromResult<object?>(new DiskTopAborted(true));
        }
    }

    /// <summary>An upload-service route: no auth, the envelope with the real HTTP status.</summary>
    private static void MapUpload(IEndpointRouteBuilder routes, DiskTopFake fake, string method, string pattern, string operation, Func<HttpContext, DiskTopFake, Task<object?>> handler)
    {
        async Task Handle(HttpContext context)
        {
            try
            {
                var data = await handler(context, fake);
                if (data is not null)
                {
                    await DiskTopJson.WriteOkAsync(context, fake, data);
                }
            }
            catch (DiskTopException error)
            {
                await DiskTopJson.WriteErrorAsync(context, fake, error.Status, error.Message, error.Details, realStatus: true);
            }
        }

        routes.MapMethods(pattern, [method], Handle).WithMetadata(DiskTopRoutes.Operation(fake, operation, realStatus: true));
    }

    /// <summary>Answers an injected chunk failure: status 0 cuts the connection. Returns null (the answer is written).</summary>
    private static object? Fail(HttpContext context, DiskTopFake.ChunkFailure failure)
    {
        if (failure.Status == 0)
        {
            var outcome = context.Features.Get<RequestOutcome>();
            if (outcome is not null)
            {
                outcome.Abort(context);
            }
            else
            {
                context.Abort();
            }

            return null;
        }

        throw new DiskTopException(failure.Status, "injected chunk failure");
    }

    private static string UploadId(HttpContext context) => (string)context.Request.RouteValues["uploadId"]!;

    /// <summary>The open session (404 unknown, finished or expired; 409 while completing unless allowed). Call under the lock.</summary>
    private static DiskTopUploadSession Open(DiskTopFake fake, string uploadId, bool allowCompleting = false)
    {
        fake.PurgeExpiredUploads();
        var session = fake.Uploads.GetValueOrDefault(uploadId) ?? throw DiskTopErrors.NotFound("upload session not found (unknown, finished, aborted or expired)");
        return session.Completing && !allowCompleting ? throw DiskTopErrors.Conflict("the upload is being completed") : session;
    }

    /// <summary>The folder is still in the account's tree. Call under the lock.</summary>
    private static bool Alive(DiskTopAccount account, DiskTopNode folder) =>
        folder.IsRoot ? ReferenceEquals(folder, account.Root) : ReferenceEquals(account.Folders.GetValueOrDefault(folder.Id), folder);

    /// <summary>409 when the name is taken and the policy will not resolve it. Call under the lock.</summary>
    private static void CheckConflict(DiskTopFake fake, DiskTopNode parent, string name)
    {
        if (parent.Child(name) is { } existing
            && (existing.IsFolder ? fake.NameConflict != DiskTopNameConflict.AutoRename : fake.NameConflict == DiskTopNameConflict.Reject))
        {
            throw DiskTopErrors.Conflict($"'{name}' already exists in '{parent.Path}'");
        }
    }

    /// <summary>The name the new file gets under <see cref="DiskTopFake.NameConflict"/> (an overwritten file is removed). Call under the lock.</summary>
    private static string Place(DiskTopFake fake, DiskTopAccount account, DiskTopNode parent, string name)
    {
        CheckConflict(fake, parent, name);
        switch (fake.NameConflict)
        {
            case DiskTopNameConflict.AutoRename:
                return DiskTopAccount.FreeName(parent, name);
            case DiskTopNameConflict.Overwrite when parent.Child(name) is { IsFolder: false } old:
                account.Remove(old);
                return name;
            default:
                return name;
        }
    }

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex Md5Shape();
}
