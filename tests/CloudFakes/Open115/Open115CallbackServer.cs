using System.Security.Cryptography;
using Microsoft.AspNetCore.WebUtilities;
using OpenList.DriverHost.CloudFakes.Shared;

namespace OpenList.DriverHost.CloudFakes.Open115;

/// <summary>
/// The 115 side of an OSS upload callback: the callback body (form-encoded, after OSS substituted
/// <c>${bucket}</c>, <c>${object}</c>, <c>${size}</c>, <c>${x:…}</c>) must name the session's object, pick code,
/// user, target and file id; the stored object must have the size, SHA1 and preid init announced; the target
/// folder must still exist; and each session is used once. Then the file appears (with the id and pick code init
/// reserved) and the answer is <c>{state:true, code:0, message:"", data:{…}}</c>; otherwise <c>state:false</c>
/// with 990009 (DESIGN) or 430004 (target gone).
/// </summary>
internal static class Open115CallbackServer
{
    public static async Task<Dictionary<string, object?>> HandleAsync(Open115Fake fake, Open115UploadSession session, string body)
    {
        var form = QueryHelpers.ParseQuery(body);
        string Field(string name) => form.TryGetValue(name, out var value) ? value.ToString() : "";
        if (Field("object") != session.Object || Field("bucket") != Open115OssEndpoints.Bucket
            || session.Variables.Any(v => Field(v.Key[2..]) != v.Value))
        {
            return Failure(Open115Errors.NotAllowed, "callback variables do not match the upload (x-oss-callback-var must be callback_var from init).");
        }

        var content = session.Stored!;
        if (content.Length != session.Size)
        {
            return Failure(Open115Errors.NotAllowed, $"uploaded {content.Length} bytes but init announced file_size {session.Size}.");
        }

        if (await content.Sha1HexAsync() != session.Sha1)
        {
            return Failure(Open115Errors.NotAllowed, "the uploaded content does not match fileid (SHA1) from init.");
        }

        if (Convert.ToHexString(SHA1.HashData(content.ReadPrefix(Open115UploadEndpoints.PreIdBytes))) != session.PreId)
        {
            return Failure(Open115Errors.NotAllowed, "the uploaded content does not match preid (SHA1 of the first 128 KiB) from init.");
        }

        FileSnapshot created;
        lock (fake.Gate)
        {
            if (session.Finished)
            {
                return Failure(Open115Errors.NotAllowed, "this upload was already completed.");
            }

            var account = fake.FindAccountUnlocked(session.UserId);
            var parent = account?.Tree.GetLive(session.TargetId);
            if (account is null || parent is not { IsFolder: true })
            {
                return Failure(Open115Errors.NotFound, "the target folder no longer exists.");
            }

            created = account.Tree.CreateFile(parent.Id, session.FileName, content, id: session.FileId).Snapshot();
            session.Finished = true;
            fake.Uploads.Sessions.Remove(session.Object);
        }

        fake.CountCallback();
        return new Dictionary<string, object?>
        {
            ["state"] = true,
            ["code"] = 0,
            ["message"] = "",
            ["data"] = new Dictionary<string, object?>
            {
                ["file_name"] = created.Name,
                ["file_size"] = created.Size.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["file_id"] = created.Id,
                ["pick_code"] = session.PickCode,
                ["sha1"] = session.Sha1,
                ["cid"] = session.TargetId,
            },
        };
    }

    private static Dictionary<string, object?> Failure(long code, string message) => new()
    {
        ["state"] = false,
        ["code"] = code,
        ["message"] = message,
        ["data"] = Array.Empty<object>(),
    };
}
