using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using OpenList.DriverHost.Drivers.Open115;

namespace OpenList.DriverHost.Drivers.Tests.Open115;

/// <summary>The 115 Open settings (cloud-apis.md §1.4): metadata, defaults, OpenList's Init clamps and validation that reports every problem.</summary>
public sealed class Open115DriverFactoryTests
{
    private readonly Open115DriverFactory _factory = new();

    private static readonly DriverContext Context = new("/115", Path.GetTempPath(), NullLoggerFactory.Instance, TimeProvider.System);

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    private static Open115Options Bind(string json)
    {
        var errors = new List<DriverSettingError>();
        var options = Open115Options.Bind(Json(json), errors);
        Assert.Empty(errors);
        return options!;
    }

    [Fact]
    public void Name_IsSpelledAsOpenListSpellsIt() => Assert.Equal("115 Open", _factory.Name);

    [Fact]
    public void Settings_DeclareEveryOpenListKeyWithItsDefault()
    {
        var settings = _factory.Settings.ToDictionary(s => s.Key);
        Assert.Equal("0", settings["root_folder_id"].Default);
        Assert.Equal("1", settings["limit_rate"].Default);
        Assert.Equal("200", settings["page_size"].Default);
        Assert.Equal("false", settings["use_online_api"].Default);
        Assert.Equal("https://api.oplist.org/115cloud/renewapi", settings["api_url_address"].Default);
        Assert.Equal("https://proapi.115.com", settings["api_base_url"].Default);
        Assert.Equal("https://passportapi.115.com", settings["auth_base_url"].Default);
        Assert.Equal("", settings["order_by"].Default);
        Assert.Equal("", settings["order_direction"].Default);
        Assert.Contains("access_token", settings.Keys);
        Assert.Contains("refresh_token", settings.Keys);
        Assert.All(_factory.Settings, s => Assert.False(string.IsNullOrWhiteSpace(s.Help)));
    }

    [Fact]
    public void Settings_MarkEverySecretSensitive()
    {
        var sensitive = _factory.Settings.Where(s => s.Sensitive).Select(s => s.Key).Order(StringComparer.Ordinal);
        Assert.Equal(["access_token", "refresh_token"], sensitive);
    }

