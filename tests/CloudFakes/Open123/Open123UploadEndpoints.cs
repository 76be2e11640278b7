using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Features;
using OpenList.DriverHost.CloudFakes.Shared;

namespace OpenList.DriverHost.CloudFakes.Open123;

/// <summary>
/// sha1_reuse, create (MD5 instant upload or a preupload session), slices on the upload server
/// (<see cref="Open123Fake.UploadServer"/> + <c>/upload/v2/file/slice</c>), upload_complete (answers
/// <c>completed:false</c> <see cref="Open123Fake.CompletePollsBeforeDone"/> times, then assembles and completes)
/// and the upload-domain lookup. Instant upload matches content of any account (123 deduplicates globally).
/// </summary>
internal static partial class Open123UploadEndpoints
{
    public const string SliceOperation = "slice";
    public const string SlicePath = "/upload/v2/file/slice";
    private const int BufferSize = 1 << 16;
    private const string EmptyMd5 = "d41d8cd98f00b204e9800998ecf8427e";

    public static void Map(IEndpointRouteBuilder routes, Open123Fake fake)
    {
        Open123Routes.MapApi(routes, fake, HttpMethods.Post, "/upload/v2/file/sha1_reuse", Sha1ReuseAsync);
        Open123Routes.MapApi(routes, fake, HttpMethods.Post, "/upload/v2/file/create", CreateAsync);
        Open123Routes.MapApi(routes, fake, HttpMethods.Post, "/upload/v2/file/upload_complete", CompleteAsync);
        Open123Routes.MapApi(routes, fake, HttpMethods.Get, "/upload/v2/file/domain", call => Task.FromResult<object?>(new[] { Server(call.Fake) }));
        routes.MapPost(Open123Routes.UploadServerPath + SlicePath, context => SliceAsync(context, fake))
            .WithMetadata(Open123Routes.Operation(SliceOperation));
    }

    /// <summary>
    /// <c>{parentFileID, filename, sha1, size, duplicate}</c> → <c>{fileID, reuse}</c>: reuse when content of that
    /// SHA1 (40 lowercase hex, strict) and size exists; otherwise <c>{fileID:0, reuse:false}</c> and nothing happens.
    /// </summary>
    private static async Task<object?> Sha1ReuseAsync(Open123Call call)
    {
        var target = Target.Read(call);
        var sha1 = call.Body.RequiredString("sha1");
        if (!Sha1Hex().IsMatch(sha1))
        {
            throw Open123Errors.Invalid("sha1 必须是40位小写十六进制");
        }

        var content = await FindContentAsync(call.Fake, target.Size, async c => await c.Sha1Async() == sha1);
        if (content is null)
        {
            lock (call.Fake.Gate)
            {
                target.Resolve(call, createFolders: false);
            }

            return new Open123ReuseData(0, false);
        }

        lock (call.Fake.Gate)
        {
            var (parentId, name) = target.Resolve(call, createFolders: true);
            return new Open123ReuseData(Place(call.Account, parentId, name, target.Duplicate, content).Id, true);
        }
    }

    /// <summary>
    /// <c>{parentFileId|parentFileID, filename, etag, size, duplicate, containDir}</c>. etag is 32 lowercase hex
    /// (strict); size ≤ <see cref="Open123Fake.MaxUploadSize"/>. Content of that MD5 and size anywhere → instant:
    /// <c>{fileID, reuse:true, sliceSize, servers}</c> without preuploadID (documented). Otherwise a session:
    /// <c>{fileID:0, preuploadID, reuse:false, sliceSize, servers:[upload server]}</c>. An empty file (size 0, the
    /// empty MD5) is always instant. A name conflict is resolved by duplicate (1 keep both as "name(1).ext", 2
    /// trash the old file) and is code 1 without it (documented: names cannot repeat).
    /// </summary>
    private static async Task<object?> CreateAsync(Open123Call call)
    {
        var target = Target.Read(call);
        var etag = call.Body.RequiredString("etag");
        if (!Md5Hex().IsMatch(etag))
        {
            throw Open123Errors.Invalid("etag 必须是32位小写十六进制 MD5");
        }

        if (target.Size > call.Fake.MaxUploadSize)
        {
            throw Open123Errors.Invalid("开发者上传单文件大小限制10GB");
        }

        if (target.Size == 0 && etag != EmptyMd5)
        {
            throw Open123Errors.Invalid("etag 与文件大小不符");
        }

        var content = target.Size == 0
            ? Open123Content.FromBytes([])
            : await FindContentAsync(call.Fake, target.Size, async c => await c.Md5Async() == etag);
        var sliceSize = call.Fake.SliceSize;
        var servers = new[] { Server(call.Fake) };
        lock (call.Fake.Gate)
        {
            var (parentId, name) = target.Resolve(call, createFolders: true);
            if (content is not null)
            {
                var node = Place(call.Account, parentId, name, target.Duplicate, content);
                return new Open123CreateData(node.Id, null, true, sliceSize, servers);
            }

            CheckConflict(call.Account, parentId, name, target.Duplicate);

            var session = new Open123UploadSession(
                Open123Fake.RandomToken(24),
                call.Account.Uid,
                parentId,
                name,
                etag,
                target.Size,
                target.Duplicate,
                sliceSize);
            call.Fake.Uploads.Add(session.PreuploadId, session);
            return new Open123CreateData(0, session.PreuploadId, false, sliceSize, servers);
        }
    }

