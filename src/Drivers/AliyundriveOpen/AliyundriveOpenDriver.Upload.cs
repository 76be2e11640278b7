using System.Globalization;
using OpenList.DriverHost.Drivers.AliyundriveOpen.Models;
using OpenList.DriverHost.Drivers.Errors;
using OpenList.DriverHost.Drivers.Uploads;

namespace OpenList.DriverHost.Drivers.AliyundriveOpen;

/// <summary>
/// Uploads (cloud-apis.md §2.6): create with the part list (and, with rapid upload, the pre-hash and then the
/// proof), PUT each part to its pre-signed URL, complete. The new file is created beside any previous version
/// (<c>check_name_mode: ignore</c>) and the previous versions are removed only once it is complete, so a failed
/// upload leaves the old file as it was (OpenList's NoOverwriteUpload).
/// </summary>
public sealed partial class AliyundriveOpenDriver
{
    /// <summary>Rapid upload is only tried above this size (§2.6 step 3).</summary>
    private const long RapidUploadThreshold = 100 * 1024;

    public async Task<StorageEntry> PutAsync(StoragePath path, Stream content, long? length, PutOptions options, CancellationToken cancellationToken)
    {
        PutArguments.Validate(path, content, length);

        try
        {
            var (parent, lookup) = await LookupAsync(path, wantAll: true, cancellationToken).ConfigureAwait(false);
            if (lookup.Visible is { IsFolder: true })
            {
                throw new StorageException(StorageErrorKind.IsDirectory, $"is a directory: {path}");
            }

            var spool = length is null
                || (_options.RapidUpload && length > RapidUploadThreshold)
                || OssPartSize.For(length.Value) > AliyundriveOpenUploadBody.MaxBufferedPart;
            await using var body = await AliyundriveOpenUploadBody.OpenAsync(path, content, length, spool, _context.TempDirectory, cancellationToken).ConfigureAwait(false);
            var uploaded = await UploadAsync(path, parent.Id, body, options ?? PutOptions.Default, cancellationToken).ConfigureAwait(false);

            var previous = lookup.All.Where(f => !f.IsFolder && f.FileId != uploaded.FileId).ToList();
            await RemoveSupersededAsync(path, previous).ConfigureAwait(false);
            return Remember(path, uploaded);
        }
        catch (OperationCanceledException e) when (cancellationToken.IsCancellationRequested)
        {
            throw PutArguments.Cancelled(path, e);
        }
    }

    private async Task<AliyunFile> UploadAsync(StoragePath path, string parentId, AliyundriveOpenUploadBody body, PutOptions options, CancellationToken cancellationToken)
    {
        var size = body.Length;
        var partSize = OssPartSize.For(size);
        var count = OssPartSize.Count(size, partSize);

        // The first part is read before anything is created, so a body that ends early leaves nothing behind.
        var first = count > 0
            ? await body.ReadPartAsync(1, 0, Math.Min(partSize, size), last: count == 1, cancellationToken).ConfigureAwait(false)
            : null;
        if (count == 0)
        {
            await body.EnsureEndAsync(cancellationToken).ConfigureAwait(false);
        }

        var created = await CreateUploadAsync(path, parentId, body, count, options, cancellationToken).ConfigureAwait(false);
        var fileId = created.FileId!;
        try
        {
            if (created.RapidUpload == true)
            {
                AliyundriveOpenLog.RapidUploaded(_logger, _context.MountPath, path);
            }
            else if (count > 0)
            {
                var session = new AliyundriveOpenUploadSession(_api, _http, _options, _time, _logger, _context.MountPath, path, DriveId, fileId, created.UploadId!, count, created.PartInfoList);
                for (var number = 1; number <= count; number++)
                {
                    var offset = (number - 1) * partSize;
                    var part = number == 1
                        ? first!
                        : await body.ReadPartAsync(number, offset, Math.Min(partSize, size - offset), last: number == count, cancellationToken).ConfigureAwait(false);
                    await session.PutPartAsync(part, cancellationToken).ConfigureAwait(false);
                }
            }

            var completed = await _api.CompleteAsync(DriveId, fileId, created.UploadId!, cancellationToken).ConfigureAwait(false);
            completed.FileId = string.IsNullOrEmpty(completed.FileId) ? fileId : completed.FileId;
            completed.Type = "file";
            completed.Size ??= size;
            if (string.IsNullOrEmpty(completed.ContentHash) && body.Sha1 is { } sha1)
            {
                completed.ContentHash = sha1;
                completed.ContentHashName = "sha1";
            }

            return completed;
        }
        catch
        {
            await DiscardAsync(path, fileId).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Upload create (§2.6 steps 2–4): with rapid upload, the pre-hash first, then the proof when it matched.</summary>
    private async Task<AliyunFile> CreateUploadAsync(StoragePath path, string parentId, AliyundriveOpenUploadBody body, int count, PutOptions options, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var request = new AliyunCreateFileRequest
        {
            DriveId = DriveId,
            ParentFileId = parentId,
            Name = path.Name,
            LocalModifiedAt = FormatTime(options.LastModified ?? now),
            LocalCreatedAt = FormatTime(options.LastModified ?? now),
            PartInfoList = AliyundriveOpenApiClient.PartNumbers(count),
        };

        var rapid = _options.RapidUpload && body.IsSpooled && body.Length > RapidUploadThreshold;
        if (rapid)
        {
            request = request with { Size = body.Length, PreHash = body.PreHash() };
        }

        AliyunFile created;
        try
        {
            created = await _api.CreateFileAsync(_ => request, cancellationToken).ConfigureAwait(false);
        }
        catch (PreHashMatchedException) when (rapid)
        {
            var proof = request with { PreHash = null, ContentHash = body.Sha1, ContentHashName = "sha1", ProofVersion = "v1" };
            created = await _api.CreateFileAsync(token => proof with { ProofCode = body.ProofCode(token) }, cancellationToken).ConfigureAwait(false);
        }
        catch (PreHashMatchedException e)
        {
            throw new StorageException(StorageErrorKind.Unavailable, $"Aliyun asked for a rapid-upload proof that was not offered: {path}", inner: e);
        }

        if (string.IsNullOrEmpty(created.FileId) || (created.RapidUpload != true && string.IsNullOrEmpty(created.UploadId) && count > 0))
        {
            throw new StorageException(StorageErrorKind.Unavailable, $"Aliyun answered the upload of {path} without a file_id or upload_id");
        }

        created.UploadId ??= string.Empty;
        return created;
    }

    /// <summary>The previous versions of an uploaded file go per <c>remove_way</c>; failures are only logged.</summary>
    private async Task RemoveSupersededAsync(StoragePath path, List<AliyunFile> previous)
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
                await _api.RemoveAsync(DriveId, old.FileId!, permanently: false, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is StorageException or OperationCanceledException)
            {
                AliyundriveOpenLog.DuplicateNotRemoved(_logger, _context.MountPath, path, e);
            }
        }
    }

    /// <summary>§2.6: <c>2006-01-02T15:04:05.000Z</c> in UTC.</summary>
    internal static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fff'Z'", CultureInfo.InvariantCulture);
}
