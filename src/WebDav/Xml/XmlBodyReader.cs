using System.Xml;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;
using OpenList.DriverHost.WebDav.Store;

namespace OpenList.DriverHost.WebDav.Xml;

/// <summary>Reads a request's XML body with DTDs prohibited and a size limit.</summary>
internal static class XmlBodyReader
{
    /// <summary>The parsed document, or null when the body is empty.</summary>
    /// <exception cref="DavException">400 for malformed XML or a DTD, 413 when over the limit.</exception>
    public static async Task<XDocument?> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength == 0)
        {
            return null;
        }

        if (request.ContentLength > maxBytes)
        {
            throw new DavException(StatusCodes.Status413PayloadTooLarge, $"XML body is larger than {maxBytes} bytes");
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw new DavException(StatusCodes.Status413PayloadTooLarge, $"XML body is larger than {maxBytes} bytes");
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0 || IsWhitespace(buffer))
        {
            return null;
        }

        buffer.Position = 0;
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            Async = false,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
        };
        try
        {
            using var reader = XmlReader.Create(buffer, settings);
            return XDocument.Load(reader, LoadOptions.None);
        }
        catch (XmlException ex)
        {
            throw new DavException(StatusCodes.Status400BadRequest, $"malformed XML body: {ex.Message}", inner: ex);
        }
    }

    private static bool IsWhitespace(MemoryStream buffer)
    {
        foreach (var b in buffer.GetBuffer().AsSpan(0, (int)buffer.Length))
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                return false;
            }
        }

        return true;
    }
}
