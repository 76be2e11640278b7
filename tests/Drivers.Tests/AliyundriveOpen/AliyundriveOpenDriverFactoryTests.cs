using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using OpenList.DriverHost.Drivers.AliyundriveOpen;

namespace OpenList.DriverHost.Drivers.Tests.AliyundriveOpen;

/// <summary>The AliyundriveOpen settings (cloud-apis.md §2.4): metadata, defaults and validation that reports every problem.</summary>
public sealed class AliyundriveOpenDriverFactoryTests
{
    private readonly AliyundriveOpenDriverFactory _factory = new();

    private static readonly DriverContext Context = new("/aliyun", Path.GetTempPath(), NullLoggerFactory.Instance, TimeProvider.System);

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    private static AliyundriveOpenOptions Bind(string json)
    {
        var errors = new List<DriverSettingError>();
        var options = AliyundriveOpenOptions.Bind(Json(json), errors);
        Assert.Empty(errors);
        return options!;
    }

    [Fact]
    public void Name_IsSpelledAsOpenListSpellsIt() => Assert.Equal("AliyundriveOpen", _factory.Name);

    [Fact]
    public void Settings_DeclareEveryOpenListKeyWithItsDefault()
    {
        var settings = _factory.Settings.ToDictionary(s => s.Key);
        Assert.Equal("resource", settings["drive_type"].Default);
        Assert.Equal("root", settings["root_folder_id"].Default);
        Assert.Equal("true", settings["use_online_api"].Default);
        Assert.Equal("default", settings["alipan_type"].Default);
        Assert.Equal("https://api.oplist.org/alicloud/renewapi", settings["api_url_address"].Default);
        Assert.Equal("trash", settings["remove_way"].Default);
        Assert.Equal("false", settings["rapid_upload"].Default);
        Assert.Equal("false", settings["internal_upload"].Default);
        Assert.Equal("jpeg", settings["livp_download_format"].Default);
        Assert.Equal("https://openapi.alipan.com", settings["api_base_url"].Default);
        Assert.Equal("3.9", settings["rate_limit_list"].Default);
        Assert.Equal("0.9", settings["rate_limit_link"].Default);
        Assert.Equal("14.9", settings["rate_limit_other"].Default);
        Assert.Contains("order_by", settings.Keys);
        Assert.Contains("order_direction", settings.Keys);
        Assert.Contains("client_id", settings.Keys);
        Assert.All(_factory.Settings, s => Assert.False(string.IsNullOrWhiteSpace(s.Help)));
    }

    [Fact]
    public void Settings_MarkEverySecretSensitive()
    {
        var sensitive = _factory.Settings.Where(s => s.Sensitive).Select(s => s.Key).Order(StringComparer.Ordinal);
        Assert.Equal(["AccessToken", "access_token", "client_secret", "refresh_token"], sensitive);
    }

    [Fact]
    public void Bind_AppliesTheDefaults_WhenOnlyARefreshTokenIsGiven()
    {
        var options = Bind("""{"refresh_token":"a.b.c"}""");
        Assert.Equal("resource", options.DriveType);
        Assert.Equal("root", options.RootFolderId);
        Assert.True(options.UseOnlineApi);
        Assert.True(options.UsesRelay);
        Assert.Equal("alicloud_qr", options.DriverTxt);
        Assert.True(options.UseTrash);
        Assert.False(options.RapidUpload);
        Assert.False(options.InternalUpload);
        Assert.Equal("jpeg", options.LivpDownloadFormat);
        Assert.Equal("", options.OrderBy);
        Assert.Equal("", options.OrderDirection);
        Assert.Equal(new Uri("https://openapi.alipan.com"), options.ApiBaseUrl);
        Assert.Equal(3.9, options.RateLimitList);
        Assert.Equal(0.9, options.RateLimitLink);
        Assert.Equal(14.9, options.RateLimitOther);
    }

    [Fact]
    public void Bind_ReadsOpenListsInitFallbacks_ForEmptyValues()
    {
        // OpenList exports every key; Init turns "" into default (drive_type), jpeg (livp) and trash (remove_way).
        var options = Bind("""
            {"refresh_token":"r","drive_type":"","root_folder_id":"","remove_way":"","livp_download_format":"","alipan_type":""}
            """);
        Assert.Equal("default", options.DriveType);
        Assert.Equal("root", options.RootFolderId);
        Assert.True(options.UseTrash);
        Assert.Equal("jpeg", options.LivpDownloadFormat);
        Assert.Equal("alicloud_qr", options.DriverTxt);
    }

