namespace OpenList.DriverHost.WebDav;

/// <summary>Protocol settings of the WebDAV endpoint.</summary>
public sealed class WebDavOptions
{
    /// <summary>The URL prefix served, such as <c>/dav</c>; empty serves the host root.</summary>
    public string Prefix { get; set; } = "/dav";

    /// <summary>Allow PROPFIND Depth: infinity; when false it is refused with 403 and <c>propfind-finite-depth</c>.</summary>
    public bool AllowPropfindInfinity { get; set; }

    /// <summary>Largest XML request body accepted (PROPFIND, PROPPATCH, LOCK); larger gets 413.</summary>
    public long MaxXmlBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Lock timeout when the client asks for none or for Infinite.</summary>
    public TimeSpan DefaultLockTimeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The longest lock timeout granted.</summary>
    public TimeSpan MaxLockTimeout { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Entries written between flushes of a streamed PROPFIND.</summary>
    public int PropfindFlushEvery { get; set; } = 64;
}
