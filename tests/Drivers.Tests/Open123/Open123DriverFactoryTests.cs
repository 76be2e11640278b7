using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using OpenList.DriverHost.Drivers.Open123;

namespace OpenList.DriverHost.Drivers.Tests.Open123;

/// <summary>The 123 Open settings (cloud-apis.md §3.4): metadata, defaults, the token-mode order and validation that reports every problem.</summary>
public sealed class Open123DriverFactoryTests
{
    private readonly Open123DriverFactory _factory = new();

    private static readonly DriverContext Context = new("/123", Path.GetTempPath(), NullLoggerFactory.Instance, TimeProvider.System);

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    private static Open123Options Bind(string json)
    {
        var errors = new List<DriverSettingError>();
        var options = Open123Options.Bind(Json(json), errors);
        Assert.Empty(errors);
        return options!;
    }

    [Fact]
    public void Name_IsSpelledAsOpenListSpellsIt() => Assert.Equal("123 Open", _factory.Name);

    [Fact]
    public void DefaultWebDavPolicy_IsNativeProxy_AsOpenListsPreferProxy()
    {
        // §3.4 Config: "PreferProxy: true (UI defaults web_proxy=true, webdav_policy=native_proxy)".
        Assert.Equal("native_proxy", _factory.DefaultWebDavPolicy);
        Assert.Equal("302_redirect", ((IDriverFactory)new OpenList.DriverHost.Drivers.AliyundriveOpen.AliyundriveOpenDriverFactory()).DefaultWebDavPolicy);
    }

    [Fact]
    public void Settings_DeclareEveryOpenListKeyWithItsDefault()
    {
        var settings = _factory.Settings.ToDictionary(s => s.Key);
        Assert.Equal("true", settings["use_online_api"].Default);
        Assert.Equal("https://api.oplist.org/123cloud/renewapi", settings["api_url_address"].Default);
        Assert.Equal("3", settings["UploadThread"].Default);
        Assert.Equal("false", settings["DirectLink"].Default);
        Assert.Equal("30", settings["DirectLinkValidDuration"].Default);
        Assert.Equal("0", settings["root_folder_id"].Default);
        Assert.Equal("https://open-api.123pan.com", settings["api_base_url"].Default);
        Assert.Equal("1", settings["rate_limit_scale"].Default);
        Assert.Contains("ClientID", settings.Keys);
        Assert.Contains("ClientSecret", settings.Keys);
        Assert.Contains("AccessToken", settings.Keys);
        Assert.Contains("RefreshToken", settings.Keys);
        Assert.Contains("DirectLinkPrivateKey", settings.Keys);
        Assert.All(_factory.Settings, s => Assert.False(string.IsNullOrWhiteSpace(s.Help)));
    }

    [Fact]
    public void Settings_MarkEverySecretSensitive()
    {
        var sensitive = _factory.Settings.Where(s => s.Sensitive).Select(s => s.Key).Order(StringComparer.Ordinal);
        Assert.Equal(["AccessToken", "ClientSecret", "DirectLinkPrivateKey", "RefreshToken"], sensitive);
    }

