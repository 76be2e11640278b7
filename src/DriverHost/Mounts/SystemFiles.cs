namespace OpenList.DriverHost.Mounts;

/// <summary>
/// The litter desktop clients write next to real files (OpenList's <c>utils.IsSystemFile</c>, plus Synology's
/// <c>@eaDir</c>): macOS Finder's <c>.DS_Store</c> and AppleDouble <c>._*</c>, Windows' <c>desktop.ini</c> and
/// <c>Thumbs.db</c>. A storage with <c>ignore_system_files</c> refuses to store them.
/// </summary>
public static class SystemFiles
{
    public static bool IsSystemFile(string name) =>
        name.StartsWith("._", StringComparison.Ordinal)
        || name.Equals(".DS_Store", StringComparison.Ordinal)
        || name.Equals("desktop.ini", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Thumbs.db", StringComparison.OrdinalIgnoreCase)
        || name.Equals("@eaDir", StringComparison.Ordinal);
}
