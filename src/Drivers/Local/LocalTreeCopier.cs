namespace OpenList.DriverHost.Drivers.Local;

/// <summary>
/// Server-side copies inside the root. Links are followed the way listings show them: those leading outside the
/// root, dangling ones and ones that would make the copy loop are skipped; temporary upload files are never copied.
/// Modification times are kept.
/// </summary>
internal sealed class LocalTreeCopier(LocalPathResolver resolver, CancellationToken cancellationToken)
{
    private static readonly EnumerationOptions Options = new()
    {
        IgnoreInaccessible = false,
        AttributesToSkip = 0,
        RecurseSubdirectories = false,
        ReturnSpecialDirectories = false,
    };

    /// <summary>Copies one file through a hidden temporary name, so the destination never appears half-written.</summary>
    public void CopyFileAtomically(string source, string destination)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var temp = Path.Join(Path.GetDirectoryName(destination)!, LocalDriver.NewTempName());
        try
        {
            CopyFile(source, temp);
            File.Move(temp, destination, overwrite: false);
        }
        catch
        {
            try
            {
                File.Delete(temp);
            }
            catch (Exception e) when (LocalErrors.IsFileSystemError(e))
            {
                // Best effort: the original failure is the one to report; the name is hidden from listings anyway.
            }

            throw;
        }
    }

    /// <summary>Copies a directory tree to <paramref name="destination"/>, which must not exist.</summary>
    public void CopyDirectory(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        CopyChildren(source, destination, destination);
        Directory.SetLastWriteTimeUtc(destination, Directory.GetLastWriteTimeUtc(source));
    }

    /// <summary>Removes what a failed tree copy created; failures are reported, not thrown.</summary>
    public static void RemovePartialCopy(string destination, Action<string, Exception> onLeft)
    {
        try
        {
            if (Directory.Exists(destination))
            {
                Directory.Delete(destination, recursive: true);
            }
        }
        catch (Exception e) when (LocalErrors.IsFileSystemError(e))
        {
            onLeft(destination, e);
        }
    }

    private void CopyChildren(string source, string destination, string copyRoot)
    {
        foreach (var child in new DirectoryInfo(source).EnumerateFileSystemInfos("*", Options))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var name = child.Name;
            if (LocalDriver.IsTempName(name) || !StoragePath.IsValidName(name, out _))
            {
                continue;
            }

            var real = child.FullName;
            var isDirectory = (child.Attributes & FileAttributes.Directory) != 0;
            if ((child.Attributes & FileAttributes.ReparsePoint) != 0 && resolver.ResolveChildLink(source, name, out var escapes) is { } target)
            {
                var info = new FileInfo(target);
                if (escapes || (int)info.Attributes == -1)
                {
                    continue;
                }

                real = target;
                isDirectory = (info.Attributes & FileAttributes.Directory) != 0;
                if (isDirectory && (IsSameOrBelow(source, real) || IsSameOrBelow(copyRoot, real) || IsSameOrBelow(real, copyRoot)))
                {
                    continue; // a link to an ancestor, or into the copy being made, would never end
                }
            }

            var to = Path.Join(destination, name);
            if (isDirectory)
            {
                Directory.CreateDirectory(to);
                CopyChildren(real, to, copyRoot);
                Directory.SetLastWriteTimeUtc(to, Directory.GetLastWriteTimeUtc(real));
            }
            else
            {
                CopyFile(real, to);
            }
        }
    }

    private static void CopyFile(string source, string destination)
    {
        File.Copy(source, destination, overwrite: false);
        File.SetLastWriteTimeUtc(destination, File.GetLastWriteTimeUtc(source));
    }

    private static bool IsSameOrBelow(string path, string directory) =>
        string.Equals(path, directory, LocalPathResolver.PathComparison)
        || path.StartsWith(Path.TrimEndingDirectorySeparator(directory) + Path.DirectorySeparatorChar, LocalPathResolver.PathComparison);
}
