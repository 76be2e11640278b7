using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using OpenList.DriverHost.CloudFakes.Tests.TestSupport;

namespace OpenList.DriverHost.CloudFakes.Tests.Aliyun;

/// <summary>cloud-apis.md §2.2 / §6: errors are HTTP ≥ 400 + JSON {code, message}; success is 2xx JSON with strict types.</summary>
public sealed partial class ErrorShapeTests
{
    [Fact]
    public async Task Missing_or_unknown_bearer_token_is_401_AccessTokenInvalid()
    {
        await using var s = await Scenario.StartAsync();
        (await s.ApiAsync("user/getDriveInfo", null, accessToken: "")).AssertError(HttpStatusCode.Unauthorized, "AccessTokenInvalid");
        (await s.ApiAsync("user/getDriveInfo", null, accessToken: "not-a-token")).AssertError(HttpStatusCode.Unauthorized, "AccessTokenInvalid");
    }

    [Fact]
    public async Task Expired_access_token_is_401_AccessTokenExpired()
    {
        await using var s = await Scenario.StartAsync(manualClock: true);
        (await s.ApiAsync("user/getDriveInfo", null)).AssertOk();
        s.Clock!.Advance(TimeSpan.FromSeconds(7200));
        (await s.ApiAsync("user/getDriveInfo", null)).AssertError(HttpStatusCode.Unauthorized, "AccessTokenExpired");
    }

    [Fact]
    public async Task ExpireAccessTokensNow_expires_tokens_already_issued_only()
    {
        await using var s = await Scenario.StartAsync();
        s.Aliyun.ExpireAccessTokensNow();
        (await s.ApiAsync("user/getDriveInfo", null)).AssertError(HttpStatusCode.Unauthorized, "AccessTokenExpired");
        var fresh = s.Aliyun.IssueTokens(s.Account, Scenario.ClientId);
        (await s.ApiAsync("user/getDriveInfo", null, fresh.AccessToken)).AssertOk();
    }

    [Fact]
    public async Task Unknown_file_is_404_NotFound_File()
    {
        await using var s = await Scenario.StartAsync();
        (await s.ApiAsync("openFile/get", new { drive_id = s.Drive, file_id = "nope" })).AssertError(HttpStatusCode.NotFound, "NotFound.File");
    }

    [Fact]
    public async Task Another_users_drive_is_refused()
    {
        await using var s = await Scenario.StartAsync();
        var bob = s.Aliyun.CreateAccount("bob");
        (await s.ApiAsync("openFile/list", new { drive_id = bob.DriveId("resource"), parent_file_id = "root" })).AssertError(HttpStatusCode.NotFound, "NotFound.Drive");
    }

    [Fact]
    public async Task Wrong_json_type_and_non_json_body_are_400_InvalidParameter()
    {
        await using var s = await Scenario.StartAsync();
        (await s.ApiAsync("openFile/list", new { drive_id = s.Drive, parent_file_id = "root", limit = "many" })).AssertError(HttpStatusCode.BadRequest, "InvalidParameter.Limit");

        using var request = new HttpRequestMessage(HttpMethod.Post, "/adrive/v1.0/openFile/list") { Content = new StringContent("drive_id=1", Encoding.UTF8, "application/x-www-form-urlencoded") };
        request.Headers.Authorization = new("Bearer", s.Tokens.AccessToken);
        var response = await ApiResponse.ReadAsync(await s.Http.SendAsync(request));
        response.AssertError(HttpStatusCode.BadRequest, "InvalidParameter.ContentType");
    }

    [Fact]
    public async Task Drive_info_and_space_info_accept_an_empty_body()
    {
        await using var s = await Scenario.StartAsync();
        s.Account.AddFile("resource", "/a.bin", new byte[1000]);
        var info = await s.ApiAsync("user/getDriveInfo", null);
        info.AssertOk();
        Assert.Equal(s.Account.UserId, info.Str("user_id"));
        Assert.Equal(s.Account.DriveId("resource"), info.Str("resource_drive_id"));
        Assert.Equal(s.Account.DriveId("backup"), info.Str("backup_drive_id"));

        var space = await s.ApiAsync("user/getSpaceInfo", null);
        space.AssertOk();
        var personal = space.Json.GetProperty("personal_space_info");
        Assert.Equal(1000, personal.GetProperty("used_size").GetInt64());
        Assert.Equal(JsonValueKind.Number, personal.GetProperty("total_size").ValueKind);
    }

    [Fact]
    public async Task File_objects_have_strict_types_and_rfc3339_millisecond_times()
    {
        await using var s = await Scenario.StartAsync();
        var id = s.Account.AddFile("resource", "/Docs/Report.PDF", Encoding.UTF8.GetBytes("abc"), new DateTimeOffset(2019, 8, 20, 6, 51, 27, 292, TimeSpan.Zero));
        var file = await s.ApiAsync("openFile/get", new { drive_id = s.Drive, file_id = id });
        file.AssertOk();
        var json = file.Json;
        Assert.Equal(JsonValueKind.Number, json.GetProperty("size").ValueKind);
        Assert.Equal(3, json.GetProperty("size").GetInt64());
        Assert.Equal("file", json.GetProperty("type").GetString());
        Assert.Equal("Report.PDF", json.GetProperty("name").GetString());
        Assert.Equal("pdf", json.GetProperty("file_extension").GetString());
        Assert.Equal("sha1", json.GetProperty("content_hash_name").GetString());
        Assert.Equal("A9993E364706816ABA3E25717850C26C9CD0D89D", json.GetProperty("content_hash").GetString()); // SHA1("abc"), uppercase
        Assert.Equal("2019-08-20T06:51:27.292Z", json.GetProperty("updated_at").GetString());
        Assert.Matches(Rfc3339Millis(), json.GetProperty("created_at").GetString()!);

        var folder = await s.ApiAsync("openFile/get_by_path", new { drive_id = s.Drive, file_path = "/Docs" });
        folder.AssertOk();
        Assert.Equal("folder", folder.Str("type"));
        Assert.False(folder.Json.TryGetProperty("content_hash", out _));
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")]
    private static partial Regex Rfc3339Millis();
}