    /// <summary>
    /// <c>{preuploadID}</c> → <c>{completed, fileID}</c>. Every slice must be there (code 1 otherwise). The first
    /// <see cref="Open123Fake.CompletePollsBeforeDone"/> calls answer <c>completed:false, fileID:0</c> (so does a call
    /// while another one is assembling); then the slices are joined, checked against the declared etag and size
    /// (code 1 and the session is dropped on a mismatch) and the file is placed. Later calls answer the same fileID.
    /// </summary>
    private static async Task<object?> CompleteAsync(Open123Call call)
    {
        var preuploadId = call.Body.RequiredString("preuploadID");
        Open123UploadSession session;
        List<StoredBlob> blobs;
        lock (call.Fake.Gate)
        {
            session = OpenSession(call.Fake, call.Account.Uid, preuploadId);
            if (session.CompletedFileId != 0)
            {
                return new Open123CompleteData(true, session.CompletedFileId);
            }

            var missing = Enumerable.Range(1, session.SliceCount).Where(n => !session.Slices.ContainsKey(n)).ToList();
            if (missing.Count > 0)
            {
                throw Open123Errors.Invalid($"分片未全部上传: {string.Join(",", missing)}");
            }

            if (session.Completing || session.Polls < call.Fake.CompletePollsBeforeDone)
            {
                session.Polls++;
                return new Open123CompleteData(false, 0);
            }

            session.Completing = true;
            blobs = Enumerable.Range(1, session.SliceCount).Select(n => session.Slices[n]).ToList();
        }

        Open123Content content;
        try
        {
            var joined = await call.Fake.Temp.ConcatenateAsync(blobs, call.Aborted);
            content = new Open123Content(joined.ToContent());
            if (joined.Length != session.Size || await content.Md5Async() != session.Etag)
            {
                lock (call.Fake.Gate)
                {
                    call.Fake.Uploads.Remove(session.PreuploadId);
                }

                DeleteBlobs(blobs);
                TempStorage.TryDelete(joined.Path);
                throw Open123Errors.Invalid("文件MD5校验失败，请重新上传");
            }
        }
        catch (Exception ex) when (ex is not FakeApiException)
        {
            lock (call.Fake.Gate)
            {
                session.Completing = false;
            }

            throw;
        }

        lock (call.Fake.Gate)
        {
            session.Completing = false;
            if (!call.Account.IsLiveFolder(session.ParentId))
            {
                call.Fake.Uploads.Remove(session.PreuploadId);
                throw Open123Errors.NotFound();
            }

            session.CompletedFileId = Place(call.Account, session.ParentId, session.Name, session.Duplicate, content).Id;
            session.Slices.Clear();
        }

        DeleteBlobs(blobs);
        return new Open123CompleteData(true, session.CompletedFileId);
    }

