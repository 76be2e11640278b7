using OpenList.DriverHost.Drivers.Errors;

namespace OpenList.DriverHost.Drivers.Tests;

/// <summary>Table tests for <see cref="StoragePath"/>: "/" for the root, otherwise "/a/b" with no trailing slash, every instance validated.</summary>
public sealed class StoragePathTests
{
    [Theory]
    [InlineData("", "/")]
    [InlineData("/", "/")]
    [InlineData("//", "/")]
    [InlineData("a", "/a")]
    [InlineData("/a", "/a")]
    [InlineData("/a/", "/a")]
    [InlineData("a/b", "/a/b")]
    [InlineData("//a///b//", "/a/b")]
    [InlineData("/中文/文件 名.txt", "/中文/文件 名.txt")]
    [InlineData("/a#b/c%20d/e+f&g", "/a#b/c%20d/e+f&g")]
    [InlineData("/...", "/...")]
    [InlineData("/.hidden/..dots", "/.hidden/..dots")]
    public void Parse_Normalises(string input, string expected)
    {
        Assert.Equal(expected, StoragePath.Parse(input).Value);
        Assert.True(StoragePath.TryParse(input, out var parsed, out var reason));
        Assert.Null(reason);
        Assert.Equal(expected, parsed.Value);
    }

    [Theory]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("/a/./b")]
    [InlineData("/a/../b")]
    [InlineData("a/../..")]
    [InlineData("a\0b")]
    [InlineData("a\\b")]
    [InlineData("/a/b\\..\\c")]
    [InlineData("a\u0001b")]
    [InlineData("a\rb")]
    [InlineData("a\u007fb")]
    public void Parse_RefusesWithInvalidName(string input)
    {
        var e = Assert.Throws<StorageException>(() => StoragePath.Parse(input));
        Assert.Equal(StorageErrorKind.InvalidName, e.Kind);
        Assert.False(StoragePath.TryParse(input, out _, out var reason));
        Assert.False(string.IsNullOrEmpty(reason));
    }

    [Fact]
    public void Parse_RefusesNull()
    {
        Assert.False(StoragePath.TryParse(null, out var result, out var reason));
        Assert.Equal(StoragePath.Root, result);
        Assert.NotNull(reason);
    }

    [Fact]
    public void Names_AreLimitedTo255Characters()
    {
        var longest = new string('x', 255);
        Assert.Equal(longest, StoragePath.Root.Combine(longest).Name);
        Assert.Equal(StorageErrorKind.InvalidName, Assert.Throws<StorageException>(() => StoragePath.Root.Combine(longest + "x")).Kind);
    }

    [Theory]
    [InlineData("/", "a", "/a")]
    [InlineData("/a", "b", "/a/b")]
    [InlineData("/a/b", "c d.txt", "/a/b/c d.txt")]
    [InlineData("/a", "😀", "/a/😀")]
    public void Combine_AppendsOneSegment(string parent, string name, string expected) =>
        Assert.Equal(expected, StoragePath.Parse(parent).Combine(name).Value);

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("a\0")]
    public void Combine_RefusesAnythingButOneName(string name)
    {
        var e = Assert.Throws<StorageException>(() => StoragePath.Parse("/a").Combine(name));
        Assert.Equal(StorageErrorKind.InvalidName, e.Kind);
    }

    [Theory]
    [InlineData("/", "/", "", true)]
    [InlineData("/a", "/", "a", false)]
    [InlineData("/a/b", "/a", "b", false)]
    [InlineData("/a/b/c.txt", "/a/b", "c.txt", false)]
    public void ParentNameAndIsRoot(string path, string parent, string name, bool isRoot)
    {
        var p = StoragePath.Parse(path);
        Assert.Equal(parent, p.Parent.Value);
        Assert.Equal(name, p.Name);
        Assert.Equal(isRoot, p.IsRoot);
        Assert.Equal(path, p.ToString());
    }

    [Theory]
    [InlineData("/", new string[0])]
    [InlineData("/a", new[] { "a" })]
    [InlineData("/a/b/c", new[] { "a", "b", "c" })]
    public void Segments_RootFirst(string path, string[] segments) =>
        Assert.Equal(segments, StoragePath.Parse(path).Segments);

    [Theory]
    [InlineData("/a", "/", true)]
    [InlineData("/", "/", true)]
    [InlineData("/a", "/a", true)]
    [InlineData("/a/b", "/a", true)]
    [InlineData("/a/b/c", "/a", true)]
    [InlineData("/ab", "/a", false)]
    [InlineData("/a", "/a/b", false)]
    [InlineData("/", "/a", false)]
    [InlineData("/b/a", "/a", false)]
    [InlineData("/A", "/a", false)]
    public void IsSameOrUnder(string path, string other, bool expected) =>
        Assert.Equal(expected, StoragePath.Parse(path).IsSameOrUnder(StoragePath.Parse(other)));

    [Fact]
    public void Default_IsTheRoot()
    {
        var empty = default(StoragePath);
        Assert.True(empty.IsRoot);
        Assert.Equal("/", empty.Value);
        Assert.Equal(StoragePath.Root.Value, empty.Value);
    }

    [Fact]
    public void Equality_IsByValue() =>
        Assert.Equal(StoragePath.Parse("a//b/"), StoragePath.Root.Combine("a").Combine("b"));
}
