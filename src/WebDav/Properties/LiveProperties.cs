using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using Microsoft.AspNetCore.StaticFiles;
using OpenList.DriverHost.WebDav.Locks;
using OpenList.DriverHost.WebDav.Store;
using OpenList.DriverHost.WebDav.Xml;

namespace OpenList.DriverHost.WebDav.Properties;

/// <summary>The live properties the server computes, their availability per resource, and their values.</summary>
internal static class LiveProperties
{
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    /// <summary>Names returned for allprop (quota stays out, as Apache does; RFC 4331 leaves it to explicit requests).</summary>
    public static readonly XName[] AllProp =
    [
        DavNames.ResourceType, DavNames.DisplayName, DavNames.GetContentLength, DavNames.GetContentType, DavNames.GetETag,
        DavNames.GetLastModified, DavNames.CreationDate, DavNames.SupportedLock, DavNames.LockDiscovery, DavNames.Checksums,
    ];

    private static readonly HashSet<XName> Known =
    [
        .. AllProp, DavNames.QuotaAvailableBytes, DavNames.QuotaUsedBytes,
    ];

    /// <summary>Properties a PROPPATCH may not change (403 cannot-modify-protected-property).</summary>
    public static readonly HashSet<XName> Protected =
    [
        DavNames.ResourceType, DavNames.GetContentLength, DavNames.GetETag, DavNames.SupportedLock, DavNames.LockDiscovery,
        DavNames.CreationDate, DavNames.GetContentType, DavNames.DisplayName, DavNames.QuotaAvailableBytes, DavNames.QuotaUsedBytes,
        DavNames.Checksums,
    ];

    public static bool IsLive(XName name) => Known.Contains(name);

    /// <summary>Whether <paramref name="name"/> has a value for <paramref name="item"/>.</summary>
    public static bool Has(XName name, DavItem item, DavQuota? quota)
    {
        if (name == DavNames.GetContentLength || name == DavNames.GetContentType)
        {
            return !item.IsCollection;
        }

        if (name == DavNames.GetETag)
        {
            return item.ETag is not null;
        }

        if (name == DavNames.Checksums)
        {
            return item.Checksums is { Count: > 0 };
        }

        if (name == DavNames.QuotaAvailableBytes)
        {
            return item.IsCollection && quota?.AvailableBytes is >= 0;
        }

        if (name == DavNames.QuotaUsedBytes)
        {
            return item.IsCollection && quota?.UsedBytes is >= 0;
        }

        return Known.Contains(name);
    }

    public static string ContentTypeOf(DavItem item) =>
        item.ContentType ?? (ContentTypes.TryGetContentType(item.Path.Name, out var type) ? type : "application/octet-stream");

    public static string Rfc1123(DateTimeOffset time) => time.ToUniversalTime().ToString("R", CultureInfo.InvariantCulture);

    /// <summary>RFC 3339 with at most 3 fractional digits: old Windows clients reject more.</summary>
    public static string Rfc3339(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Writes the value of a live property that <see cref="Has"/> reported.</summary>
    public static void Write(MultistatusWriter w, XName name, DavItem item, DavQuota? quota, IReadOnlyList<DavLock> locks, Func<DavPath, string> href)
    {
        var x = w.Xml;
        w.WriteStart(name);
        if (name == DavNames.ResourceType)
        {
            if (item.IsCollection)
            {
                x.WriteStartElement("D", "collection", DavNames.Dav.NamespaceName);
                x.WriteEndElement();
            }
        }
        else if (name == DavNames.DisplayName)
        {
            x.WriteString(item.Path.Name);
        }
        else if (name == DavNames.GetContentLength)
        {
            x.WriteString(item.Length.ToString(CultureInfo.InvariantCulture));
        }
        else if (name == DavNames.GetContentType)
        {
            x.WriteString(ContentTypeOf(item));
        }
        else if (name == DavNames.GetETag)
        {
            x.WriteString(item.ETag);
        }
        else if (name == DavNames.GetLastModified)
        {
            x.WriteString(Rfc1123(item.LastModified));
        }
        else if (name == DavNames.CreationDate)
        {
            x.WriteString(Rfc3339(item.Created ?? item.LastModified));
        }
        else if (name == DavNames.SupportedLock)
        {
            WriteLockEntry(x, "exclusive");
            WriteLockEntry(x, "shared");
        }
        else if (name == DavNames.LockDiscovery)
        {
            foreach (var l in locks)
            {
                WriteActiveLock(x, l, href(l.Root));
            }
        }
        else if (name == DavNames.Checksums)
        {
            x.WriteStartElement("oc", "checksum", DavNames.OwnCloud.NamespaceName);
            x.WriteString(string.Join(' ', item.Checksums!.Select(kv => kv.Key.ToUpperInvariant() + ":" + kv.Value)));
            x.WriteEndElement();
        }
        else if (name == DavNames.QuotaAvailableBytes)
        {
            x.WriteString(quota!.AvailableBytes!.Value.ToString(CultureInfo.InvariantCulture));
        }
        else if (name == DavNames.QuotaUsedBytes)
        {
            x.WriteString(quota!.UsedBytes!.Value.ToString(CultureInfo.InvariantCulture));
        }

        x.WriteEndElement();
    }

    private static void WriteLockEntry(XmlWriter x, string scope)
    {
        var ns = DavNames.Dav.NamespaceName;
        x.WriteStartElement("D", "lockentry", ns);
        x.WriteStartElement("D", "lockscope", ns);
        x.WriteStartElement("D", scope, ns);
        x.WriteEndElement();
        x.WriteEndElement();
        x.WriteStartElement("D", "locktype", ns);
        x.WriteStartElement("D", "write", ns);
        x.WriteEndElement();
        x.WriteEndElement();
        x.WriteEndElement();
    }

    /// <summary>One activelock element, as in lockdiscovery and the LOCK response body.</summary>
    public static void WriteActiveLock(XmlWriter x, DavLock l, string rootHref)
    {
        var ns = DavNames.Dav.NamespaceName;
        x.WriteStartElement("D", "activelock", ns);
        x.WriteStartElement("D", "locktype", ns);
        x.WriteStartElement("D", "write", ns);
        x.WriteEndElement();
        x.WriteEndElement();
        x.WriteStartElement("D", "lockscope", ns);
        x.WriteStartElement("D", l.Exclusive ? "exclusive" : "shared", ns);
        x.WriteEndElement();
        x.WriteEndElement();
        x.WriteElementString("D", "depth", ns, l.Infinite ? "infinity" : "0");
        l.Owner?.WriteTo(x);
        x.WriteElementString("D", "timeout", ns, "Second-" + ((long)l.Timeout.TotalSeconds).ToString(CultureInfo.InvariantCulture));
        x.WriteStartElement("D", "locktoken", ns);
        x.WriteElementString("D", "href", ns, l.Token);
        x.WriteEndElement();
        x.WriteStartElement("D", "lockroot", ns);
        x.WriteElementString("D", "href", ns, rootHref);
        x.WriteEndElement();
        x.WriteEndElement();
    }
}
