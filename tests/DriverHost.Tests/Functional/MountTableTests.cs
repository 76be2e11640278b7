using System.Text.Json;

namespace OpenList.DriverHost.DriverHost.Tests.Functional;

/// <summary>Nested mounts, virtual parents, disabled storages, order, and copies across mounts.</summary>
public sealed class MountTableTests : IAsyncLifetime
{
    private HostFixture _host = null!;
    private HttpClient _client = null!;
    private string _other = null!;

    public async Task InitializeAsync()
    {
        var root = Directory.CreateTempSubdirectory("dh-mounts-").FullName;
        _other = Path.Combine(root, "other");
        Directory.CreateDirectory(_other);
        var extra = $$"""
            , { "mount_path": "/media/films/hd", "driver": "Local", "order": 1, "addition": { "root_folder_path": {{JsonSerializer.Serialize(_other)}} } }
            , { "mount_path": "/aaa", "driver": "Local", "order": 5, "addition": { "root_folder_path": {{JsonSerializer.Serialize(_other)}} } }
            , { "mount_path": "/hidden", "driver": "Local", "disabled": true, "addition": { "root_folder_path": {{JsonSerializer.Serialize(_other)}} } }
            """;
        _host = await HostFixture.StartAsync(extraStorages: extra, root: root);
        _client = _host.Client();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Root_lists_mounts_by_order_then_path_and_hides_disabled_ones()
    {
        var xml = await (await _client.SendAsync("PROPFIND", "/dav/", null, ("Depth", "1"))).XmlAsync();
        var hrefs = xml.Descendants(Dav.D + "href").Select(h => h.Value).ToList();
        Assert.Equal(["/dav/", "/dav/local/", "/dav/media/", "/dav/aaa/"], hrefs);
        Assert.Equal(404, (int)(await _client.SendAsync("PROPFIND", "/dav/hidden/", null, ("Depth", "0"))).StatusCode);
    }

    [Fact]
    public async Task Virtual_parents_are_listed_and_read_only()
    {
        var xml = await (await _client.SendAsync("PROPFIND", "/dav/media/", null, ("Depth", "1"))).XmlAsync();
        Assert.Equal(["/dav/media/", "/dav/media/films/"], xml.Descendants(Dav.D + "href").Select(h => h.Value).ToList());
        Assert.Equal(403, (int)(await _client.PutAsync("/dav/media/x.txt", new StringContent("x"))).StatusCode);
        Assert.Equal(403, (int)(await _client.SendAsync("DELETE", "/dav/media/films/")).StatusCode);
        Assert.Equal(403, (int)(await _client.SendAsync("MKCOL", "/dav/new/")).StatusCode);

        await _client.PutTextAsync("/dav/media/films/hd/movie.mkv", "m");
        Assert.True(File.Exists(Path.Combine(_other, "movie.mkv")));
    }

    [Fact]
    public async Task Copy_and_move_across_mounts_stream_the_bytes()
    {
        await _client.MkcolAsync("/dav/local/tree/");
        await _client.PutTextAsync("/dav/local/tree/a.txt", "alpha");
        var copy = await _client.SendAsync("COPY", "/dav/local/tree/", null, ("Destination", "/dav/aaa/tree/"));
        Assert.Equal(201, (int)copy.StatusCode);
        Assert.Equal("alpha", await File.ReadAllTextAsync(Path.Combine(_other, "tree", "a.txt")));

        var move = await _client.SendAsync("MOVE", "/dav/local/tree/a.txt", null, ("Destination", "/dav/aaa/moved.txt"));
        Assert.Equal(201, (int)move.StatusCode);
        Assert.Equal("alpha", await File.ReadAllTextAsync(Path.Combine(_other, "moved.txt")));
        Assert.False(File.Exists(Path.Combine(_host.Data, "tree", "a.txt")));
    }
}
