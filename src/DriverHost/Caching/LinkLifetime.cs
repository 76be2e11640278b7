using OpenList.DriverHost.Drivers.Capabilities;

namespace OpenList.DriverHost.Caching;

/// <summary>
/// How long a download link may be handed out: always less than the provider's own lifetime, so a client that was
/// redirected (and a player that cached the redirect) still has time to read from it.
/// </summary>
public static class LinkLifetime
{
    /// <summary>The longest safety margin kept before a link's expiry.</summary>
    public static readonly TimeSpan MaxMargin = TimeSpan.FromMinutes(5);

    /// <summary>A link with no announced expiry is used only this long (openlist-compat.md §4.2: briefly).</summary>
    public static readonly TimeSpan UnknownExpiry = TimeSpan.FromSeconds(30);

    /// <summary>A cached link with less usable time than this is fetched afresh rather than handed out.</summary>
    public static readonly TimeSpan MinimumUsable = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Until when <paramref name="link"/>, fetched at <paramref name="now"/>, may be used: its expiry minus a margin of
    /// half its lifetime, at most <see cref="MaxMargin"/>.
    /// </summary>
    public static DateTimeOffset UsableUntil(StorageLink link, DateTimeOffset now)
    {
        if (link.ExpiresAt is not { } expires)
        {
            return now + UnknownExpiry;
        }

        var remaining = expires - now;
        if (remaining <= TimeSpan.Zero)
        {
            return now;
        }

        var margin = remaining / 2 < MaxMargin ? remaining / 2 : MaxMargin;
        return expires - margin;
    }
}
