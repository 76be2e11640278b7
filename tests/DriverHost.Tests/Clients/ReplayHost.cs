using System.Net.Http.Headers;
using System.Text;
using System.Xml.Linq;
using OpenList.DriverHost.CloudFakes;
using OpenList.DriverHost.DriverHost.Tests.Cloud;
using OpenList.DriverHost.DriverHost.Tests.Functional;

namespace OpenList.DriverHost.DriverHost.Tests.Clients;

/// <summary>
/// A host with a Local mount (<c>/local</c>) and an Aliyundrive Open mount over the fake (<c>/aliyun</c>,
/// <c>302_redirect</c>, listings cached), for replaying a real client's recorded request sequence against either.
/// Each replay works in its own folder <see cref="Dir"/> of the chosen mount.
/// </summary>
internal sealed class ReplayHost : IAsyncDisposable
{
    private readonly FakeCloud _fake;
    private readonly AliyunHost _host;

    private ReplayHost(FakeCloud fake, AliyunHost host, string mount, string dir)
    {
        _fake = fake;
        _host = host;
        Mount = mount;
        Dir = dir;
    }

    /// <summary><c>local</c> or <c>aliyun</c>.</summary>
    public string Mount { get; }

    /// <summary>The replay's folder, <c>/dav/&lt;mount&gt;/&lt;name&gt;/</c>, created empty.</summary>
    public string Dir { get; }

    public bool IsCloud => Mount == "aliyun";

    public FakeCloud Fake => _fake;

    public HostFixture Host => _host.Host;

    /// <summary>An absolute URL on this host (what clients put in Destination and If resource tags).</summary>
    public string Absolute(string path) => new Uri(Host.BaseAddress, path).AbsoluteUri;

    public static async Task<ReplayHost> StartAsync(string mount, string folder, string storageExtra = "")
    {
        var fake = await FakeCloud.StartAsync(new FakeCloudOptions { EnforceRateLimits = false });
        try
        {
            var host = await AliyunHost.StartAsync(fake, cacheMinutes: 30, storageExtra: storageExtra, localStorageExtra: storageExtra);
            var replay = new ReplayHost(fake, host, mount, $"/dav/{mount}/{folder}/");
            using var setup = replay.Host.Client();
            Assert.Equal(201, (int)(await setup.SendAsync("MKCOL", replay.Dir)).StatusCode);
            return replay;
        }
        catch
        {
            await fake.DisposeAsync();
            throw;
        }
    }

    /// <summary>A client that sends <paramref name="userAgent"/> and, unless <paramref name="authenticated"/> is false, Basic credentials.</summary>
    public HttpClient Client(string userAgent, bool authenticated = true)
    {
        var client = Host.Client(authenticated ? "alice" : null);
        client.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", userAgent);
        return client;
    }

    /// <summary>Upstream calls the fake has seen since the last <see cref="ClearUpstream"/> (always 0 for Local).</summary>
    public int UpstreamCalls => IsCloud ? _fake.Requests.Snapshot().Count : 0;

    public void ClearUpstream() => _fake.Requests.Clear();

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        await _fake.DisposeAsync();
    }
}

/// <summary>Building recorded requests byte for byte and reading the answers.</summary>
internal static class Replay
{
    public static readonly XNamespace D = "DAV:";
    public static readonly XNamespace Z = "urn:schemas-microsoft-com:";

    public static HttpRequestMessage Request(string method, string url, (string Name, string Value)[] headers, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = content };
        foreach (var (name, value) in headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content ??= new ByteArrayContent([]);
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return request;
    }

    public static Task<HttpResponseMessage> Send(this HttpClient client, string method, string url, params (string Name, string Value)[] headers) =>
        client.SendAsync(Request(method, url, headers));

    public static Task<HttpResponseMessage> SendXml(this HttpClient client, string method, string url, string xml, params (string Name, string Value)[] headers)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(xml));
        content.Headers.ContentType = new MediaTypeHeaderValue("text/xml") { CharSet = "utf-8" };
        return client.SendAsync(Request(method, url, headers, content));
    }

    public static Task<HttpResponseMessage> SendBytes(this HttpClient client, string method, string url, byte[] body, params (string Name, string Value)[] headers) =>
        client.SendAsync(Request(method, url, headers, new ByteArrayContent(body)));

    /// <summary>A PUT whose body goes out chunked with no Content-Length, as Finder sends it.</summary>
    public static Task<HttpResponseMessage> PutChunked(this HttpClient client, string url, byte[] body, params (string Name, string Value)[] headers)
    {
        var request = Request("PUT", url, headers, new StreamContent(new UnseekableStream(body)));
        request.Headers.TransferEncodingChunked = true;
        return client.SendAsync(request);
    }

    public static async Task<XDocument> Xml(this HttpResponseMessage response) => XDocument.Parse(await response.Content.ReadAsStringAsync());

    /// <summary>The text of <paramref name="name"/> in the 200 propstat of the response for <paramref name="hrefEnd"/>.</summary>
    public static string? Prop(XDocument multistatus, string hrefEnd, XName name) =>
        multistatus.Descendants(D + "response")
            .Where(r => Uri.UnescapeDataString((string?)r.Element(D + "href") ?? "").TrimEnd('/').EndsWith(hrefEnd.TrimEnd('/'), StringComparison.Ordinal))
            .SelectMany(r => r.Elements(D + "propstat"))
            .Where(ps => ((string?)ps.Element(D + "status") ?? "").Contains(" 200 ", StringComparison.Ordinal))
            .SelectMany(ps => ps.Elements(D + "prop").Elements(name))
            .Select(e => e.Value)
            .FirstOrDefault();

    /// <summary>Decoded hrefs of the members a Depth 1 listing returned (the collection itself excluded).</summary>
    public static List<string> MemberNames(XDocument multistatus, string collection) =>
        multistatus.Descendants(D + "href").Select(h => Uri.UnescapeDataString(h.Value))
            .Where(h => h.TrimEnd('/') != Uri.UnescapeDataString(collection).TrimEnd('/'))
            .Select(h => h.TrimEnd('/')[(h.TrimEnd('/').LastIndexOf('/') + 1)..])
            .ToList();

    public static string LockToken(HttpResponseMessage response)
    {
        Assert.True(response.Headers.TryGetValues("Lock-Token", out var values), "no Lock-Token header");
        var token = values.Single().Trim();
        Assert.Matches("^<opaquelocktoken:[0-9a-f-]{36}>$", token);
        return token;
    }

    private sealed class UnseekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
