using Microsoft.Extensions.Logging;
using OpenList.DriverHost.Drivers.Capabilities;
using OpenList.DriverHost.Drivers.Errors;

namespace OpenList.DriverHost.Drivers.Local;

/// <summary>Start-up work on the root folder: create it when missing, and probe what its file system keeps.</summary>
internal static class LocalRootFolder
{
    /// <summary>A probe time whose sub-second part shows how much precision the file system keeps.</summary>
    private static readonly DateTime ProbeTime = new DateTime(2001, 2, 3, 4, 5, 7, DateTimeKind.Utc).AddTicks(1_234_567);

    private static readonly TimeSpan[] PrecisionSteps =
    [
        TimeSpan.FromTicks(1),
        TimeSpan.FromMicroseconds(1),
        TimeSpan.FromMilliseconds(1),
        TimeSpan.FromMilliseconds(10),
        TimeSpan.FromSeconds(1),
        TimeSpan.FromSeconds(2),
    ];

    /// <summary>Creates the root folder when missing and returns its real path (links resolved).</summary>
    /// <exception cref="StorageException">Unavailable when the folder cannot be used; the message names the mount, not the host path.</exception>
    public static string Prepare(LocalDriverOptions options, DriverContext context, ILogger logger)
    {
        string root;
        try
        {
            root = options.ResolveRootFolder(context.ConfigDirectory);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            LocalDriverLog.RootUnusable(logger, context.MountPath, options.RootFolderPath, e);
            throw Unavailable(context, "is not a usable path");
        }

        try
        {
            if (File.Exists(root) && !Directory.Exists(root))
            {
                LocalDriverLog.RootUnusable(logger, context.MountPath, root, null);
                throw Unavailable(context, "is a file, not a folder");
            }

            Directory.CreateDirectory(root);
            return LocalPathResolver.GetRealPath(root);
        }
        catch (Exception e) when (LocalErrors.IsFileSystemError(e))
        {
            LocalDriverLog.RootUnusable(logger, context.MountPath, root, e);
            var reason = LocalErrors.Map(e, StoragePath.Root).Kind switch
            {
                StorageErrorKind.PermissionDenied => "cannot be created: permission denied",
                StorageErrorKind.QuotaExceeded => "cannot be created: no space left",
                StorageErrorKind.NotFound => "cannot be created: a parent is missing or is a file",
                _ => "cannot be created or opened",
            };
            throw Unavailable(context, reason);
        }
    }

    /// <summary>
    /// Probes, with a hidden temporary file, the modification-time precision and case sensitivity of the root's
    /// file system. When the probe fails (read-only root) it assumes whole seconds and keeps the rest of <paramref name="defaults"/>.
    /// </summary>
    public static DriverCapabilities ProbeCapabilities(string root, DriverCapabilities defaults, DriverContext context, ILogger logger)
    {
        var name = LocalDriver.NewTempName();
        var probe = Path.Join(root, name);
        try
        {
            File.WriteAllBytes(probe, []);
            File.SetLastWriteTimeUtc(probe, ProbeTime);
            var drift = (ProbeTime - File.GetLastWriteTimeUtc(probe)).Duration();
            var precision = PrecisionSteps.FirstOrDefault(step => drift < step, PrecisionSteps[^1]);
            var caseInsensitive = File.Exists(Path.Join(root, name.ToUpperInvariant()));
            return defaults with { ModTimePrecision = precision, CaseInsensitive = caseInsensitive };
        }
        catch (Exception e) when (LocalErrors.IsFileSystemError(e))
        {
            var assumed = TimeSpan.FromSeconds(1);
            LocalDriverLog.PrecisionProbeFailed(logger, context.MountPath, assumed, e);
            return defaults with { ModTimePrecision = assumed };
        }
        finally
        {
            try
            {
                File.Delete(probe);
            }
            catch (Exception e) when (LocalErrors.IsFileSystemError(e))
            {
                LocalDriverLog.TempFileNotRemoved(logger, context.MountPath, probe, e);
            }
        }
    }

    private static StorageException Unavailable(DriverContext context, string reason) =>
        new(StorageErrorKind.Unavailable, $"the {LocalDriverOptions.RootFolderPathKey} of {context.MountPath} {reason}");
}
