using OpenList.DriverHost.Drivers.DiskTop.Models;
using OpenList.DriverHost.Drivers.Errors;

namespace OpenList.DriverHost.Drivers.DiskTop;

/// <summary>
/// Uploads (cloud-apis.md §4.5): spool and hash (MD5 of the whole body), <c>precreate</c> (an instant upload when the
/// server has the content), otherwise the chunked session of <see cref="DiskTopUploadSession"/>. A failed or cancelled
/// session is aborted. A file that replaces another is uploaded under a staging name beside it and swapped in only
/// once complete (the old one renamed aside, the new one renamed into place, the old one deleted), so a failed upload
/// leaves the previous version as it was.
/// </summary>
public sealed partial class DiskTopDriver
{
    private const string DefaultContentType = "application/octet-stream";

    /// <summary>Free bytes of the spool folder (tests replace it).</summary>
    internal Func<string, long?> AvailableSpace { get; set; } = DiskTopUploadBody.AvailableSpace;

    public async Task<StorageEntry> PutAsync(StoragePath path, Stream content, long? length, PutOptions options, CancellationToken cancellationToken)
    {
        PutArguments.Check(path, content, length);
        ArgumentNullException.ThrowIfNull(options);

        try
        {
            var (parentExists, existing) = await LookupAsync(path, cancellationToken).ConfigureAwait(false);
            if (!parentExists)
            {
                throw new StorageException(StorageErrorKind.NotFound, $"parent folder not found: {path}");
            }

            if (existing is { IsFolder: true })
            {
                throw new StorageException(StorageErrorKind.IsDirectory, $"is a directory: {path}");
            }

            await using var body = await DiskTopUploadBody.SpoolAsync(path, content, length, _context.TempDirectory, AvailableSpace, cancellationToken).ConfigureAwait(false);
            var contentType = string.IsNullOrWhiteSpace(options.ContentType) ? DefaultContentType : options.ContentType;
            long fileId;
            if (existing is null)
            {
                try
                {
                    fileId = await UploadAsync(path, path.Name, body, contentType, cancellationToken).ConfigureAwait(false);
                }
                catch (StorageException e) when (e.Kind == StorageErrorKind.AlreadyExists)
                {
                    // The name was taken meanwhile: replace what is there now.
                    existing = await FindAsync(path, cancellationToken).ConfigureAwait(false);
                    if (existing is not { IsFolder: false })
                    {
                        throw existing is null ? e : new StorageException(StorageErrorKind.IsDirectory, $"is a directory: {path}");
                    }

                    fileId = await ReplaceAsync(path, existing, body, contentType, cancellationToken).ConfigureAwait(false);
                }
            }
            else
            {
                fileId = await ReplaceAsync(path, existing, body, contentType, cancellationToken).ConfigureAwait(false);
            }

            return ToEntry(path, new DiskTopItem { Id = fileId, Name = path.Name, Size = body.Length, Md5 = body.Md5 });
        }
        catch (OperationCanceledException e) when (cancellationToken.IsCancellationRequested)
        {
            throw new StorageException(StorageErrorKind.Incomplete, $"upload cancelled; nothing was kept: {path}", inner: e);
        }
    }

    /// <summary>Uploads beside <paramref name="old"/> under a staging name, then swaps the new file in.</summary>
    private async Task<long> ReplaceAsync(StoragePath path, DiskTopItem old, DiskTopUploadBody body, string contentType, CancellationToken cancellationToken)
    {
        var staging = StagingName(path.Name);
        var fileId = await UploadAsync(path, staging, body, contentType, cancellationToken).ConfigureAwait(false);
        var uploaded = new DiskTopItem { Id = fileId, Name = staging, IsFolder = false };

        // The upload is complete: the client hanging up now must not leave the swap half done.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60), _time);
        var aside = StagingName(path.Name);
        try
        {
            await _api.ManageAsync("rename", old, timeout.Token, newName: aside).ConfigureAwait(false);
        }
        catch
        {
            await DiscardAsync(path.Parent.Combine(staging), uploaded).ConfigureAwait(false);
            throw;
        }

        try
        {
            await _api.ManageAsync("rename", uploaded, timeout.Token, newName: path.Name).ConfigureAwait(false);
        }
        catch
        {
            await ThenOrUndoAsync(() => _api.ManageAsync("rename", old, CancellationToken.None, newName: path.Name), () => Task.CompletedTask, path).ConfigureAwait(false);
            await DiscardAsync(path.Parent.Combine(staging), uploaded).ConfigureAwait(false);
            throw;
        }

        await DiscardAsync(path.Parent.Combine(aside), old).ConfigureAwait(false);
        return fileId;
    }

    /// <summary>Stores <paramref name="body"/> as <paramref name="name"/> in the parent of <paramref name="path"/>; returns the new file's id.</summary>
    private async Task<long> UploadAsync(StoragePath path, string name, DiskTopUploadBody body, string contentType, CancellationToken cancellationToken)
    {
        var parentPath = _options.ApiPath(path.Parent);
        var precreate = await _api.PrecreateAsync(parentPath, name, body.Length, body.Md5, contentType, cancellationToken).ConfigureAwait(false);
        long? fileId;
        if (precreate.InstantUpload)
        {
            DiskTopLog.InstantUploaded(_logger, _context.MountPath, path);
            fileId = precreate.FileId;
        }
        else
        {
            var session = new DiskTopUploadSession(_api, _logger, _context.MountPath, path, body, precreate, UploadAttemptsWithoutProgress, UploadRetryDelay);
            DiskTopCompleted completed;
            try
            {
                completed = await session.RunAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                await session.AbortAsync(cancellationToken.IsCancellationRequested ? "the client went away" : e.GetType().Name).ConfigureAwait(false);
                throw;
            }

            LastUploadPartsSent = session.PartsSent;
            fileId = completed.FileId;
        }

        if (fileId is { } id)
        {
            return id;
        }

        // No id in the answer: the listing has it.
        return await FindAsync(path.Parent.Combine(name), cancellationToken).ConfigureAwait(false) is { IsFolder: false, Id: { } listed }
            ? listed
            : throw new StorageException(StorageErrorKind.Unavailable, $"Disk.Top took the upload of {path} but does not list it");
    }

    /// <summary>Parts the last chunked upload sent (tests check that a resumed upload does not send parts twice).</summary>
    internal int LastUploadPartsSent { get; private set; }
}
