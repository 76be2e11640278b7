using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using OpenList.DriverHost.Drivers.Authorization;
using OpenList.DriverHost.Drivers.DiskTop;

namespace OpenList.DriverHost.Drivers.Tests.DiskTop;

/// <summary>The DiskTop settings: defaults, clamping, every problem reported at once, secrets marked and never echoed.</summary>
public sealed class DiskTopDriverFactoryTests
{
    private static readonly DriverContext Context = new("/disktop", Path.GetTempPath(), NullLoggerFactory.Instance, TimeProvider.System);
    private readonly DiskTopDriverFactory _factory = new();

    [Fact]
    public void Defaults_FollowTheIssue()
    {
        var errors = new List<DriverSettingError>();
        var options = DiskTopOptions.Bind(Json("""{"client_id":"c"}"""), errors)!;

        Assert.Empty(errors);
        Assert.Equal("/", options.RootFolderPath);
        Assert.Equal("user.read files.app_data", options.Scope);
        Assert.Equal(200, options.PageSize);
        Assert.Equal(new Uri("https://openapi.disk.top"), options.ApiBaseUrl);
        Assert.False(options.UseOnlineApi);
        Assert.Equal("DiskTop", _factory.Name);
        Assert.Equal([AuthorizationFlow.DeviceCode, AuthorizationFlow.Browser], _factory.Flows);
    }

    [Theory]
    [InlineData(0, 200)]
    [InlineData(-5, 200)]
    [InlineData(50, 50)]
    [InlineData(500, 200)]
    public void PageSize_IsClampedTo200(int requested, int used) =>
        Assert.Equal(used, DiskTopOptions.Bind(Json($$"""{"client_id":"c","page_size":{{requested}}}"""), [])!.PageSize);

    [Theory]
    [InlineData("", "/")]
    [InlineData("/", "/")]
    [InlineData("Photos/", "/Photos")]
    [InlineData("/a//b/", "/a/b")]
    public void RootFolderPath_IsNormalised(string root, string normalised)
    {
        var options = DiskTopOptions.Bind(Json($$"""{"client_id":"c","root_folder_path":"{{root}}"}"""), [])!;
        Assert.Equal(normalised, options.RootFolderPath);
        Assert.Equal(normalised == "/" ? "/x" : normalised + "/x", options.ApiPath(StoragePath.Parse("/x")));
    }

    [Fact]
    public void EveryProblem_IsReportedAtOnce()
    {
        var errors = _factory.Validate(Json("""{"root_folder_path":"/a/../b","page_size":"many","api_base_url":"ftp://x","use_online_api":"maybe","client_secret":"s3cr3t-value"}"""), Context);

        Assert.Equal(
            ["root_folder_path", "use_online_api", "page_size", "api_base_url", "client_id"],
            errors.Select(e => e.Key));
        Assert.All(errors, e => Assert.DoesNotContain("s3cr3t-value", e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void TheRelay_NeedsItsUrl_ButNoClientId()
    {
        Assert.Equal(["api_url_address"], _factory.Validate(Json("""{"use_online_api":true}"""), Context).Select(e => e.Key));
        Assert.Empty(_factory.Validate(Json("""{"use_online_api":true,"api_url_address":"https://relay.test/renewapi"}"""), Context));
    }

    [Fact]
    public void Authorization_NeedsAClientId_AndYourOwnApp()
    {
        Assert.Equal(["client_id"], _factory.ValidateForAuthorization(Json("""{"refresh_token":"x"}""")).Select(e => e.Key));
        Assert.Equal(["use_online_api"], _factory.ValidateForAuthorization(Json("""{"client_id":"c","use_online_api":true,"api_url_address":"https://r.test/"}""")).Select(e => e.Key));
        Assert.Empty(_factory.ValidateForAuthorization(Json("""{"client_id":"c"}""")));
    }

    [Fact]
    public void Secrets_AreMarkedSensitive()
    {
        var sensitive = _factory.Settings.Where(s => s.Sensitive).Select(s => s.Key).Order(StringComparer.Ordinal);
        Assert.Equal(["access_token", "client_secret", "refresh_token"], sensitive);
    }

    [Fact]
    public void TheRepositoryDriversJson_DisktopRecord_UsesExactlyTheDriversKeys()
    {
        var root = Directory.GetCurrentDirectory();
        while (!File.Exists(Path.Combine(root, "drivers.json")))
        {
            root = Path.GetDirectoryName(root)!;
        }

        using var file = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "drivers.json")), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var record = file.RootElement.GetProperty("storages").EnumerateArray().Single(s => s.GetProperty("driver").GetString() == "DiskTop");
        var keys = record.GetProperty("addition").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal);
        Assert.Equal(_factory.Settings.Select(s => s.Key).Order(StringComparer.Ordinal), keys);
    }

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();
}