    /// <summary>
    /// Multipart <c>preuploadID</c>, <c>sliceNo</c> (1-based), <c>sliceMD5</c> (32 lowercase hex) and the file part
    /// <c>slice</c>, with <c>Authorization</c> and <c>Platform</c>. The slice must be exactly sliceSize bytes (the last
    /// one the remainder) and match sliceMD5 (code 1 otherwise). Uploading a slice again replaces it. Answers
    /// <c>data:null</c>. <see cref="Open123Fake.FailSlice"/> rules fail a slice before it is stored.
    /// </summary>
    private static async Task SliceAsync(HttpContext context, Open123Fake fake)
    {
        try
        {
            Open123Routes.RequirePlatform(context.Request);
            var account = Open123Routes.Authenticate(fake, context.Request);
            if (!context.Request.HasFormContentType || !context.Request.ContentType!.Contains("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            {
                throw Open123Errors.Invalid("Content-Type 必须是 multipart/form-data");
            }

            var form = await context.Request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = long.MaxValue }, context.RequestAborted);
            var preuploadId = form["preuploadID"].ToString();
            var sliceMd5 = form["sliceMD5"].ToString();
            if (preuploadId.Length == 0)
            {
                throw Open123Errors.Invalid("preuploadID is required");
            }

            if (!int.TryParse(form["sliceNo"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var sliceNo))
            {
                throw Open123Errors.Invalid("sliceNo must be a number");
            }

            if (!Md5Hex().IsMatch(sliceMd5))
            {
                throw Open123Errors.Invalid("sliceMD5 必须是32位小写十六进制 MD5");
            }

            var file = form.Files.GetFile("slice") ?? throw Open123Errors.Invalid("缺少分片文件 slice");
            long expectedLength;
            lock (fake.Gate)
            {
                var session = OpenSession(fake, account.Uid, preuploadId);
                if (sliceNo < 1 || sliceNo > session.SliceCount)
                {
                    throw Open123Errors.Invalid($"sliceNo 超出范围 1..{session.SliceCount}");
                }

                expectedLength = sliceNo < session.SliceCount ? session.SliceSize : session.Size - ((session.SliceCount - 1) * session.SliceSize);
            }

            if (fake.TakeSliceFailure(sliceNo) is { } status)
            {
                throw new FakeApiException(status, status.ToString(CultureInfo.InvariantCulture), "Injected slice failure.");
            }

            await using var source = file.OpenReadStream();
            var (blob, md5) = await SaveAsync(fake.Temp, source, context.RequestAborted);
            if (blob.Length != expectedLength)
            {
                TempStorage.TryDelete(blob.Path);
                throw Open123Errors.Invalid($"分片大小错误: 应为 {expectedLength} 字节, 实际 {blob.Length} 字节");
            }

            if (md5 != sliceMd5)
            {
                TempStorage.TryDelete(blob.Path);
                throw Open123Errors.Invalid("分片MD5校验失败");
            }

            lock (fake.Gate)
            {
                Open123UploadSession session;
                try
                {
                    session = OpenSession(fake, account.Uid, preuploadId);
                }
                catch (FakeApiException)
                {
                    TempStorage.TryDelete(blob.Path);
                    throw;
                }

                if (session.Slices.TryGetValue(sliceNo, out var old))
                {
                    TempStorage.TryDelete(old.Path);
                }

                session.Slices[sliceNo] = blob;
            }

            await Open123Json.OkAsync(context, null);
        }
        catch (FakeApiException error)
        {
            await Open123ErrorWriter.Instance.WriteAsync(context, error.ToFailure());
        }
    }

    /// <summary>Puts a file into the folder resolving a name conflict by <paramref name="duplicate"/>. Call under the lock.</summary>
    internal static Open123Node Place(Open123Account account, long parentId, string name, int duplicate, Open123Content content)
    {
        if (CheckConflict(account, parentId, name, duplicate) is { } existing)
        {
            if (duplicate == 1)
            {
                name = account.FreeName(parentId, name);
            }
            else
            {
                existing.Trashed = true;
            }
        }

        return account.CreateFile(parentId, name, content);
    }

    /// <summary>The live entry of that name, if the duplicate policy can resolve the clash (code 1 otherwise). Call under the lock.</summary>
    private static Open123Node? CheckConflict(Open123Account account, long parentId, string name, int duplicate)
    {
        var existing = account.FindLiveChild(parentId, name);
        return existing switch
        {
            null => null,
            _ when duplicate == 1 => existing,
            { IsFolder: false } when duplicate == 2 => existing,
            _ when duplicate == 2 => throw Open123Errors.Invalid("同名文件夹已存在，无法覆盖"),
            _ => throw Open123Errors.Invalid("当前目录有重名文件"),
        };
    }

