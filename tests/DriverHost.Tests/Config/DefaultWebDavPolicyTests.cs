using System.Text.Json;
using OpenList.DriverHost.Config;
using OpenList.DriverHost.Drivers;
using OpenList.DriverHost.Hosting;

namespace OpenList.DriverHost.DriverHost.Tests.ConfigTests;

/// <summary>
/// A record without <c>webdav_policy</c> gets the driver's default (IDriverFactory.DefaultWebDavPolicy): OpenList's
/// 302_redirect, except for drivers it marks prefer-proxy, such as 123 Open (native_proxy).
/// </summary>
public sealed class DefaultWebDavPolicyTests
{
    private static readonly string Dir = ConfigTestFiles.ConfigDirectory;

    private static ConfigLoadResult Load(string json, IReadOnlyDictionary<string, IDriverFactory>? drivers = null) =>
        new ConfigLoader(drivers ?? Registry()).LoadFromString(json, Dir);

    private static Dictionary<string, IDriverFactory> Registry()
    {
        var drivers = FakeDriverFactory.Registry();
        drivers["Proxy Cloud"] = new ProxyPreferringFactory();
        return drivers;
    }

    [Fact]
    public void Absent_policy_is_the_drivers_default()
    {
        var storages = Load("""
            { "storages": [
              { "mount_path": "/p", "driver": "Proxy Cloud", "addition": {} },
              { "mount_path": "/l", "driver": "Local", "addition": { "root_folder_path": "x" } }
            ] }
            """).GetConfigOrThrow().Storages;

        Assert.Equal(WebDavPolicy.NativeProxy, storages[0].WebDavPolicy);
        Assert.Equal(WebDavPolicy.Redirect302, storages[1].WebDavPolicy);
    }

    [Theory]
    [InlineData("302_redirect", WebDavPolicy.Redirect302)]
    [InlineData("use_proxy_url", WebDavPolicy.UseProxyUrl)]
    public void A_written_policy_wins_over_the_drivers_default(string written, WebDavPolicy expected)
    {
        var storage = Assert.Single(Load($$"""
            { "storages": [ { "mount_path": "/p", "driver": "Proxy Cloud", "webdav_policy": "{{written}}", "down_proxy_url": "https://proxy.example.com", "addition": {} } ] }
            """).GetConfigOrThrow().Storages);

        Assert.Equal(expected, storage.WebDavPolicy);
    }

    [Fact]
    public void A_driver_not_in_this_build_defaults_to_302_redirect()
    {
        var result = Load("""{ "storages": [ { "mount_path": "/x", "driver": "Nowhere", "disabled": true, "addition": {} } ] }""");

        Assert.True(result.Succeeded, result.FormatErrors());
        Assert.Equal(WebDavPolicy.Redirect302, Assert.Single(result.Config!.Storages).WebDavPolicy);
    }

    [Fact]
    public void A_driver_default_that_is_not_a_policy_falls_back_to_302_redirect()
    {
        var drivers = Registry();
        drivers["Proxy Cloud"] = new ProxyPreferringFactory("proxy please");

        var storage = Assert.Single(Load("""{ "storages": [ { "mount_path": "/p", "driver": "Proxy Cloud", "addition": {} } ] }""", drivers).GetConfigOrThrow().Storages);

        Assert.Equal(WebDavPolicy.Redirect302, storage.WebDavPolicy);
    }

    [Fact]
    public void The_123_Open_driver_defaults_to_native_proxy()
    {
        // cloud-apis.md §3.4: 123 Open is PreferProxy in OpenList (webdav_policy native_proxy).
        var storage = Assert.Single(Load(
            """{ "storages": [ { "mount_path": "/123", "driver": "123 Open", "addition": { "ClientID": "id", "ClientSecret": "secret" } } ] }""",
            DriverRegistry.Default).GetConfigOrThrow().Storages);

        Assert.Equal(WebDavPolicy.NativeProxy, storage.WebDavPolicy);
        Assert.Equal(WebDavPolicy.Redirect302, Assert.Single(Load(
            """{ "storages": [ { "mount_path": "/a", "driver": "AliyundriveOpen", "addition": { "refresh_token": "r" } } ] }""",
            DriverRegistry.Default).GetConfigOrThrow().Storages).WebDavPolicy);
    }

    /// <summary>A driver that, like 123 Open, declares native_proxy (or whatever it is given) as its default.</summary>
    private sealed class ProxyPreferringFactory(string policy = "native_proxy") : IDriverFactory
    {
        public string Name => "Proxy Cloud";

        public IReadOnlyList<DriverSetting> Settings { get; } = [];

        public string DefaultWebDavPolicy => policy;

        public IReadOnlyList<DriverSettingError> Validate(JsonElement addition, DriverContext context) => [];

        public IStorageDriver Create(JsonElement addition, DriverContext context) => throw new NotSupportedException();
    }
}
