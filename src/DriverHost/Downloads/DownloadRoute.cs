namespace OpenList.DriverHost.Downloads;

/// <summary>Which door a download came through; the storage's <c>webdav_policy</c> applies to the first two.</summary>
public enum DownloadRoute
{
    /// <summary>WebDAV GET/HEAD under the DAV prefix.</summary>
    WebDav,

    /// <summary><c>/d/…?sign=</c>: redirect or stream as the policy says (never to the download proxy, which calls back here).</summary>
    SignedDirect,

    /// <summary><c>/p/…?sign=</c>: always streamed by the host.</summary>
    SignedProxy,
}
