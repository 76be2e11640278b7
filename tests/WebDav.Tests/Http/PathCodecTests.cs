using OpenList.DriverHost.WebDav.Http;
using OpenList.DriverHost.WebDav.Store;

namespace OpenList.DriverHost.WebDav.Tests.Http;

public class PathCodecTests
{
    [Theory]
    [InlineData("/dav/a/b", new[] { "dav", "a", "b" })]
    [InlineData("/dav/%E4%B8%AD%E6%96%87/", new[] { "dav", "中文" })]
    [InlineData("/dav/%e4%b8%ad%e6%96%87", new[] { "dav", "中文" })] // both hex cases decode alike (rclone vs Apache)
    [InlineData("/dav/a+b", new[] { "dav", "a+b" })] // + is never a space in paths
    [InlineData("/dav/a%20b%23c%25d", new[] { "dav", "a b#c%d" })]
    [InlineData("/dav/frag/#ment", new[] { "dav", "frag", "#ment" })] // a raw # is a literal name, never a fragment
    [InlineData("/dav/a?x=1", new[] { "dav", "a" })]
    [InlineData("//dav//a", new[] { "dav", "a" })]
    public void Decodes_segment_by_segment(string raw, string[] expected)
    {
        Assert.True(PathCodec.TryDecodeSegments(raw, out var segments, out var error), error);
        Assert.Equal(expected, segments);
    }

    [Theory]
    [InlineData("/dav/a%2Fb")]
    [InlineData("/dav/a%2fb")]
    [InlineData("/dav/a%5Cb")]
    [InlineData("/dav/a%00b")]
    [InlineData("/dav/..")]
    [InlineData("/dav/%2E%2E/etc")]
    [InlineData("/dav/a/./b")]
    [InlineData("/dav/%ZZ")]
    [InlineData("/dav/%C3%28")] // invalid UTF-8
    [InlineData("/dav/%0A")]
    public void Refuses_hostile_targets(string raw)
    {
        Assert.False(PathCodec.TryDecodeSegments(raw, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void Href_escapes_each_segment_and_marks_collections()
    {
        var path = DavPath.Parse("/中文 file#1%.txt");
        Assert.Equal("/dav/%E4%B8%AD%E6%96%87%20file%231%25.txt", PathCodec.Href("/dav", path, isCollection: false));
        Assert.Equal("/dav/a%2Bb/", PathCodec.Href("/dav", DavPath.Parse("/a+b"), isCollection: true));
        Assert.Equal("/dav/", PathCodec.Href("/dav", DavPath.Root, isCollection: true));
    }

    [Fact]
    public void Href_round_trips_through_decoding()
    {
        var name = "a b#c%d+e&f?g😀中";
        var href = PathCodec.Href("/dav", DavPath.Root.Combine(name), isCollection: false);
        Assert.True(PathCodec.TryDecodeSegments(href, out var segments, out _));
        Assert.Equal(["dav", name], segments);
    }
}

public class DavPathTests
{
    [Fact]
    public void Default_equals_root() => Assert.Equal(DavPath.Root, default(DavPath));

    [Theory]
    [InlineData("/a/b", "/a", true)]
    [InlineData("/ab", "/a", false)]
    [InlineData("/a", "/", true)]
    [InlineData("/a", "/a", true)]
    public void IsSameOrUnder_is_segment_aligned(string path, string ancestor, bool expected) =>
        Assert.Equal(expected, DavPath.Parse(path).IsSameOrUnder(DavPath.Parse(ancestor)));

    [Fact]
    public void Rebase_moves_a_subtree() =>
        Assert.Equal("/x/y/c", DavPath.Parse("/a/b/c").Rebase(DavPath.Parse("/a/b"), DavPath.Parse("/x/y")).Value);
}
