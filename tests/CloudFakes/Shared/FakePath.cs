namespace OpenList.DriverHost.CloudFakes.Shared;

/// <summary>'/'-separated paths from a drive root, as the public seeding API takes them.</summary>
internal static class FakePath
{
    /// <summary>"/" → []; "/a/b" → ["a", "b"]. Empty, "." and ".." segments are rejected.</summary>
    public static string[] Split(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        foreach (var segment in segments)
        {
            if (segment is "." or "..")
            {
                throw new ArgumentException($"Path segment '{segment}' is not allowed.", nameof(path));
            }
        }

        return segments;
    }

    /// <summary>"report.PDF" → "pdf"; no extension → "".</summary>
    public static string Extension(string name)
    {
        var dot = name.LastIndexOf('.');
        return dot <= 0 || dot == name.Length - 1 ? "" : name[(dot + 1)..].ToLowerInvariant();
    }
}
