using OpenList.DriverHost.Drivers.Errors;
using OpenList.DriverHost.Drivers.PathIds;

namespace OpenList.DriverHost.Drivers.Open123;

/// <summary>
/// Uploads (cloud-apis.md §3.6): <c>sha1_reuse</c> when the caller knows the SHA1, otherwise the body is read to
/// its end for its MD5 and <c>create</c> is asked (instant when 123 holds the content: <c>reuse</c>); then the slices,
/// and <c>upload_complete</c> is polled until it says done. <c>duplicate: 2</c> replaces a file of the same name only
/// when the upload completes, so a failed upload leaves the previous version as it was.
/// </summary>
public sealed partial class Open123Driver
{
    /// <summary>OpenList polls upload_complete up to 60 times, a second apart (§3.6 step 4).</summary>
    internal const int MaxCompletePolls = 60;

    internal static readonly TimeSpan CompletePollInterval = TimeSpan.FromSeconds(1);

    public async Task<StorageEntry> PutAsync(StoragePath path, Stream content, long? length, PutOptions options, CancellationToken cancellationToken)
    {
        PutArguments.Check(path, content, length);

        try
        {
            var (parent, existing) = await LookupAsync(path, cancellationToken).ConfigureAwait(false);
            if (existing is { IsFolder: true })
            {
                throw new StorageException(StorageErrorKind.IsDirectory, $"is a directory: {path}");
            }

            CheckName(path);
            var parentId = ParseId(parent.Id);
            if (length is { } size && KnownSha1(options) is { } sha1
                && await TrySha1ReuseAsync(path, parentId, sha1, size, cancellationToken).ConfigureAwait(false) is { } reused)
            {
                return reused;
            }

            await using var body = await Open123UploadBody.OpenAsync(path, content, length, _context.TempDirectory, cancellationToken).ConfigureAwait(false);
            var fileId = await UploadAsync(path, parentId, body, cancellationToken).ConfigureAwait(false);
            return Placed(path, fileId, body.Length, body.Md5);
        }
        catch (OperationCanceledException e) when (cancellationToken.IsCancellationRequested)
        {
            throw new StorageException(StorageErrorKind.Incomplete, $"upload cancelled; nothing was kept: {path}", inner: e);
        }
    }

    /// <summary>Create, then (unless 123 reused the content) the slices and the completion; the new file's id.</summary>
    private async Task<long> UploadAsync(StoragePath path, long parentId, Open123UploadBody body, CancellationToken cancellationToken)
    {
        var created = await _api.CreateAsync(parentId, path.Name, body.Md5, body.Length, cancellationToken).ConfigureAwait(false);
        if (created.Reuse && created.FileId > 0)
        {
            Open123Log.InstantUpload(_logger, _context.MountPath, path, "md5");
            return created.FileId;
        }

        if (string.IsNullOrEmpty(created.PreuploadId))
        {
            throw new StorageException(StorageErrorKind.Unavailable, $"123 answered the upload of {path} without a preuploadID");
        }

        if (body.Length > 0)
        {
            var server = created.Servers?.FirstOrDefault(s => !string.IsNullOrWhiteSpace(s));
            if (created.SliceSize <= 0 || !Uri.TryCreate(server, UriKind.Absolute, out var serverUrl)
                || (serverUrl.Scheme != Uri.UriSchemeHttp && serverUrl.Scheme != Uri.UriSchemeHttps))
            {
                throw new StorageException(StorageErrorKind.Unavailable, $"123 answered the upload of {path} without a usable sliceSize and upload server");
            }

            var session = new Open123UploadSession(_api, body, _time, _logger, _context.MountPath, path, created.PreuploadId, created.SliceSize, serverUrl, _options.UploadThread);
            await session.UploadAsync(cancellationToken).ConfigureAwait(false);
        }

        return await CompleteAsync(path, created.PreuploadId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Polls upload_complete until it answers <c>completed</c> with a file id (§3.6 step 4): <c>completed: false</c>
    /// several times is normal while 123 checks the file, and so are errors while it does (20103); both are waited out,
    /// a second apart, at most <see cref="MaxCompletePolls"/> times.
    /// </summary>
    private async Task<long> CompleteAsync(StoragePath path, string preuploadId, CancellationToken cancellationToken)
    {
        string? lastError = null;
        for (var poll = 1; poll <= MaxCompletePolls; poll++)
        {
            try
            {
                var result = await _api.CompleteAsync(preuploadId, cancellationToken).ConfigureAwait(false);
                if (result.Completed && result.FileId > 0)
                {
                    return result.FileId;
                }
            }
            catch (StorageException e) when (e.Kind is StorageErrorKind.Unavailable or StorageErrorKind.RateLimited)
            {
                lastError = e.Message;
            }

            Open123Log.NotCompleteYet(_logger, _context.MountPath, path, poll);
            if (poll < MaxCompletePolls)
            {
                await Task.Delay(CompletePollInterval, _time, cancellationToken).ConfigureAwait(false);
            }
        }

        throw new StorageException(
            StorageErrorKind.Unavailable,
            $"123 did not complete the upload of {path} after {MaxCompletePolls} polls{(lastError is null ? "" : " (last: " + lastError + ")")}; nothing was kept");
    }

    /// <summary>
    /// <c>sha1_reuse</c> (§3.6 step 1): 123 stores the file from content it already holds, without a byte sent.
    /// Null when it does not (or fails: errors here are ignored, as OpenList ignores them).
    /// </summary>
    private async Task<StorageEntry?> TrySha1ReuseAsync(StoragePath path, long parentId, string sha1, long size, CancellationToken cancellationToken)
    {
        try
        {
            var result = await _api.Sha1ReuseAsync(parentId, path.Name, sha1, size, cancellationToken).ConfigureAwait(false);
            if (!result.Reuse || result.FileId <= 0)
            {
                return null;
            }

            Open123Log.InstantUpload(_logger, _context.MountPath, path, "sha1");
            return Placed(path, result.FileId, size, md5: null); // the MD5 is not known here; the listing has it
        }
        catch (StorageException e) when (e.Kind is not StorageErrorKind.AuthExpired)
        {
            Open123Log.Sha1ReuseFailed(_logger, _context.MountPath, path, e.Message);
            return null;
        }
    }

    private static string? KnownSha1(PutOptions? options) =>
        options?.Hashes is { } hashes && hashes.TryGetValue(HashNames.Sha1, out var sha1) && sha1 is { Length: 40 } && sha1.All(Uri.IsHexDigit)
            ? sha1.ToLowerInvariant()
            : null;

    /// <summary>The entry of a file just stored at <paramref name="path"/>, remembered in the path cache.</summary>
    private StorageEntry Placed(StoragePath path, long fileId, long size, string? md5)
    {
        var now = _time.GetUtcNow();
        var entry = new StorageEntry(path, false, size, now, now, Open123ApiClient.Id(fileId));
        _ids.Forget(path);
        _ids.Remember(path, new CloudNode(entry.Id!, false));
        return md5 is null ? entry : WithMd5(entry, md5);
    }
}