    [Fact]
    public void Settings_CoverEveryKeyOfTheDefaultDriversJsonRecord()
    {
        // drivers.json ships a disabled /115 record: its addition keys must all be settings (no "unknown key" warnings).
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "drivers.json")), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var record = document.RootElement.GetProperty("storages").EnumerateArray().Single(s => s.GetProperty("driver").GetString() == "115 Open");
        var keys = record.GetProperty("addition").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(_factory.Settings.Select(s => s.Key).Order(StringComparer.Ordinal), keys);
    }

    [Fact]
    public void Bind_AppliesTheDefaults_WhenOnlyARefreshTokenIsGiven()
    {
        var options = Bind("""{"refresh_token":"r"}""");
        Assert.Equal("0", options.RootFolderId);
        Assert.Equal("", options.OrderBy);
        Assert.Equal("", options.OrderDirection);
        Assert.Equal(1, options.LimitRate);
        Assert.Equal(200, options.PageSize);
        Assert.False(options.UseOnlineApi);
        Assert.False(options.UsesRelay);
        Assert.Equal("https://api.oplist.org/115cloud/renewapi", options.ApiUrlAddress);
        Assert.Equal(new Uri("https://proapi.115.com"), options.ApiBaseUrl);
        Assert.Equal(new Uri("https://passportapi.115.com"), options.AuthBaseUrl);
    }

    [Fact]
    public void Bind_ReadsEveryValue()
    {
        var options = Bind("""
            {"refresh_token":"r","access_token":"a","root_folder_id":"2491","order_by":"user_utime","order_direction":"asc",
             "limit_rate":"2.5","page_size":"1000","use_online_api":"true","api_url_address":"http://127.0.0.1:9/115cloud/renewapi",
             "api_base_url":"http://127.0.0.1:9/","auth_base_url":"http://127.0.0.1:8"}
            """);
        Assert.Equal("2491", options.RootFolderId);
        Assert.Equal("a", options.AccessToken);
        Assert.Equal("r", options.RefreshToken);
        Assert.Equal("user_utime", options.OrderBy);
        Assert.Equal("asc", options.OrderDirection);
        Assert.Equal(2.5, options.LimitRate);
        Assert.Equal(1000, options.PageSize);
        Assert.True(options.UsesRelay);
        Assert.Equal(new Uri("http://127.0.0.1:9/"), options.ApiBaseUrl);
        Assert.Equal(new Uri("http://127.0.0.1:8"), options.AuthBaseUrl);
    }

    [Theory]
    [InlineData("0", 200)]
    [InlineData("-5", 200)]
    [InlineData("1", 1)]
    [InlineData("1150", 1150)]
    [InlineData("1151", 1150)]
    [InlineData("100000", 1150)]
    [InlineData("0.5", 1)]
    public void Bind_ClampsThePageSizeAsOpenListsInitDoes(string pageSize, int expected)
    {
        // §1.4: Init clamps ≤0 → 200, >1150 → 1150.
        Assert.Equal(expected, Bind($$"""{"refresh_token":"r","page_size":{{pageSize}}}""").PageSize);
    }

    [Fact]
    public void Bind_EmptyRootFolderId_IsTheWholeDrive()
    {
        Assert.Equal("0", Bind("""{"refresh_token":"r","root_folder_id":""}""").RootFolderId);
    }

    [Fact]
    public void Bind_NonPositiveLimitRate_IsKept_AndTurnsTheLimitOff()
    {
        Assert.Equal(0, Bind("""{"refresh_token":"r","limit_rate":0}""").LimitRate);
        Assert.Equal(-1, Bind("""{"refresh_token":"r","limit_rate":-1}""").LimitRate);
    }

    [Fact]
    public void Validate_ReportsEveryBadValueAtOnce()
    {
        var errors = _factory.Validate(
            Json("""
                {"refresh_token":"r","order_by":"random","order_direction":"up","limit_rate":"fast","page_size":"big",
                 "use_online_api":"maybe","api_base_url":"proapi.115.com","auth_base_url":"/x","root_folder_id":7}
                """),
            Context);
        Assert.Equal(
            ["api_base_url", "auth_base_url", "limit_rate", "order_by", "order_direction", "page_size", "root_folder_id", "use_online_api"],
            errors.Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.Contains(errors, e => e.Key == "order_by" && e.Message.Contains("\"file_name\", \"file_size\", \"user_utime\", \"file_type\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_ARelayWithABadUrl_IsReported()
    {
        var error = Assert.Single(_factory.Validate(Json("""{"refresh_token":"r","use_online_api":true,"api_url_address":"renewapi"}"""), Context));
        Assert.Equal("api_url_address", error.Key);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"refresh_token":"","access_token":""}""")]
    [InlineData("""{"refresh_token":null}""")]
    public void Validate_WithoutAnyToken_AsksForTheRefreshToken(string addition)
    {
        var error = Assert.Single(_factory.Validate(Json(addition), Context));
        Assert.Equal("refresh_token", error.Key);
        Assert.Contains("required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_APastedAccessTokenAlone_IsFine()
    {
        Assert.Empty(_factory.Validate(Json("""{"access_token":"a"}"""), Context));
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"refresh\"")]
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
        var errors = _factory.Validate(Json("""{"refresh_token":"SECRET-RT","access_token":"SECRET-AT","order_by":"x"}"""), Context);
        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.DoesNotContain("SECRET", e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Create_RefusesAnInvalidAddition()
    {
        Assert.Throws<ArgumentException>(() => _factory.Create(Json("""{"order_by":"x"}"""), Context));
    }

    [Fact]
    public void Create_BuildsADriverThatDeclaresItsCapabilities()
    {
        var driver = _factory.Create(Json("""{"refresh_token":"r"}"""), Context);
        var open115 = Assert.IsType<Open115Driver>(driver);
        Assert.Equal(["sha1"], driver.Capabilities.Hashes);
        Assert.Null(driver.Capabilities.ModTimePrecision);
        Assert.True(driver.Capabilities.EmptyDirectories);
        Assert.False(driver.Capabilities.CaseInsensitive);
        Assert.True(open115.LinksBoundToUserAgent);
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "OpenList.DriverHost.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("repository root not found");
    }
}
