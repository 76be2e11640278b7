using System.Globalization;
using System.Security.Cryptography;
using OpenList.DriverHost.CloudFakes.Shared;

namespace OpenList.DriverHost.CloudFakes.Aliyun;

/// <summary>
/// <c>openFile/create</c>: folders, and the start of an upload (specs/cloud-apis.md §2.6) including
/// pre-hash (409 PreHashMatched) and proof-based rapid upload.
/// check_name_mode defaults to "ignore" (documented default); "refuse" answers 409 AlreadyExist.File
/// (DESIGN: the real answer to a refused name is UNCERTAIN), "auto_rename" picks "name(1).ext".
/// Rapid-upload matches are looked for in the same drive only (DESIGN: keeps tests isolated).
/// </summary>
internal static class AliyunCreateEndpoint
{
    public const string Path = AliyunRoutes.ApiPrefix + "/openFile/create";
    private const int PreHashBytes = 1024;
    private const int MaxPartNumber = 10_000;

    public static void Map(IEndpointRouteBuilder routes, AliyunFake fake) =>
        AliyunRoutes.MapApi(routes, fake, Path, AliyunRateClass.Other, Create);

    private static async Task<object> Create(AliyunCall call)
    {
        var name = AliyunNames.Validate(call.Body.RequiredString("name"));
        return call.Body.RequiredString("type") switch
        {
            "folder" => await CreateFolderAsync(call, name),
            "file" => await CreateFileAsync(call, name),
            _ => throw AliyunErrors.Invalid("type", "must be file or folder"),
        };
    }

    private static async Task<object> CreateFolderAsync(AliyunCall call, string name)
    {
        var mode = AliyunNames.Mode(call, "ignore");
        FileSnapshot folder;
        string driveId;
        lock (call.Fake.Gate)
        {
            var drive = call.Drive();
            var parent = call.Folder(drive, "parent_file_id");
            folder = drive.Tree.CreateFolder(parent.Id, FinalName(drive, parent, name, mode)).Snapshot();
            driveId = drive.DriveId;
        }

        var item = await AliyunJson.FileAsync(driveId, folder);
        return item with { Name = null, FileName = folder.Name, Exist = false, Available = true };
    }

    private static async Task<object> CreateFileAsync(AliyunCall call, string name)
    {
        var body = call.Body;
        var mode = AliyunNames.Mode(call, "ignore");
        var size = body.OptionalInt64("size");
        if (size < 0)
        {
            throw AliyunErrors.Invalid("size", "cannot be negative");
        }

        var parts = PartNumbers(body);
        var localCreated = Timestamp(body, "local_created_at");
        var localModified = Timestamp(body, "local_modified_at");
        var preHash = body.OptionalString("pre_hash");
        var contentHash = body.OptionalString("content_hash");
        var proofCode = body.OptionalString("proof_code");
        if ((preHash is not null || proofCode is not null) && size is null)
        {
            throw AliyunErrors.Invalid("size", "is required for rapid upload");
        }

        List<FileSnapshot> sameSize;
        lock (call.Fake.Gate)
        {
            var drive = call.Drive();
            call.Folder(drive, "parent_file_id");
            sameSize = size is { } s ? drive.Tree.LiveFiles().Where(n => n.Size == s).Select(n => n.Snapshot()).ToList() : [];
        }

        if (preHash is not null && sameSize.Exists(n => Sha1Hex(n.Content!.ReadPrefix(PreHashBytes)).Equals(preHash, StringComparison.OrdinalIgnoreCase)))
        {
            throw AliyunErrors.PreHashMatched();
        }

        if (contentHash is not null && proofCode is not null && size > 0)
        {
            CheckProofFields(body);
            foreach (var candidate in sameSize)
            {
                if ((await candidate.Content!.Sha1HexAsync()).Equals(contentHash, StringComparison.OrdinalIgnoreCase))
                {
                    return await RapidUploadAsync(call, name, mode, candidate, proofCode, localCreated, localModified);
                }
            }
        }

        lock (call.Fake.Gate)
        {
            var drive = call.Drive();
            var parent = call.Folder(drive, "parent_file_id");
            var session = new AliyunUploadSession
            {
                UploadId = call.Fake.NewUploadId(),
                FileId = drive.Tree.NewId(),
                ParentId = parent.Id,
                Name = FinalName(drive, parent, name, mode),
                DeclaredSize = size,
                LocalCreatedAt = localCreated,
                LocalModifiedAt = localModified,
            };
            session.DeclaredParts.UnionWith(parts);
            drive.Uploads.Add(session.UploadId, session);
            return new AliyunFileItem
            {
                DriveId = drive.DriveId,
                FileId = session.FileId,
                ParentFileId = parent.Id,
                FileName = session.Name,
                Type = "file",
                Status = "uploading",
                Exist = false,
                UploadId = session.UploadId,
                RapidUpload = false,
                PartInfoList = AliyunUploadEndpoints.PartUrls(call.Fake, drive.DriveId, session.UploadId, parts),
            };
        }
    }

