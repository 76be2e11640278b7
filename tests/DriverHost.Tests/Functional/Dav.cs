using System.Text;
using System.Xml.Linq;

namespace OpenList.DriverHost.DriverHost.Tests.Functional;

/// <summary>Raw WebDAV requests: there is no WebDAV client package, so tests speak the protocol directly.</summary>
internal static class Dav
{
    public static readonly XNamespace D = "DAV:";

    public static HttpRequestMessage Request(string method, string url, string? body = null, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/xml");
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    public static async Task<HttpResponseMessage> SendAsync(this HttpClient client, string method, string url, string? body = null, params (string Name, string Value)[] headers) =>
        await client.SendAsync(Request(method, url, body, headers));

    public static async Task<XDocument> XmlAsync(this HttpResponseMessage response) =>
        XDocument.Parse(await response.Content.ReadAsStringAsync());

    public static async Task PutTextAsync(this HttpClient client, string url, string text)
    {
        var response = await client.PutAsync(url, new StringContent(text));
        Assert.True(response.IsSuccessStatusCode, $"PUT {url}: {(int)response.StatusCode}");
    }

    public static async Task MkcolAsync(this HttpClient client, string url)
    {
        var response = await client.SendAsync("MKCOL", url);
        Assert.Equal(201, (int)response.StatusCode);
    }

    public const string PropName = "<?xml version=\"1.0\"?><D:propfind xmlns:D=\"DAV:\"><D:propname/></D:propfind>";

    public static string Prop(params string[] davNames) =>
        "<?xml version=\"1.0\"?><D:propfind xmlns:D=\"DAV:\"><D:prop>" + string.Concat(davNames.Select(n => $"<D:{n}/>")) + "</D:prop></D:propfind>";
}
