namespace OpenList.DriverHost.Drivers.Capabilities;

/// <summary>Declared features of a driver instance (rclone's feature flags).</summary>
public sealed record DriverCapabilities
{
    /// <summary>Names differing only in case are the same file.</summary>
    public bool CaseInsensitive { get; init; }

    /// <summary>Empty directories persist (false for clouds that only have key prefixes).</summary>
    public bool EmptyDirectories { get; init; } = true;

    /// <summary>Smallest modification-time step the driver keeps; null when it cannot keep client mtimes at all.</summary>
    public TimeSpan? ModTimePrecision { get; init; }

    /// <summary>Hashes the driver reports for files (<see cref="HashNames"/>).</summary>
    public IReadOnlySet<string> Hashes { get; init; } = new HashSet<string>();

    /// <summary>False for read-only storages: every write raises NotSupported.</summary>
    public bool CanWrite { get; init; } = true;

    /// <summary>
    /// Whether the host may keep directory listings for the storage's <c>cache_expiration</c>. Cloud listings are
    /// slow, paged and rate limited, so caching them pays; a storage that is cheap to list and is changed behind the
    /// host's back (a local folder) sets false, since a cached listing would only hide other programs' changes.
    /// </summary>
    public bool CacheListings { get; init; } = true;
}