    /// <summary>The content of the given size anywhere in the fake that satisfies <paramref name="matches"/>.</summary>
    private static async Task<Open123Content?> FindContentAsync(Open123Fake fake, long size, Func<Open123Content, Task<bool>> matches)
    {
        List<Open123Content> candidates;
        lock (fake.Gate)
        {
            candidates = fake.Accounts
                .SelectMany(a => a.AllNodes)
                .Select(n => n.Content)
                .OfType<Open123Content>()
                .Where(c => c.Length == size)
                .Distinct()
                .ToList();
        }

        foreach (var candidate in candidates)
        {
            if (await matches(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>The caller's open session. Call under the lock.</summary>
    private static Open123UploadSession OpenSession(Open123Fake fake, long uid, string preuploadId) =>
        fake.Uploads.GetValueOrDefault(preuploadId) is { } session && session.Uid == uid
            ? session
            : throw Open123Errors.Invalid("preuploadID 不存在或已过期");

    private static async Task<(StoredBlob Blob, string Md5)> SaveAsync(TempStorage temp, Stream source, CancellationToken cancellationToken)
    {
        var path = temp.NewPath();
        using var sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        long length = 0;
        try
        {
            await using var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, BufferSize, FileOptions.Asynchronous);
            int read;
            while ((read = await source.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
            {
                sha1.AppendData(buffer, 0, read);
                md5.AppendData(buffer, 0, read);
                await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                length += read;
            }
        }
        catch
        {
            TempStorage.TryDelete(path);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return (new StoredBlob(path, length, Convert.ToHexString(sha1.GetHashAndReset())), Convert.ToHexStringLower(md5.GetHashAndReset()));
    }

    private static void DeleteBlobs(IEnumerable<StoredBlob> blobs)
    {
        foreach (var blob in blobs)
        {
            TempStorage.TryDelete(blob.Path);
        }
    }

    private static string Server(Open123Fake fake) => fake.UploadServer.AbsoluteUri.TrimEnd('/');

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex Md5Hex();

    [GeneratedRegex("^[0-9a-f]{40}$")]
    private static partial Regex Sha1Hex();

    /// <summary>Where a new file goes: the parent id (either spelling), file name (a path with containDir), size and duplicate.</summary>
    private sealed record Target(long ParentId, string Filename, bool ContainDir, long Size, int Duplicate)
    {
        public static Target Read(Open123Call call)
        {
            var body = call.Body;
            var parentId = body.RequiredId("parentFileID", "parentFileId");
            var filename = body.RequiredString("filename");
            var size = body.RequiredInt64("size");
            if (size < 0)
            {
                throw Open123Errors.Invalid("size 不能为负数");
            }

            var duplicate = body.OptionalInt64("duplicate") ?? 0;
            if (duplicate is not (0 or 1 or 2))
            {
                throw Open123Errors.Invalid("duplicate 只能为 1 或 2");
            }

            var containDir = body.OptionalBool("containDir") ?? false;
            if (containDir)
            {
                foreach (var segment in filename.Split('/', StringSplitOptions.RemoveEmptyEntries))
                {
                    Open123Names.Check(segment);
                }
            }
            else
            {
                Open123Names.Check(filename);
            }

            return new Target(parentId, filename, containDir, size, (int)duplicate);
        }

        /// <summary>The folder and name; with containDir the path's folders are created (only when <paramref name="createFolders"/>). Call under the lock.</summary>
        public (long ParentId, string Name) Resolve(Open123Call call, bool createFolders)
        {
            var account = call.Account;
            if (!account.IsLiveFolder(ParentId))
            {
                throw Open123Errors.NotFound();
            }

            if (!ContainDir)
            {
                return (ParentId, Filename);
            }

            var segments = Filename.Split('/', StringSplitOptions.RemoveEmptyEntries);
            if (segments.Length == 0)
            {
                throw Open123Errors.Invalid("filename is required");
            }

            var parent = ParentId;
            foreach (var segment in segments[..^1])
            {
                var child = account.FindLiveChild(parent, segment);
                if (child is { IsFolder: false })
                {
                    throw Open123Errors.Invalid($"'{segment}' 是文件");
                }

                parent = child?.Id ?? (createFolders ? account.CreateFolder(parent, segment).Id : parent);
            }

            return (parent, segments[^1]);
        }
    }
}

/// <summary>One preupload session (create without reuse until upload_complete).</summary>
internal sealed class Open123UploadSession(string preuploadId, long uid, long parentId, string name, string etag, long size, int duplicate, long sliceSize)
{
    public string PreuploadId { get; } = preuploadId;

    public long Uid { get; } = uid;

    public long ParentId { get; } = parentId;

    public string Name { get; } = name;

    public string Etag { get; } = etag;

    public long Size { get; } = size;

    public int Duplicate { get; } = duplicate;

    public long SliceSize { get; } = sliceSize;

    public int SliceCount => (int)((Size + SliceSize - 1) / SliceSize);

    public Dictionary<int, StoredBlob> Slices { get; } = [];

    public int Polls { get; set; }

    public bool Completing { get; set; }

    public long CompletedFileId { get; set; }
}
