using System.Xml.Linq;

namespace OpenList.DriverHost.WebDav.Xml;

/// <summary>XML names used by the protocol.</summary>
public static class DavNames
{
    public static readonly XNamespace Dav = "DAV:";
    public static readonly XNamespace OwnCloud = "http://owncloud.org/ns";
    public static readonly XNamespace Microsoft = "urn:schemas-microsoft-com:";

    public static readonly XName Multistatus = Dav + "multistatus";
    public static readonly XName Response = Dav + "response";
    public static readonly XName Href = Dav + "href";
    public static readonly XName Propstat = Dav + "propstat";
    public static readonly XName Prop = Dav + "prop";
    public static readonly XName Status = Dav + "status";
    public static readonly XName Error = Dav + "error";
    public static readonly XName PropFind = Dav + "propfind";
    public static readonly XName AllProp = Dav + "allprop";
    public static readonly XName PropName = Dav + "propname";
    public static readonly XName Include = Dav + "include";
    public static readonly XName PropertyUpdate = Dav + "propertyupdate";
    public static readonly XName Set = Dav + "set";
    public static readonly XName Remove = Dav + "remove";

    public static readonly XName ResourceType = Dav + "resourcetype";
    public static readonly XName Collection = Dav + "collection";
    public static readonly XName DisplayName = Dav + "displayname";
    public static readonly XName GetContentLength = Dav + "getcontentlength";
    public static readonly XName GetContentType = Dav + "getcontenttype";
    public static readonly XName GetETag = Dav + "getetag";
    public static readonly XName GetLastModified = Dav + "getlastmodified";
    public static readonly XName CreationDate = Dav + "creationdate";
    public static readonly XName SupportedLock = Dav + "supportedlock";
    public static readonly XName LockDiscovery = Dav + "lockdiscovery";
    public static readonly XName QuotaAvailableBytes = Dav + "quota-available-bytes";
    public static readonly XName QuotaUsedBytes = Dav + "quota-used-bytes";
    public static readonly XName LastModifiedUnix = Dav + "lastmodified";
    public static readonly XName Checksums = OwnCloud + "checksums";
    public static readonly XName Checksum = OwnCloud + "checksum";
    public static readonly XName Win32LastModifiedTime = Microsoft + "Win32LastModifiedTime";

    public static readonly XName LockInfo = Dav + "lockinfo";
    public static readonly XName LockScope = Dav + "lockscope";
    public static readonly XName LockType = Dav + "locktype";
    public static readonly XName Exclusive = Dav + "exclusive";
    public static readonly XName Shared = Dav + "shared";
    public static readonly XName Write = Dav + "write";
    public static readonly XName Owner = Dav + "owner";
    public static readonly XName LockEntry = Dav + "lockentry";
    public static readonly XName ActiveLock = Dav + "activelock";
    public static readonly XName Depth = Dav + "depth";
    public static readonly XName Timeout = Dav + "timeout";
    public static readonly XName LockToken = Dav + "locktoken";
    public static readonly XName LockRoot = Dav + "lockroot";
}
