using System.Globalization;
using System.Text;
using static OpenList.DriverHost.DriverHost.Tests.Clients.Replay;

namespace OpenList.DriverHost.DriverHost.Tests.Clients;

/// <summary>
/// Issue 7 item 3: davfs2 1.6.1 as traced in webdav-clients.md §4.5, against a Local mount and a cloud mount: mount
/// (OPTIONS, Depth 1 PROPFIND with Apache's <c>executable</c>, quota PROPFIND), then creating a file as
/// <c>LOCK</c> (unmapped URL → 201) → <c>PUT If-None-Match: *</c> with the token in a tagged If → HEAD → UNLOCK,
/// then reading, renaming and deleting it.
/// </summary>
public sealed class Davfs2ReplayTests
{
    private const string UserAgent = "davfs2/1.6.1 neon/0.32.5";

    private const string ListProps =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<propfind xmlns=\"DAV:\"><prop><resourcetype xmlns=\"DAV:\"/><getcontentlength xmlns=\"DAV:\"/>"
        + "<getetag xmlns=\"DAV:\"/><getlastmodified xmlns=\"DAV:\"/><executable xmlns=\"http://apache.org/dav/props/\"/></prop></propfind>\n";

    private const string QuotaProps =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<propfind xmlns=\"DAV:\"><prop><quota-available-bytes xmlns=\"DAV:\"/>"
        + "<quota-used-bytes xmlns=\"DAV:\"/></prop></propfind>\n";

    private const string LockBody =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<lockinfo xmlns='DAV:'>\n <lockscope><exclusive/></lockscope>\n"
        + "<locktype><write/></locktype><owner>alice</owner>\n</lockinfo>\n";

    [Theory]
    [InlineData("local")]
    [InlineData("aliyun")]
    public async Task Mount_create_with_lock_then_if_none_match_put_read_rename_and_delete_as_davfs2_does(string mount)
    {
        await using var host = await ReplayHost.StartAsync(mount, "davfs");
        using var davfs = host.Client(UserAgent);

        // --- mount.davfs
        var options = await davfs.Send("OPTIONS", host.Dir);
        Assert.Equal(200, (int)options.StatusCode);
        Assert.Contains("2", options.Headers.GetValues("DAV").Single(), StringComparison.Ordinal);
        var list = await davfs.SendXml("PROPFIND", host.Dir, ListProps, ("Depth", "1"));
        Assert.Equal(207, (int)list.StatusCode);
        Assert.Empty(MemberNames(await list.Xml(), host.Dir));
        Assert.Equal(207, (int)(await davfs.SendXml("PROPFIND", host.Dir, QuotaProps, ("Depth", "0"))).StatusCode);

        // --- echo text > newfile.txt: LOCK the unmapped URL, PUT If-None-Match: * with the lock, HEAD, UNLOCK.
        var file = host.Dir + "newfile.txt";
        var text = Encoding.UTF8.GetBytes("written through davfs2\n");
        var locked = await davfs.SendXml("LOCK", file, LockBody, ("Depth", "0"), ("Timeout", "Second-1800"));
        Assert.Equal(201, (int)locked.StatusCode);
        var token = LockToken(locked);
        var taggedIf = ("If", $"<{host.Absolute(file)}> ({token})");

        // Another client's create-only PUT must still see the (locked) file as taken.
        var foreign = (int)(await davfs.SendBytes("PUT", file, text, ("If-None-Match", "*"))).StatusCode;
        Assert.True(foreign is 412 or 423, $"PUT If-None-Match: * without the lock token: {foreign}");

        var put = await davfs.SendBytes("PUT", file, text, ("If-None-Match", "*"), taggedIf);
        Assert.True(put.StatusCode is System.Net.HttpStatusCode.Created or System.Net.HttpStatusCode.NoContent, $"PUT If-None-Match: * after LOCK: {(int)put.StatusCode}");

        var head = await davfs.Send("HEAD", file, taggedIf);
        Assert.Equal(200, (int)head.StatusCode);
        Assert.Equal(text.Length, head.Content.Headers.ContentLength);
        Assert.Equal(204, (int)(await davfs.Send("UNLOCK", file, ("Lock-Token", token))).StatusCode);

        // Now the file is real: a create-only PUT is refused as RFC 9110 says, lock or no lock.
        Assert.Equal(412, (int)(await davfs.SendBytes("PUT", file, [1], ("If-None-Match", "*"))).StatusCode);
        var relocked = await davfs.SendXml("LOCK", file, LockBody, ("Depth", "0"), ("Timeout", "Second-1800"));
        Assert.Equal(200, (int)relocked.StatusCode);
        var second = LockToken(relocked);
        Assert.Equal(412, (int)(await davfs.SendBytes("PUT", file, [1], ("If-None-Match", "*"), ("If", $"<{host.Absolute(file)}> ({second})"))).StatusCode);
        Assert.Equal(204, (int)(await davfs.Send("UNLOCK", file, ("Lock-Token", second))).StatusCode);

        // --- cat newfile.txt: davfs2 fetches whole files (and does not follow redirects: it is streamed).
        var listed = await (await davfs.SendXml("PROPFIND", host.Dir, ListProps, ("Depth", "1"))).Xml();
        Assert.Equal(text.Length.ToString(CultureInfo.InvariantCulture), Prop(listed, "newfile.txt", D + "getcontentlength"));
        var get = await davfs.Send("GET", file);
        Assert.Equal(200, (int)get.StatusCode);
        Assert.Equal(text, await get.Content.ReadAsByteArrayAsync());

        // --- mv and rm.
        var moved = host.Dir + "renamed.txt";
        Assert.Equal(201, (int)(await davfs.Send("MOVE", file, ("Destination", host.Absolute(moved)), ("Overwrite", "T"))).StatusCode);
        Assert.Equal(404, (int)(await davfs.Send("HEAD", file)).StatusCode);
        Assert.Equal(204, (int)(await davfs.Send("DELETE", moved)).StatusCode);
        Assert.Empty(MemberNames(await (await davfs.SendXml("PROPFIND", host.Dir, ListProps, ("Depth", "1"))).Xml(), host.Dir));
    }
}
