using OpenList.DriverHost.Config;

namespace OpenList.DriverHost.DriverHost.Tests.ConfigTests;

public sealed class ListenAddressTests
{
    [Theory]
    [InlineData("http://127.0.0.1:5244", "http", "127.0.0.1", 5244)]
    [InlineData("HTTPS://example.com:443/", "https", "example.com", 443)]
    [InlineData("http://[::1]:8080", "http", "[::1]", 8080)]
    [InlineData("http://*:80", "http", "*", 80)]
    public void Parses_http_urls_with_host_and_port(string text, string scheme, string host, int port)
    {
        Assert.True(ListenAddress.TryParse(text, out var address, out _));
        Assert.Equal(new ListenAddress(scheme, host, port), address);
    }

    [Theory]
    [InlineData("")]
    [InlineData("127.0.0.1:5244")]
    [InlineData("http://127.0.0.1")]
    [InlineData("http://:5244")]
    [InlineData("http://::1:5244")]
    [InlineData("http://127.0.0.1:70000")]
    [InlineData("http://127.0.0.1:5244/dav")]
    [InlineData("http://user@127.0.0.1:5244")]
    [InlineData("tcp://127.0.0.1:5244")]
    public void Refuses_anything_else(string text) => Assert.False(ListenAddress.TryParse(text, out _, out _));
}
