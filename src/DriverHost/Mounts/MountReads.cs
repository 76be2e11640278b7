using OpenList.DriverHost.Drivers;
using OpenList.DriverHost.Drivers.Errors;

namespace OpenList.DriverHost.Mounts;

/// <summary>Reads a file through its driver's own stream (drivers without download links, such as Local).</summary>
public static class MountReads
{
    /// <summary>The bytes of the file from <paramref name="offset"/> to its end.</summary>
    public static async Task<Stream> OpenFromAsync(Mount mount, StoragePath path, long offset, long length, CancellationToken ct)
    {
        StorageReadStream read;
        try
        {
            read = await mount.Driver.OpenReadAsync(path, ByteRange.FromOffset(offset, length), ct).ConfigureAwait(false);
        }
        catch (StorageException ex)
        {
            throw StorageErrorMapper.ToDav(ex, mount.MountPath);
        }

        if (read.Range is null && offset > 0)
        {
            // The driver ignored the range: skip to the offset without buffering.
            var skip = new byte[64 * 1024];
            var remaining = offset;
            while (remaining > 0)
            {
                var n = await read.Content.ReadAsync(skip.AsMemory(0, (int)Math.Min(skip.Length, remaining)), ct).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }

                remaining -= n;
            }
        }

        return read.Content;
    }
}
