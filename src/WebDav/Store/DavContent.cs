namespace OpenList.DriverHost.WebDav.Store;

/// <summary>How a GET on a file is answered: the bytes, or a redirect elsewhere.</summary>
public abstract record DavContent;

/// <summary>
/// The bytes, read through <see cref="OpenAsync"/> from any offset. The protocol layer evaluates conditional
/// headers and Range itself and asks only for the bytes it will send.
/// </summary>
/// <param name="OpenAsync">Opens the content from a byte offset to the end; the caller disposes the stream.</param>
public sealed record DavStreamContent(Func<long, CancellationToken, Task<Stream>> OpenAsync) : DavContent;

/// <summary>A redirect to where the bytes are served (a signed link or a download proxy).</summary>
/// <param name="Location">Absolute URL without credentials.</param>
/// <param name="MaxAge">
/// Sent as <c>Cache-Control: max-age=N, private</c> so players seek on the target (webdav-clients.md §0.9); zero forbids
/// caching the redirect (a download proxy URL that must be asked every time).
/// </param>
public sealed record DavRedirectContent(Uri Location, TimeSpan MaxAge) : DavContent;
