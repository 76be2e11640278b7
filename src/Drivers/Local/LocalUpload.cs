using System.Buffers;
using OpenList.DriverHost.Drivers.Errors;

namespace OpenList.DriverHost.Drivers.Local;

/// <summary>
/// Writes an upload to a hidden temporary file next to its target and renames it into place only when every
/// declared byte arrived, so a failed or cancelled upload leaves neither a partial file nor a damaged previous version.
/// </summary>
internal static class LocalUpload
{
    private const int BufferSize = 64 * 1024;

    /// <param name="folder">The real folder of <paramref name="target"/>.</param>
    /// <param name="target">The real path of the file to create or replace.</param>
    /// <param name="onTempFileLeft">Told when the temporary file could not be removed after a failure.</param>
    /// <exception cref="StorageException">Incomplete when the body is shorter or longer than declared, fails, or the call is cancelled.</exception>
    public static async Task WriteAsync(
        string folder,
        string target,
        Stream content,
        long? length,
        DateTimeOffset? lastModified,
        StoragePath path,
        Action<string, Exception> onTempFileLeft,
        CancellationToken cancellationToken)
    {
        var temp = Path.Join(folder, LocalDriver.NewTempName());
        var placed = false;
        try
        {
            await CopyToTempAsync(temp, content, length, path, cancellationToken).ConfigureAwait(false);
            if (lastModified is { } time)
            {
                File.SetLastWriteTimeUtc(temp, time.UtcDateTime); // before the rename, so the file appears complete
            }

            cancellationToken.ThrowIfCancellationRequested();
            File.Move(temp, target, overwrite: true);
            placed = true;
        }
        catch (OperationCanceledException e)
        {
            throw new StorageException(StorageErrorKind.Incomplete, $"upload cancelled; nothing was kept: {path}", inner: e);
        }
        finally
        {
            if (!placed)
            {
                TryDelete(temp, onTempFileLeft);
            }
        }
    }

    private static async Task CopyToTempAsync(string temp, Stream content, long? length, StoragePath path, CancellationToken cancellationToken)
    {
        var fileOptions = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            Options = FileOptions.Asynchronous,
            BufferSize = 0,
            PreallocationSize = length ?? 0, // a disk too small fails here, before any byte is copied
        };

        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            await using var file = new FileStream(temp, fileOptions);
            long total = 0;
            while (true)
            {
                int read;
                try
                {
                    read = await content.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken).ConfigureAwait(false);
                }
                catch (IOException e)
                {
                    throw new StorageException(StorageErrorKind.Incomplete, $"upload body failed after {total} bytes; nothing was kept: {path}", inner: e);
                }

                if (read == 0)
                {
                    break;
                }

                total += read;
                if (total > length)
                {
                    throw new StorageException(StorageErrorKind.Incomplete, $"upload body is longer than the declared {length} bytes; nothing was kept: {path}");
                }

                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            }

            if (total < length)
            {
                throw new StorageException(StorageErrorKind.Incomplete, $"upload body ended after {total} of {length} bytes; nothing was kept: {path}");
            }

            await file.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void TryDelete(string temp, Action<string, Exception> onTempFileLeft)
    {
        try
        {
            File.Delete(temp);
        }
        catch (Exception e) when (LocalErrors.IsFileSystemError(e))
        {
            onTempFileLeft(temp, e);
        }
    }
}
