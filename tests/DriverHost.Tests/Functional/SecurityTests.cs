using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OpenList.DriverHost.DriverHost.Tests.Functional;

/// <summary>Auth, permissions and hostile input: clear 4xx answers and nothing touched outside the mount.</summary>
public sealed class SecurityTests : IAsyncLifetime
{
    private HostFixture _host = null!;

    public async Task InitializeAsync() => _host = await HostFixture.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Options_at_the_host_root_needs_no_auth()
    {
        var response = await _host.Client(user: null).SendAsync("OPTIONS", "/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("1, 2", response.Headers.GetValues("DAV").Single());
        Assert.Equal("DAV", response.Headers.GetValues("MS-Author-Via").Single());
    }

    [Fact]
    public async Task No_credentials_is_401_with_a_basic_challenge()
    {
        var response = await _host.Client(user: null).SendAsync("PROPFIND", "/dav/", null, ("Depth", "0"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Basic", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_only_user_can_read_but_not_write()
    {
        await _host.Client().PutTextAsync("/dav/local/r.txt", "r");
        var reader = _host.Client("reader");
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/dav/local/r.txt")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PutAsync("/dav/local/r.txt", new StringContent("w"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.SendAsync("DELETE", "/dav/local/r.txt")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.SendAsync("MKCOL", "/dav/local/x/")).StatusCode);
        Assert.Equal("r", await File.ReadAllTextAsync(Path.Combine(_host.Data, "r.txt")));
    }

    [Fact]
    public async Task Base_path_confines_a_user()
    {
        await _host.Client().MkcolAsync("/dav/local/jail/");
        await _host.Client().PutTextAsync("/dav/local/secret.txt", "s");
        var jailed = _host.Client("jailed");
        await jailed.PutTextAsync("/dav/inside.txt", "i");
        Assert.True(File.Exists(Path.Combine(_host.Data, "jail", "inside.txt")));
        Assert.Equal(HttpStatusCode.NotFound, (await jailed.GetAsync("/dav/local/secret.txt")).StatusCode);
        var xml = await (await jailed.SendAsync("PROPFIND", "/dav/", null, ("Depth", "1"))).XmlAsync();
        Assert.Equal(["/dav/", "/dav/inside.txt"], xml.Descendants(Dav.D + "href").Select(h => h.Value).ToList());
    }

    [Fact]
    public async Task Five_failed_logins_lock_the_ip_out_but_options_still_answers()
    {
        var wrong = _host.Client("alice", "wrong");
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.SendAsync("PROPFIND", "/dav/", null, ("Depth", "0"))).StatusCode);
        }

        var locked = await _host.Client().SendAsync("PROPFIND", "/dav/", null, ("Depth", "0"));
        Assert.Equal((HttpStatusCode)429, locked.StatusCode);
        Assert.NotNull(locked.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, (await _host.Client(user: null).SendAsync("OPTIONS", "/dav/")).StatusCode);
    }

    [Theory]
    [InlineData("/dav/local/..%2F..%2Fescape.txt")]
    [InlineData("/dav/local/a%2Fb.txt")]
    [InlineData("/dav/local/%2E%2E/escape.txt")]
    [InlineData("/dav/local/nul%00.txt")]
    [InlineData("/dav/local/back%5Cslash.txt")]
    public async Task Hostile_paths_are_400_and_write_nothing(string target)
    {
        var status = await RawPutAsync(target);
        Assert.Equal(400, status);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_host.Data));
        Assert.False(File.Exists(Path.Combine(_host.Root, "escape.txt")));
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(_host.Root)!, "escape.txt")));
    }

    [Fact]
    public async Task A_literal_dot_dot_never_leaves_the_mount()
    {
        // Kestrel normalises a raw "/../" before we see it; whatever it becomes must stay inside /dav.
        var status = await RawPutAsync("/dav/local/../../escape.txt");
        Assert.NotEqual(201, status);
        Assert.False(File.Exists(Path.Combine(_host.Root, "escape.txt")));
    }

    [Fact]
    public async Task An_upload_cut_off_by_the_client_leaves_no_file_and_the_server_keeps_serving()
    {
        using (var tcp = new TcpClient())
        {
            await tcp.ConnectAsync(IPAddress.Loopback, _host.BaseAddress.Port);
            var stream = tcp.GetStream();
            var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:" + HostFixture.Password));
            var head = $"PUT /dav/local/cut.bin HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic {auth}\r\nContent-Length: 1000000\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
            await stream.WriteAsync(new byte[1000]);
            await stream.FlushAsync();
            await Task.Delay(200);
        }

        var client = _host.Client();
        for (var i = 0; i < 50 && Directory.EnumerateFileSystemEntries(_host.Data).Any(); i++)
        {
            await Task.Delay(100); // the server notices the abort asynchronously
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(_host.Data)); // neither cut.bin nor a temp file
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/dav/local/cut.bin")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.PutAsync("/dav/local/after.txt", new StringContent("ok"))).StatusCode);
    }

    /// <summary>Sends the request line byte for byte: HttpClient would normalise the path.</summary>
    private async Task<int> RawPutAsync(string target)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, _host.BaseAddress.Port);
        await using var stream = tcp.GetStream();
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:" + HostFixture.Password));
        var request = $"PUT {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic {auth}\r\nContent-Length: 1\r\nConnection: close\r\n\r\nx";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var statusLine = await reader.ReadLineAsync() ?? string.Empty;
        return int.Parse(statusLine.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }
}
