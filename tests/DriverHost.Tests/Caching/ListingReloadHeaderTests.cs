using Microsoft.AspNetCore.Http;
using OpenList.DriverHost.Hosting;

namespace OpenList.DriverHost.DriverHost.Tests.Caching;

/// <summary>Which requests reload the listings they read (MountStoreResolver).</summary>
public sealed class ListingReloadHeaderTests
{
    [Theory]
    [InlineData("PROPFIND", "Cache-Control", "no-cache", true)]
    [InlineData("PROPFIND", "Cache-Control", "max-age=0, No-Cache", true)]
    [InlineData("PROPFIND", "Cache-Control", "no-cache=\"Set-Cookie\"", true)]
    [InlineData("PROPFIND", "Pragma", "no-cache", true)]
    [InlineData("PROPFIND", "Cache-Control", "max-age=0", false)]
    [InlineData("PROPFIND", "Cache-Control", "no-store", false)]
    [InlineData("PROPFIND", "X-Other", "no-cache", false)]
    [InlineData("GET", "Cache-Control", "no-cache", false)] // players and browsers send it on every download
    public void A_PROPFIND_with_no_cache_reloads(string method, string header, string value, bool expected)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Headers[header] = value;

        Assert.Equal(expected, MountStoreResolver.WantsFreshListing(context.Request));
    }
}
