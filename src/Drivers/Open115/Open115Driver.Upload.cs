using System.Globalization;
using System.Text.Json;
using OpenList.DriverHost.Drivers.Errors;
using OpenList.DriverHost.Drivers.Open115.Models;

namespace OpenList.DriverHost.Drivers.Open115;

/// <summary>
/// Uploads (cloud-apis.md §1.6): spool and hash, <c>upload/init</c> with the SHA1s (status 2: instant upload, 秒传),
/// the two-step sign check for statuses 6, 7 and 8, otherwise STS credentials and an OSS multipart upload whose
/// callback makes the file appear. The new file lands beside any previous version, which is removed only once the
/// new one is listed, so a failed upload leaves the old file as it was.
/// </summary>
public sealed partial class Open115Driver
{
    /// <summary>§1.6 step 3: the file is stored (instant upload, or after the sign check).</summary>
    private const long StatusDone = 2;

    public async Task<StorageEntry> PutAsync(StoragePath path, Stream content, long? length, PutOptions options, CancellationToken cancellationToken)
    {
        PutArguments.Check(path, content, length);

        try
        {
            var (parent, before) = await LookupAsync(path, wantAll: true, cancellationToken).ConfigureAwait(false);
            if (before.Visible is { IsFolder: true })
            {
                throw new StorageException(StorageErrorKind.IsDirectory, $"is a directory: {path}");
            }

            await using var body = await Open115UploadBody.SpoolAsync(path, content, length, _context.TempDirectory, cancellationToken).ConfigureAwait(false);

            // §1.7: the limiter is waited on once per Put, not per upload call.
            await _api.Limiter().WaitAsync(cancellationToken).ConfigureAwait(false);
            var newId = await UploadAsync(path, parent.Id, body, cancellationToken).ConfigureAwait(false);

            var known = before.All.Select(f => f.FileId).ToHashSet(StringComparer.Ordinal);
            var after = (await ScanAsync(parent.Id, path.Name, wantAll: true, cancellationToken).ConfigureAwait(false)).All
                .Where(f => !f.IsFolder)
                .ToList();
            var uploaded = after.FirstOrDefault(f => newId is not null && f.FileId == newId)
                ?? after.Where(f => !known.Contains(f.FileId)).OrderByDescending(f => f.Updated ?? f.Created).FirstOrDefault()
                ?? (after.Count == 1 ? after[0] : null) // replaced in place
                ?? throw new StorageException(StorageErrorKind.Unavailable, $"115 took the upload of {path} but does not list it");

            await RemoveSupersededAsync(path, parent.Id, after.Where(f => f.FileId != uploaded.FileId).ToList()).ConfigureAwait(false);
            _ids.Forget(path);
            return Remember(path, uploaded);
        }
        catch (OperationCanceledException e) when (cancellationToken.IsCancellationRequested)
        {
            throw new StorageException(StorageErrorKind.Incomplete, $"upload cancelled; nothing was kept: {path}", inner: e);
        }
    }

    /// <summary>Stores <paramref name="body"/> in folder <paramref name="folderId"/>; returns the new file's id when 115 said it.</summary>
    private async Task<string?> UploadAsync(StoragePath path, string folderId, Open115UploadBody body, CancellationToken cancellationToken)
    {
        var init = await _api.UploadInitAsync(path.Name, body.Length, folderId, body.Sha1, body.PreId, null, null, cancellationToken).ConfigureAwait(false);
        if (init.Status == StatusDone)
        {
            Open115Log.InstantUploaded(_logger, _context.MountPath, path);
            return NonEmpty(init.FileId);
        }

        if (init.Status is 6 or 7 or 8)
        {
            // §1.6 step 4: prove we hold the file by the SHA1 of the inclusive byte range 115 names.
            var (start, end) = ParseSignCheck(init.SignCheck, path);
            Open115Log.SignCheck(_logger, _context.MountPath, path, init.SignCheck!);
            var signValue = await body.RangeSha1Async(start, end, cancellationToken).ConfigureAwait(false);
            init = await _api.UploadInitAsync(path.Name, body.Length, folderId, body.Sha1, body.PreId, init.SignKey, signValue, cancellationToken).ConfigureAwait(false);
            if (init.Status == StatusDone)
            {
                Open115Log.InstantUploaded(_logger, _context.MountPath, path);
                return NonEmpty(init.FileId);
            }
        }

        if (string.IsNullOrEmpty(init.Bucket) || string.IsNullOrEmpty(init.Object))
        {
            var status = init.Status?.ToString(CultureInfo.InvariantCulture) ?? "none";
            throw new StorageException(StorageErrorKind.Unavailable, $"115 answered the upload of {path} with status {status} and no OSS bucket or object");
        }

        var session = new Open115UploadSession(_http, _api.UploadTokenAsync, _time, _logger, _context.MountPath, path, init.Bucket, init.Object, init.CallbackPair());
        var answer = await session.UploadAsync(body, cancellationToken).ConfigureAwait(false);
        return CallbackFileId(answer) ?? NonEmpty(init.FileId);
    }

    /// <summary>"start-end", both included (§1.6 step 4).</summary>
    internal static (long Start, long End) ParseSignCheck(string? signCheck, StoragePath path)
    {
        var parts = (signCheck ?? string.Empty).Split('-', 2, StringSplitOptions.TrimEntries);
        if (parts.Length == 2
            && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var end)
            && end >= start)
        {
            return (start, end);
        }

        throw new StorageException(StorageErrorKind.Unavailable, $"115 asked for a sign check of {path} with an unreadable range");
    }

    /// <summary>The new file's id from the callback's answer (<c>data.file_id</c>), when it carries one.</summary>
    private static string? CallbackFileId(JsonElement? answer)
    {
        if (answer is not { ValueKind: JsonValueKind.Object } root || !root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object
            || !data.TryGetProperty("file_id", out var id))
        {
            return null;
        }

        return id.ValueKind switch
        {
            JsonValueKind.String => NonEmpty(id.GetString()),
            JsonValueKind.Number => id.GetRawText(),
            _ => null,
        };
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    /// <summary>The previous versions of an uploaded file are deleted; failures are only logged.</summary>
    private async Task RemoveSupersededAsync(StoragePath path, string parentId, List<Open115File> previous)
    {
        if (previous.Count == 0)
        {
            return;
        }

        // The upload is complete: the client hanging up now must not leave two versions behind.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60), _time);
        foreach (var old in previous)
        {
            try
            {
                await _api.DeleteAsync(old.FileId!, parentId, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is StorageException or OperationCanceledException)
            {
                Open115Log.DuplicateNotRemoved(_logger, _context.MountPath, path, e);
            }
        }
    }
}
