using System.Xml.Linq;
using OpenList.DriverHost.WebDav.Store;

namespace OpenList.DriverHost.WebDav.Locks;

/// <summary>An active write lock.</summary>
/// <param name="Token">The lock token URI (<c>opaquelocktoken:…</c>).</param>
/// <param name="Root">The locked resource.</param>
/// <param name="Infinite">Depth infinity: the lock covers everything below <paramref name="Root"/>.</param>
/// <param name="Exclusive">Exclusive or shared.</param>
/// <param name="Owner">The client's <c>owner</c> element, echoed back unchanged.</param>
/// <param name="Principal">The authenticated user who took it, or empty for anonymous.</param>
/// <param name="Timeout">Granted timeout; null for infinite.</param>
/// <param name="ExpiresAt">When it lapses.</param>
public sealed record DavLock(string Token, DavPath Root, bool Infinite, bool Exclusive, XElement? Owner, string Principal, TimeSpan Timeout, DateTimeOffset ExpiresAt)
{
    /// <summary>
    /// True when the LOCK made the (empty) resource because the URL was unmapped: the lock holder may still PUT
    /// with <c>If-None-Match: *</c>, as davfs2 does right after such a LOCK.
    /// </summary>
    public bool CreatedResource { get; init; }

    /// <summary>Whether this lock applies to <paramref name="path"/>.</summary>
    public bool Covers(DavPath path) => path == Root || (Infinite && path.IsSameOrUnder(Root));
}
