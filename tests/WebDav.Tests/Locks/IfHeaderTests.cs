using OpenList.DriverHost.WebDav.Locks;

namespace OpenList.DriverHost.WebDav.Tests.Locks;

/// <summary>RFC 4918 §10.4 forms, including every form litmus and davfs2 send (webdav-clients.md §1.9).</summary>
public class IfHeaderTests
{
    [Fact]
    public void Parses_untagged_token()
    {
        Assert.True(IfHeader.TryParse("(<opaquelocktoken:abc>)", out var lists));
        var list = Assert.Single(lists);
        Assert.Null(list.ResourceTag);
        Assert.Equal("opaquelocktoken:abc", Assert.Single(list.Conditions).StateToken);
    }

    [Fact]
    public void Parses_tagged_lists_with_etags_and_not()
    {
        Assert.True(IfHeader.TryParse("<http://h/dav/x> (<t1> [W/\"e1\"]) (Not <DAV:no-lock> [\"e2\"])", out var lists));
        Assert.Equal(2, lists.Count);
        Assert.All(lists, l => Assert.Equal("http://h/dav/x", l.ResourceTag));
        Assert.Equal("t1", lists[0].Conditions[0].StateToken);
        Assert.Equal("W/\"e1\"", lists[0].Conditions[1].ETag);
        Assert.True(lists[1].Conditions[0].Not);
        Assert.Equal("DAV:no-lock", lists[1].Conditions[0].StateToken);
        Assert.Equal("\"e2\"", lists[1].Conditions[1].ETag);
    }

    [Theory]
    [InlineData("")]
    [InlineData("(")]
    [InlineData("()")]
    [InlineData("(<t>")]
    [InlineData("<http://x")]
    [InlineData("(foo)")]
    [InlineData("garbage")]
    public void Rejects_malformed(string header) => Assert.False(IfHeader.TryParse(header, out _));
}
