using System.Buffers;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;
using OpenList.DriverHost.Drivers.Errors;

namespace OpenList.DriverHost.Drivers.DiskTop;

/// <summary>
/// An upload's bytes staged in a temporary file (<c>server.temp_dir</c>). precreate wants the MD5 of the whole file
/// before a byte is sent (cloud-apis.md §4.5), and a resumed upload re-reads parts, so every body is spooled first,
/// hashed on the way. The spool then serves each chunk. The file is deleted on dispose.
/// </summary>
internal sealed class DiskTopUploadBody : IAsyncDisposable
{
    /// <summary>
    /// A body of unknown length is refused once the temporary folder has less than this left; the free space is checked
    /// again after every such amount spooled.
    /// </summary>
    internal const long SpoolReserve = 8L * 1024 * 1024;

    private const int CopyBufferSize = 64 * 1024;

    private readonly FileStream _spool;

    private DiskTopUploadBody(FileStream spool, long length, string md5)
    {
        _spool = spool;
        Length = length;
        Md5 = md5;
    }

    public long Length { get; }

    /// <summary>Lower-case hex MD5 of the whole body (precreate's <c>md5</c>).</summary>
    public string Md5 { get; }

    /// <summary>
    /// Copies <paramref name="content"/> into a new file in <paramref name="tempDirectory"/>. A declared length the
    /// folder cannot hold is refused before anything is read; a body of unknown length is refused as soon as the folder
    /// runs short (<see cref="SpoolReserve"/>).
    /// </summary>
    /// <param name="availableSpace">Free bytes where a folder lives (null when unknown); tests replace it.</param>
    /// <exception cref="StorageException">
    /// QuotaExceeded when the temporary folder is short of space; Incomplete when the body ends early, runs long or fails.
    /// </exception>
    public static async Task<DiskTopUploadBody> SpoolAsync(
        StoragePath path, Stream content, long? length, string tempDirectory, Func<string, long?> availableSpace, CancellationToken cancellationToken)
    {
        var file = CreateSpoolFile(path, tempDirectory, length, availableSpace);
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            long total = 0;
            var nextSpaceCheck = SpoolReserve;
            while (true)
            {
                int read;
                try
                {
                    read = await content.ReadAsync(buffer.AsMemory(0, CopyBufferSize), cancellationToken).ConfigureAwait(false);
                }
                catch (IOException e)
                {
                    throw new StorageException(StorageErrorKind.Incomplete, $"upload body failed after {total} bytes; nothing was kept: {path}", inner: e);
                }

                if (read == 0)
                {
                    break;
                }

                if (total + read > length)
                {
                    throw new StorageException(StorageErrorKind.Incomplete, $"upload body is longer than the declared {length} bytes; nothing was kept: {path}");
                }

                md5.AppendData(buffer, 0, read);
                total += read;
                if (length is null && total >= nextSpaceCheck)
                {
                    nextSpaceCheck = total + SpoolReserve;
                    EnsureSpace(path, tempDirectory, availableSpace, total);
                }

                try
                {
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }
                catch (IOException e)
                {
                    throw new StorageException(StorageErrorKind.QuotaExceeded, $"the temporary folder ran out of space staging the upload of {path}", inner: e);
                }
            }

            if (total < length)
            {
                throw new StorageException(StorageErrorKind.Incomplete, $"upload body ended after {total} of {length} bytes; nothing was kept: {path}");
            }

            await file.FlushAsync(cancellationToken).ConfigureAwait(false);
            return new DiskTopUploadBody(file, total, Convert.ToHexStringLower(md5.GetHashAndReset()));
        }
        catch
        {
            await file.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Bytes <paramref name="offset"/> to <paramref name="offset"/> + <paramref name="count"/> as a request body, readable again for each attempt.</summary>
    public HttpContent Segment(long offset, long count) => new SpoolSegmentContent(_spool.SafeFileHandle, offset, count);

    public ValueTask DisposeAsync() => _spool.DisposeAsync(); // DeleteOnClose removes the file

    /// <summary>Free bytes where <paramref name="directory"/> lives; null when the system cannot tell.</summary>
    internal static long? AvailableSpace(string directory)
    {
        try
        {
            return new DriveInfo(Path.GetFullPath(directory)).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static void EnsureSpace(StoragePath path, string tempDirectory, Func<string, long?> availableSpace, long spooled)
    {
        if (availableSpace(tempDirectory) is { } free && free < SpoolReserve)
        {
            throw new StorageException(
                StorageErrorKind.QuotaExceeded,
                $"the temporary folder has {free} bytes free after staging {spooled} bytes of {path}; the upload is refused (Disk.Top needs the whole file's MD5 first)");
        }
    }

    private static FileStream CreateSpoolFile(StoragePath path, string tempDirectory, long? length, Func<string, long?> availableSpace)
    {
        try
        {
            Directory.CreateDirectory(tempDirectory);
            if (length is { } needed)
            {
                if (availableSpace(tempDirectory) is { } free && free < needed)
                {
                    throw new StorageException(
                        StorageErrorKind.QuotaExceeded,
                        $"the temporary folder has {free} bytes free but the upload of {path} needs {needed} to be staged (Disk.Top needs the whole file's MD5 first)");
                }
            }
            else
            {
                EnsureSpace(path, tempDirectory, availableSpace, 0);
            }

            return new FileStream(Path.Join(tempDirectory, "disktop-upload-" + Guid.NewGuid().ToString("N") + ".tmp"), new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.ReadWrite,
                Share = FileShare.None,
                Options = FileOptions.Asynchronous | FileOptions.DeleteOnClose,
                BufferSize = 0,
                PreallocationSize = length ?? 0,
            });
        }
        catch (IOException e)
        {
            throw new StorageException(StorageErrorKind.QuotaExceeded, $"the upload of {path} cannot be staged in the temporary folder: {e.GetType().Name}", inner: e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new StorageException(StorageErrorKind.Unavailable, $"the temporary folder is not writable; the upload of {path} cannot be staged", inner: e);
        }
    }

    /// <summary>One part of the spool file as a request body (no content type), readable again for each attempt.</summary>
    private sealed class SpoolSegmentContent(SafeFileHandle handle, long offset, long length) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context, CancellationToken cancellationToken)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
            try
            {
                long done = 0;
                while (done < length)
                {
                    var want = (int)Math.Min(CopyBufferSize, length - done);
                    var read = await RandomAccess.ReadAsync(handle, buffer.AsMemory(0, want), offset + done, cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        throw new IOException("the spool file is shorter than expected");
                    }

                    await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    done += read;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override bool TryComputeLength(out long length1)
        {
            length1 = length;
            return true;
        }
    }
}