    private static async Task<object> RapidUploadAsync(
        AliyunCall call,
        string name,
        string mode,
        FileSnapshot match,
        string proofCode,
        DateTimeOffset? localCreated,
        DateTimeOffset? localModified)
    {
        if (!AliyunProof.Verify(call.AccessToken, match.Content!, proofCode))
        {
            throw new FakeApiException(400, "InvalidParameter.ProofCode", "The proof code does not match the content.");
        }

        FileSnapshot created;
        string driveId, uploadId;
        lock (call.Fake.Gate)
        {
            var drive = call.Drive();
            var parent = call.Folder(drive, "parent_file_id");
            var node = drive.Tree.CreateFile(parent.Id, FinalName(drive, parent, name, mode), match.Content!, localCreatedAt: localCreated, localModifiedAt: localModified);
            uploadId = call.Fake.NewUploadId();
            drive.Uploads.Add(uploadId, new AliyunUploadSession { UploadId = uploadId, FileId = node.Id, ParentId = parent.Id, Name = node.Name, Rapid = true });
            created = node.Snapshot();
            driveId = drive.DriveId;
        }

        var item = await AliyunJson.FileAsync(driveId, created);
        return item with { Name = null, FileName = created.Name, Exist = false, UploadId = uploadId, RapidUpload = true, PartInfoList = [] };
    }

    private static string FinalName(AliyunDrive drive, FileNode parent, string name, string mode)
    {
        if (drive.Tree.FindLiveChild(parent.Id, name) is null || mode == "ignore")
        {
            return name;
        }

        return mode == "auto_rename" ? drive.Tree.FreeName(parent.Id, name) : throw AliyunErrors.AlreadyExists(name);
    }

    private static void CheckProofFields(JsonRequest body)
    {
        if (body.OptionalString("proof_version") is not "v1")
        {
            throw AliyunErrors.Invalid("proof_version", "must be v1");
        }

        if (body.OptionalString("content_hash_name") is not (null or "sha1"))
        {
            throw AliyunErrors.Invalid("content_hash_name", "must be sha1");
        }
    }

    /// <summary>part_info_list [{part_number}], default [1]; numbers 1..10000, no repeats.</summary>
    internal static List<int> PartNumbers(JsonRequest body)
    {
        var list = body.OptionalObjectArray("part_info_list");
        if (list is null || list.Count == 0)
        {
            return [1];
        }

        var numbers = list.Select(p => p.OptionalInt64("part_number") ?? throw AliyunErrors.Invalid("part_number", "is required")).ToList();
        if (numbers.Exists(n => n is < 1 or > MaxPartNumber) || numbers.Distinct().Count() != numbers.Count)
        {
            throw AliyunErrors.Invalid("part_number", "must be distinct numbers from 1 to 10000");
        }

        return numbers.Select(n => (int)n).ToList();
    }

    private static DateTimeOffset? Timestamp(JsonRequest body, string field) =>
        body.OptionalString(field) is not { } text
            ? null
            : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
                ? value
                : throw AliyunErrors.Invalid(field, "must be an RFC 3339 time");

    private static string Sha1Hex(byte[] bytes) => Convert.ToHexString(SHA1.HashData(bytes));
}
