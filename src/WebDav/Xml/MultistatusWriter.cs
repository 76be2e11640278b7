using System.Text;
using System.Xml;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;

namespace OpenList.DriverHost.WebDav.Xml;

/// <summary>
/// Writes a 207 Multi-Status body as it is produced: responses go through a synchronous XmlWriter into a small
/// buffer that is copied to the response body every few entries, so a 10,000-entry listing is never held whole.
/// </summary>
internal sealed class MultistatusWriter : IAsyncDisposable
{
    private static readonly XmlWriterSettings Settings = new()
    {
        Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        Indent = false,
        CloseOutput = false,
        CheckCharacters = false,
    };

    private readonly HttpResponse _response;
    private readonly MemoryStream _buffer = new();
    private readonly XmlWriter _writer;
    private readonly int _flushEvery;
    private int _pending;

    public MultistatusWriter(HttpResponse response, int flushEvery)
    {
        _response = response;
        _flushEvery = Math.Max(1, flushEvery);
        response.StatusCode = StatusCodes.Status207MultiStatus;
        response.ContentType = "application/xml; charset=utf-8";
        _writer = XmlWriter.Create(_buffer, Settings);
        _writer.WriteStartDocument();
        _writer.WriteStartElement("D", "multistatus", DavNames.Dav.NamespaceName);
    }

    public XmlWriter Xml => _writer;

    /// <summary>Starts a response element with its href.</summary>
    public void BeginResponse(string href)
    {
        _writer.WriteStartElement("D", "response", DavNames.Dav.NamespaceName);
        _writer.WriteElementString("D", "href", DavNames.Dav.NamespaceName, href);
    }

    /// <summary>Ends a response element and flushes to the client every few responses.</summary>
    public async Task EndResponseAsync(CancellationToken cancellationToken)
    {
        _writer.WriteEndElement();
        if (++_pending >= _flushEvery)
        {
            await FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A response carrying only a status (used for failed members).</summary>
    public Task WriteStatusResponseAsync(string href, int status, CancellationToken cancellationToken)
    {
        BeginResponse(href);
        _writer.WriteElementString("D", "status", DavNames.Dav.NamespaceName, StatusLine(status));
        return EndResponseAsync(cancellationToken);
    }

    public void BeginPropstat() => _writer.WriteStartElement("D", "propstat", DavNames.Dav.NamespaceName);

    public void BeginProp() => _writer.WriteStartElement("D", "prop", DavNames.Dav.NamespaceName);

    public void EndElement() => _writer.WriteEndElement();

    public void WriteStatus(int status) => _writer.WriteElementString("D", "status", DavNames.Dav.NamespaceName, StatusLine(status));

    /// <summary>An empty property element (for propname, 404 and 403 propstats).</summary>
    public void WriteEmptyProperty(XName name)
    {
        WriteStart(name);
        _writer.WriteEndElement();
    }

    /// <summary>Starts a property element with a conventional prefix for known namespaces.</summary>
    public void WriteStart(XName name)
    {
        var ns = name.NamespaceName;
        if (ns == DavNames.Dav.NamespaceName)
        {
            _writer.WriteStartElement("D", name.LocalName, ns);
        }
        else if (ns.Length == 0)
        {
            _writer.WriteStartElement(name.LocalName, string.Empty);
        }
        else if (ns == DavNames.OwnCloud.NamespaceName)
        {
            _writer.WriteStartElement("oc", name.LocalName, ns);
        }
        else if (ns == DavNames.Microsoft.NamespaceName)
        {
            _writer.WriteStartElement("Z", name.LocalName, ns);
        }
        else
        {
            _writer.WriteStartElement(name.LocalName, ns);
        }
    }

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        _writer.Flush();
        if (_buffer.Length > 0)
        {
            await _response.Body.WriteAsync(_buffer.GetBuffer().AsMemory(0, (int)_buffer.Length), cancellationToken).ConfigureAwait(false);
            _buffer.SetLength(0);
        }

        _pending = 0;
    }

    /// <summary>Closes the document and sends the rest.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        _writer.WriteEndElement();
        _writer.WriteEndDocument();
        await FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync()
    {
        _writer.Dispose();
        return _buffer.DisposeAsync();
    }

    public static string StatusLine(int status) => status switch
    {
        200 => "HTTP/1.1 200 OK",
        403 => "HTTP/1.1 403 Forbidden",
        404 => "HTTP/1.1 404 Not Found",
        409 => "HTTP/1.1 409 Conflict",
        423 => "HTTP/1.1 423 Locked",
        424 => "HTTP/1.1 424 Failed Dependency",
        507 => "HTTP/1.1 507 Insufficient Storage",
        _ => $"HTTP/1.1 {status} {ReasonPhrase(status)}",
    };

    private static string ReasonPhrase(int status) =>
        Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "Status";
}