    [Fact]
    public void Settings_CoverTheKeysOfTheShippedDriversJsonRecord()
    {
        // The repository's drivers.json shows a disabled /123 record: every key it holds is one the driver reads.
        var file = Path.Combine(RepositoryRoot(), "drivers.json");
        using var document = JsonDocument.Parse(File.ReadAllText(file), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var record = document.RootElement.GetProperty("storages").EnumerateArray().Single(s => s.GetProperty("driver").GetString() == "123 Open");
        var addition = record.GetProperty("addition");
        var declared = _factory.Settings.Select(s => s.Key).ToHashSet(StringComparer.Ordinal);
        Assert.All(addition.EnumerateObject(), p => Assert.Contains(p.Name, declared));
        Assert.Equal("native_proxy", record.GetProperty("webdav_policy").GetString());
        var defaults = _factory.Settings.Where(s => s.Default is not null).ToDictionary(s => s.Key, s => s.Default);
        foreach (var property in addition.EnumerateObject().Where(p => defaults.ContainsKey(p.Name)))
        {
            var shown = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : property.Value.GetRawText();
            Assert.True(defaults[property.Name] == shown, $"drivers.json shows {property.Name} = {shown}, the default is {defaults[property.Name]}");
        }
    }

    [Fact]
    public void Bind_AppliesTheDefaults_WhenOnlyDeveloperKeysAreGiven()
    {
        var options = Bind("""{"ClientID":"id","ClientSecret":"s"}""");
        Assert.True(options.UseOnlineApi);
        Assert.Equal("https://api.oplist.org/123cloud/renewapi", options.ApiUrlAddress);
        Assert.Equal(3, options.UploadThread);
        Assert.False(options.DirectLink);
        Assert.Equal(30, options.DirectLinkValidDuration);
        Assert.Equal("0", options.RootFolderId);
        Assert.Equal(new Uri("https://open-api.123pan.com"), options.ApiBaseUrl);
        Assert.Equal(1, options.RateLimitScale);
        Assert.Equal(Open123TokenMode.DeveloperCredentials, options.TokenMode);
    }

    [Fact]
    public void Bind_ReadsEveryValue()
    {
        var options = Bind("""
            {"ClientID":"id","ClientSecret":"s","AccessToken":"a","RefreshToken":"r","use_online_api":false,
             "api_url_address":"http://127.0.0.1:9/relay","UploadThread":"8","DirectLink":true,"DirectLinkPrivateKey":"k",
             "DirectLinkValidDuration":"45","root_folder_id":123456,"api_base_url":"http://127.0.0.1:9/","rate_limit_scale":"2.5"}
            """);
        Assert.Equal("id", options.ClientId);
        Assert.Equal("s", options.ClientSecret);
        Assert.Equal("a", options.AccessToken);
        Assert.Equal("r", options.RefreshToken);
        Assert.False(options.UseOnlineApi);
        Assert.Equal("http://127.0.0.1:9/relay", options.ApiUrlAddress);
        Assert.Equal(8, options.UploadThread);
        Assert.True(options.DirectLink);
        Assert.True(options.SignsDirectLinks);
        Assert.Equal(45, options.DirectLinkValidDuration);
        Assert.Equal("123456", options.RootFolderId);
        Assert.Equal(new Uri("http://127.0.0.1:9/"), options.ApiBaseUrl);
        Assert.Equal(2.5, options.RateLimitScale);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(33)]
    [InlineData(1000)]
    public void Bind_UploadThreadOutside1To32_Means3_AsOpenListsInit(int value)
    {
        // §3.4: "UploadThread ... Init: <1 or >32 → 3" — records exported from OpenList keep loading.
        Assert.Equal(3, Bind($$"""{"ClientID":"id","ClientSecret":"s","UploadThread":{{value}}}""").UploadThread);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(32)]
    public void Bind_UploadThreadAtTheBounds_IsKept(int value) =>
        Assert.Equal(value, Bind($$"""{"ClientID":"id","ClientSecret":"s","UploadThread":{{value}}}""").UploadThread);

    [Theory]
    [InlineData("""{"RefreshToken":"r","ClientID":"id","ClientSecret":"s","AccessToken":"a"}""", Open123TokenMode.OnlineApi)]
    [InlineData("""{"RefreshToken":"r","use_online_api":false,"ClientID":"id","ClientSecret":"s"}""", Open123TokenMode.DeveloperCredentials)]
    [InlineData("""{"RefreshToken":"r","api_url_address":"","ClientID":"id","ClientSecret":"s"}""", Open123TokenMode.DeveloperCredentials)]
    [InlineData("""{"ClientID":"id","ClientSecret":"s","AccessToken":"a"}""", Open123TokenMode.DeveloperCredentials)]
    [InlineData("""{"ClientID":"id","AccessToken":"a"}""", Open123TokenMode.PastedAccessToken)]
    [InlineData("""{"RefreshToken":"r","use_online_api":false,"AccessToken":"a"}""", Open123TokenMode.PastedAccessToken)]
    public void TokenMode_FollowsOpenListsOrder(string addition, Open123TokenMode expected)
    {
        // §3.3 flushAccessToken: the relay (use_online_api, RefreshToken and api_url_address), then own client
        // credentials (ClientID and ClientSecret), then the pasted AccessToken.
        Assert.Equal(expected, Bind(addition).TokenMode);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"ClientID":"id"}""")]
    [InlineData("""{"RefreshToken":"r","use_online_api":false}""")]
    [InlineData("""{"AccessToken":"","RefreshToken":"","ClientID":"","ClientSecret":""}""")]
    public void Validate_WithoutAnyWayToAToken_SaysSo(string addition)
    {
        // §3.3: "Otherwise → no valid authentication method available".
        var error = Assert.Single(_factory.Validate(Json(addition), Context));
        Assert.Contains("no valid authentication method", error.Message, StringComparison.Ordinal);
        Assert.Contains(error.Key, new[] { "ClientID", "ClientSecret" });
    }

    [Fact]
    public void Validate_ReportsEveryBadValueAtOnce()
    {
        var errors = _factory.Validate(
            Json("""
                {"ClientID":"id","ClientSecret":"s","UploadThread":"many","DirectLink":"yes","DirectLinkValidDuration":1.5,
                 "root_folder_id":"abc","api_base_url":"open-api.123pan.com","rate_limit_scale":"fast","use_online_api":3}
                """),
            Context);
        Assert.Equal(
            ["DirectLink", "DirectLinkValidDuration", "UploadThread", "api_base_url", "rate_limit_scale", "root_folder_id", "use_online_api"],
            errors.Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.Contains(errors, e => e.Key == "root_folder_id" && e.Message.Contains("numeric id", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_ARelayUrlThatIsNotAbsolute_IsReported_WhenTheRelayIsUsed()
    {
        var error = Assert.Single(_factory.Validate(Json("""{"RefreshToken":"r","api_url_address":"/renewapi"}"""), Context));
        Assert.Equal("api_url_address", error.Key);
        Assert.Empty(_factory.Validate(Json("""{"ClientID":"id","ClientSecret":"s","use_online_api":false,"api_url_address":"/renewapi"}"""), Context));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Validate_ASignedDirectLinkNeedsAPositiveDuration(int minutes)
    {
        var error = Assert.Single(_factory.Validate(
            Json($$"""{"ClientID":"id","ClientSecret":"s","DirectLink":true,"DirectLinkPrivateKey":"k","DirectLinkValidDuration":{{minutes}}}"""),
            Context));
        Assert.Equal("DirectLinkValidDuration", error.Key);
        Assert.Empty(_factory.Validate(Json($$"""{"ClientID":"id","ClientSecret":"s","DirectLink":false,"DirectLinkValidDuration":{{minutes}}}"""), Context));
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"ClientID\"")]
    [InlineData("null")]
    public void Validate_AnAdditionThatIsNotAnObject_IsReportedAgainstTheAddition(string addition)
    {
        var error = Assert.Single(_factory.Validate(Json(addition), Context));
        Assert.Equal(string.Empty, error.Key);
        Assert.Contains("JSON object", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NeverEchoesASecret()
    {
        var errors = _factory.Validate(
            Json("""{"ClientSecret":"SECRET-CS","AccessToken":7,"RefreshToken":"SECRET-RT","use_online_api":false,"DirectLinkPrivateKey":"SECRET-PK","root_folder_id":"x"}"""),
            Context);
        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.DoesNotContain("SECRET", e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Create_RefusesAnInvalidAddition()
    {
        Assert.Throws<ArgumentException>(() => _factory.Create(Json("{}"), Context));
    }

    [Fact]
    public void Create_BuildsADriverThatDeclaresItsCapabilities()
    {
        var driver = _factory.Create(Json("""{"ClientID":"id","ClientSecret":"s"}"""), Context);
        Assert.IsType<Open123Driver>(driver);
        Assert.Equal(["md5"], driver.Capabilities.Hashes);
        Assert.Null(driver.Capabilities.ModTimePrecision);
        Assert.True(driver.Capabilities.EmptyDirectories);
        Assert.False(driver.Capabilities.CaseInsensitive);
        Assert.False(((Capabilities.ILinkProvider)driver).LinksBoundToUserAgent);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OpenList.DriverHost.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("the repository root (OpenList.DriverHost.sln) is not above the test binaries");
    }
}
