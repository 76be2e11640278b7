using System.Diagnostics.CodeAnalysis;

namespace OpenList.DriverHost.Config;

/// <summary>Normalisation of the paths written in drivers.json.</summary>
public static class ConfigPaths
{
    /// <summary>
    /// OpenList's <c>FixAndCleanPath</c> for <c>mount_path</c>: backslashes become <c>/</c>, a leading <c>/</c> is
    /// added, empty and <c>.</c> segments are dropped and a trailing slash is removed (<c>/</c> stays <c>/</c>).
    /// Unlike OpenList, a <c>..</c> segment is refused rather than cleaned away, so <c>/a/../b</c> does not silently
    /// become <c>/b</c>; control characters are refused too.
    /// </summary>
    public static bool TryNormalizeMountPath(string? raw, [NotNullWhen(true)] out string? normalized, [NotNullWhen(false)] out string? error)
    {
        normalized = null;
        if (string.IsNullOrWhiteSpace(raw))
        {
            error = "mount path is empty";
            return false;
        }

        return TryClean(raw, out normalized, out error);
    }

    /// <summary>
    /// A user's <c>base_path</c>: must be absolute (start with <c>/</c>); otherwise cleaned like a mount path, with
    /// <c>..</c> and control characters refused.
    /// </summary>
    public static bool TryNormalizeBasePath(string? raw, [NotNullWhen(true)] out string? normalized, [NotNullWhen(false)] out string? error)
    {
        normalized = null;
        if (string.IsNullOrEmpty(raw))
        {
            error = "base path is empty";
            return false;
        }

        if (raw[0] is not ('/' or '\\'))
        {
            error = "base path is relative";
            return false;
        }

        return TryClean(raw, out normalized, out error);
    }

    private static bool TryClean(string raw, [NotNullWhen(true)] out string? normalized, [NotNullWhen(false)] out string? error)
    {
        normalized = null;
        if (raw.Any(char.IsControl))
        {
            error = "path contains a control character";
            return false;
        }

        var segments = raw.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Contains(".."))
        {
            error = "path contains a \"..\" segment";
            return false;
        }

        normalized = "/" + string.Join('/', segments.Where(s => s != "."));
        error = null;
        return true;
    }
}
