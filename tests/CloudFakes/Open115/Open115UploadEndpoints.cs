using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using OpenList.DriverHost.CloudFakes.Shared;

namespace OpenList.DriverHost.CloudFakes.Open115;

/// <summary>
/// <c>POST /open/upload/init</c> (rapid upload, the sign_check step, or an OSS session) and
/// <c>GET /open/upload/get_token</c> (STS credentials for the fake's OSS endpoint), §1.6.
/// </summary>
internal static partial class Open115UploadEndpoints
{
    public const int PreIdBytes = 128 * 1024;
    public const string CallbackPath = "_callback/115/upload";
    private static readonly TimeSpan SignChallengeLifetime = TimeSpan.FromHours(1);

    public static void Map(IEndpointRouteBuilder routes, Open115Fake fake)
    {
        Open115Routes.MapApi(routes, fake, HttpMethods.Post, "/open/upload/init", InitAsync);
        Open115Routes.MapApi(routes, fake, HttpMethods.Get, "/open/upload/get_token", GetToken);
    }

    /// <summary>
    /// Form <c>file_name</c>, <c>file_size</c>, <c>target=U_1_&lt;cid&gt;</c>, <c>fileid</c> (SHA1) and <c>preid</c>
    /// (SHA1 of the first 128 KiB), both 40 uppercase hex digits (lowercase is refused), optionally
    /// <c>sign_key</c> + <c>sign_val</c>. Statuses:
    /// 2 = done (the content exists anywhere in the fake, with a matching preid, and no sign check is due — or the
    /// sign_val was right); 7 = sign check needed (<c>sign_check</c> "start-end", inclusive); 6 = wrong sign_val;
    /// 8 = unknown, used, expired or foreign sign_key (6 and 8 issue a new challenge when the content still
    /// matches); 1 = upload through OSS. Every status but 2 carries an upload session (bucket, object, callback).
    /// </summary>
    private static async Task<object?> InitAsync(Open115Call call)
    {
        var fileName = Open115FileEndpoints.ValidName(call.Required("file_name"), "file_name");
        var size = call.RequiredInt64("file_size");
        if (size < 0)
        {
            throw Open115Errors.Invalid("file_size", "must not be negative");
        }

        var target = call.Required("target");
        var targetMatch = TargetPattern().Match(target);
        if (!targetMatch.Success)
        {
            throw Open115Errors.Invalid("target", "must be U_1_<folder id>");
        }

        var sha1 = Sha1Parameter(call, "fileid");
        var preId = Sha1Parameter(call, "preid");
        var signKey = call.Optional("sign_key");
        var signVal = call.Optional("sign_val");
        if ((signKey is null) != (signVal is null))
        {
            throw Open115Errors.Invalid(signKey is null ? "sign_key" : "sign_val", "must come with " + (signKey is null ? "sign_val" : "sign_key"));
        }

        var userId = call.Account.UserId.ToString(CultureInfo.InvariantCulture);
        string targetId;
        List<FileContent> candidates;
        lock (call.Fake.Gate)
        {
            targetId = call.Folder(targetMatch.Groups[1].Value).Id;
            candidates = call.Fake.Accounts.SelectMany(a => a.Tree.LiveFiles()).Where(n => n.Size == size).Select(n => n.Content!).Distinct().ToList();
        }

        FileContent? hit = null;
        foreach (var candidate in candidates)
        {
            if (await candidate.Sha1HexAsync() == sha1)
            {
                hit = candidate;
                break;
            }
        }

        if (hit is not null && Convert.ToHexString(SHA1.HashData(hit.ReadPrefix(PreIdBytes))) != preId)
        {
            hit = null; // the preid does not belong to this content: not a rapid-upload match
        }

        int status;
        if (signKey is not null)
        {
            Open115SignChallenge? challenge;
            lock (call.Fake.Gate)
            {
                call.Fake.Uploads.SignChallenges.Remove(signKey, out challenge);
            }

            var valid = challenge is not null && challenge.UserId == userId && challenge.Sha1 == sha1 && challenge.Size == size
                && challenge.Target == target && call.Now < challenge.ExpiresAt;
            if (valid && hit is not null && signVal == challenge!.ExpectedSha1)
            {
                return Instant(call, hit, targetId, fileName, target);
            }

            status = valid ? 6 : 8;
        }
        else if (hit is not null && (size == 0 || size < call.Fake.SignCheckMinSize))
        {
            return Instant(call, hit, targetId, fileName, target);
        }
        else
        {
            status = hit is null ? 1 : 7;
        }

        var session = NewSession(call, userId, targetId, target, fileName, size, sha1, preId);
        var answer = SessionAnswer(session, status);
        if (hit is not null && size > 0)
        {
            var (start, end) = call.Fake.SignCheckRangeFor(sha1, size);
            var key = "sk" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
            var expected = RangeSha1(hit, start, end);
            lock (call.Fake.Gate)
            {
                call.Fake.Uploads.SignChallenges[key] = new Open115SignChallenge(userId, sha1, size, target, start, end, expected, call.Now + SignChallengeLifetime);
            }

            answer["sign_key"] = key;
            answer["sign_check"] = string.Create(CultureInfo.InvariantCulture, $"{start}-{end}");
        }

        return answer;
    }