    [Fact]
    public void Bind_ReadsEveryValue()
    {
        var options = Bind("""
            {"refresh_token":"r","AccessToken":"a","drive_type":"backup","root_folder_id":"abc","order_by":"size","order_direction":"DESC",
             "use_online_api":false,"alipan_type":"alipanTV","api_url_address":"","client_id":"id","client_secret":"secret",
             "remove_way":"delete","rapid_upload":true,"internal_upload":"true","livp_download_format":"mov",
             "api_base_url":"http://127.0.0.1:9/","rate_limit_list":"0","rate_limit_link":2,"rate_limit_other":-1}
            """);
        Assert.Equal("backup", options.DriveType);
        Assert.Equal("abc", options.RootFolderId);
        Assert.Equal("a", options.AccessToken);
        Assert.Equal("size", options.OrderBy);
        Assert.Equal("DESC", options.OrderDirection);
        Assert.False(options.UsesRelay);
        Assert.Equal("alicloud_tv", options.DriverTxt);
        Assert.False(options.UseTrash);
        Assert.True(options.RapidUpload);
        Assert.True(options.InternalUpload);
        Assert.Equal("mov", options.LivpDownloadFormat);
        Assert.Equal(new Uri("http://127.0.0.1:9/"), options.ApiBaseUrl);
        Assert.Equal(0, options.RateLimitList);
        Assert.Equal(2, options.RateLimitLink);
        Assert.Equal(-1, options.RateLimitOther);
    }

    [Fact]
    public void Bind_AcceptsTheSnakeCaseAccessToken()
    {
        Assert.Equal("tok", Bind("""{"access_token":"tok"}""").AccessToken);
    }

    [Fact]
    public void Validate_ReportsEveryBadSelectValueAtOnce()
    {
        var errors = _factory.Validate(
            Json("""
                {"refresh_token":"r","drive_type":"photos","order_by":"random","order_direction":"up","alipan_type":"tv",
                 "remove_way":"shred","livp_download_format":"png"}
                """),
            Context);
        Assert.Equal(
            ["alipan_type", "drive_type", "livp_download_format", "order_by", "order_direction", "remove_way"],
            errors.Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.Contains(errors, e => e.Key == "drive_type" && e.Message.Contains("\"default\", \"resource\", \"backup\"", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"refresh_token":"r","use_online_api":false}""")]
    [InlineData("""{"refresh_token":"r","use_online_api":true,"api_url_address":""}""")]
    [InlineData("""{"refresh_token":"r","use_online_api":false,"client_id":"id"}""")]
    [InlineData("""{"refresh_token":"r","use_online_api":false,"client_secret":"s"}""")]
    public void Validate_OwnKeysWithoutClientIdOrSecret_SaysSoAndNamesTheKeys(string addition)
    {
        var error = Assert.Single(_factory.Validate(Json(addition), Context));
        Assert.Contains("empty ClientID or ClientSecret", error.Message, StringComparison.Ordinal);
        Assert.Contains("client_id", error.Message, StringComparison.Ordinal);
        Assert.Contains("client_secret", error.Message, StringComparison.Ordinal);
        Assert.Contains(error.Key, new[] { "client_id", "client_secret" });
    }

    [Fact]
    public void Validate_OwnKeysWithBothKeys_IsFine()
    {
        Assert.Empty(_factory.Validate(Json("""{"refresh_token":"r","use_online_api":false,"client_id":"id","client_secret":"s"}"""), Context));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"refresh_token":"","AccessToken":""}""")]
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
        Assert.Empty(_factory.Validate(Json("""{"AccessToken":"a.b.c","use_online_api":false}"""), Context));
    }

    [Fact]
    public void Validate_ReportsNonAbsoluteUrls_AndBadTypes_AllAtOnce()
    {
        var errors = _factory.Validate(
            Json("""
                {"refresh_token":"r","api_base_url":"openapi.alipan.com","api_url_address":"/renewapi","use_online_api":"maybe",
                 "rapid_upload":1,"rate_limit_list":"fast","root_folder_id":7}
                """),
            Context);
        Assert.Equal(
            ["api_base_url", "api_url_address", "rapid_upload", "rate_limit_list", "root_folder_id", "use_online_api"],
            errors.Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.Contains(errors, e => e.Key == "api_base_url" && e.Message.Contains("absolute", StringComparison.Ordinal));
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
        var errors = _factory.Validate(Json("""{"refresh_token":"SECRET-RT","use_online_api":false,"client_secret":"SECRET-CS","drive_type":"x"}"""), Context);
        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.DoesNotContain("SECRET", e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Create_RefusesAnInvalidAddition()
    {
        Assert.Throws<ArgumentException>(() => _factory.Create(Json("""{"drive_type":"x"}"""), Context));
    }

    [Fact]
    public void Create_BuildsADriverThatDeclaresItsCapabilities()
    {
        var driver = _factory.Create(Json("""{"refresh_token":"r"}"""), Context);
        Assert.IsType<AliyundriveOpenDriver>(driver);
        Assert.Equal(["sha1"], driver.Capabilities.Hashes);
        Assert.Null(driver.Capabilities.ModTimePrecision);
        Assert.True(driver.Capabilities.EmptyDirectories);
        Assert.False(driver.Capabilities.CaseInsensitive);
    }
}
