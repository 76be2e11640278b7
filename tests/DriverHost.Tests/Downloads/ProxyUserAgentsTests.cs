using OpenList.DriverHost.Downloads;

namespace OpenList.DriverHost.DriverHost.Tests.Downloads;

public sealed class ProxyUserAgentsTests
{
    [Theory]
    [InlineData("Microsoft-WebDAV-MiniRedir/10.0.19045", true)]
    [InlineData("WebDAVFS/3.0.0 (03008000) Darwin/22.1.0 (arm64)", true)]
    [InlineData("cadaver/0.23.3 neon/0.32.5", true)]
    [InlineData("davfs2/1.7.0 neon/0.32.5", true)]
    [InlineData("rclone/v1.60.1", false)]
    [InlineData("Lavf/59.27.100", false)]
    [InlineData("", false)]
    public void The_default_list_names_clients_that_do_not_follow_redirects(string userAgent, bool proxied) =>
        Assert.Equal(proxied, ProxyUserAgents.Default.MustProxy(userAgent));

    [Fact]
    public void A_storage_can_replace_or_empty_the_list()
    {
        var custom = ProxyUserAgents.Parse("Kodi, VLC\nInfuse");
        Assert.True(custom.MustProxy("kodi/20"));
        Assert.True(custom.MustProxy("Infuse-Direct/7"));
        Assert.False(custom.MustProxy("Microsoft-WebDAV-MiniRedir/10"));
        Assert.False(ProxyUserAgents.Parse("").MustProxy("Microsoft-WebDAV-MiniRedir/10"));
        Assert.Same(ProxyUserAgents.Default, ProxyUserAgents.Parse(null));
    }
}