    /// <summary>STS credentials: <c>{endpoint, AccessKeyId, AccessKeySecret, SecurityToken, expiration}</c> (note the capitalised keys).</summary>
    private static Task<object?> GetToken(Open115Call call)
    {
        var expires = call.Now + call.Fake.OssTokenLifetime;
        var credential = new Open115OssCredential
        {
            AccessKeyId = "STS.NT" + RandomText(22),
            AccessKeySecret = RandomText(40),
            SecurityToken = "CAIS" + RandomText(180),
            UserId = call.Account.UserId.ToString(CultureInfo.InvariantCulture),
            ExpiresAt = expires,
        };
        lock (call.Fake.Gate)
        {
            call.Fake.Uploads.Credentials.Add(credential.AccessKeyId, credential);
        }

        object? data = new Dictionary<string, object?>
        {
            ["endpoint"] = call.Fake.BaseUrl.GetLeftPart(UriPartial.Authority),
            ["AccessKeyId"] = credential.AccessKeyId,
            ["AccessKeySecret"] = credential.AccessKeySecret,
            ["SecurityToken"] = credential.SecurityToken,
            ["expiration"] = expires.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        };
        return Task.FromResult<object?>(data);
    }

    /// <summary>Uppercase SHA1 hex of the inclusive byte range [start, end].</summary>
    public static string RangeSha1(FileContent content, long start, long end)
    {
        using var stream = content.OpenRead();
        stream.Seek(start, SeekOrigin.Begin);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        var buffer = new byte[1 << 16];
        var remaining = end - start + 1;
        while (remaining > 0)
        {
            var read = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, remaining));
            if (read == 0)
            {
                break;
            }

            hash.AppendData(buffer, 0, read);
            remaining -= read;
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }

    private static Dictionary<string, object?> Instant(Open115Call call, FileContent content, string targetId, string fileName, string target)
    {
        lock (call.Fake.Gate)
        {
            var parent = call.Folder(targetId);
            var node = call.Account.Tree.CreateFile(parent.Id, fileName, content);
            return new Dictionary<string, object?>
            {
                ["pick_code"] = call.Account.PickCodeOf(node),
                ["status"] = 2,
                ["sign_key"] = "",
                ["sign_check"] = "",
                ["file_id"] = node.Id,
                ["target"] = target,
                ["bucket"] = "",
                ["object"] = "",
                ["callback"] = Array.Empty<object>(),
            };
        }
    }

    private static Dictionary<string, object?> SessionAnswer(Open115UploadSession session, int status) => new()
    {
        ["pick_code"] = session.PickCode,
        ["status"] = status,
        ["sign_key"] = "",
        ["sign_check"] = "",
        ["file_id"] = "",
        ["target"] = session.Target,
        ["bucket"] = Open115OssEndpoints.Bucket,
        ["object"] = session.Object,
        ["callback"] = new Dictionary<string, object?> { ["callback"] = session.Callback, ["callback_var"] = session.CallbackVar },
    };

    private static Open115UploadSession NewSession(Open115Call call, string userId, string targetId, string target, string fileName, long size, string sha1, string preId)
    {
        lock (call.Fake.Gate)
        {
            var fileId = call.Account.Tree.NewId();
            var pickCode = call.Fake.NewPickCode();
            call.Account.AssignPickCode(fileId, pickCode);
            var objectKey = $"115/{userId}/{sha1[..8].ToLowerInvariant()}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}";
            var callbackUrl = new Uri(call.Fake.BaseUrl, CallbackPath).ToString();
            var variables = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["x:pick_code"] = pickCode,
                ["x:user_id"] = userId,
                ["x:target"] = target,
                ["x:file_id"] = fileId,
            };
            var callback = JsonSerializer.Serialize(new Dictionary<string, string>
            {
                ["callbackUrl"] = callbackUrl,
                ["callbackBody"] = "bucket=${bucket}&object=${object}&etag=${etag}&size=${size}&pick_code=${x:pick_code}&user_id=${x:user_id}&target=${x:target}&file_id=${x:file_id}",
                ["callbackBodyType"] = "application/x-www-form-urlencoded",
            }, Open115Json.Options);
            var session = new Open115UploadSession
            {
                UserId = userId,
                TargetId = targetId,
                Target = target,
                FileName = fileName,
                Size = size,
                Sha1 = sha1,
                PreId = preId,
                PickCode = pickCode,
                FileId = fileId,
                Object = objectKey,
                CallbackUrl = callbackUrl,
                Callback = callback,
                CallbackVar = JsonSerializer.Serialize(variables, Open115Json.Options),
                Variables = variables,
            };
            call.Fake.Uploads.Sessions.Add(objectKey, session);
            return session;
        }
    }

    private static string Sha1Parameter(Open115Call call, string name)
    {
        var value = call.Required(name);
        return Sha1Pattern().IsMatch(value) ? value : throw Open115Errors.Invalid(name, "must be 40 uppercase hex digits");
    }

    private static string RandomText(int length) =>
        RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", length);

    [GeneratedRegex("^U_1_([0-9]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex TargetPattern();

    [GeneratedRegex("^[0-9A-F]{40}$", RegexOptions.CultureInvariant)]
    private static partial Regex Sha1Pattern();
}
