namespace OpenList.DriverHost.Mounts;

/// <summary>
/// The mount table being served. A configuration reload swaps it atomically; each request reads
/// <see cref="Current"/> once and keeps that table (and its mounts) for its whole life.
/// </summary>
public sealed class MountTableHolder
{
    private MountTable _current;

    public MountTableHolder(MountTable initial) => _current = initial;

    public MountTable Current => Volatile.Read(ref _current);

    /// <summary>Serves <paramref name="next"/> from now on; returns the table it replaced.</summary>
    public MountTable Swap(MountTable next) => Interlocked.Exchange(ref _current, next);
}
