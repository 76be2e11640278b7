using System.Net;
using System.Text.Json;

namespace OpenList.DriverHost.CloudFakes.Tests.DiskTop;

/// <summary>Fault injection on Disk.Top operations (API paths, "chunk", "download") and the request log.</summary>
public sealed class FaultTests
{
    [Fact]
    public async Task FailNext_on_an_api_path_answers_the_envelope_and_the_log_names_the_operation()
    {
        await using var s = await DiskTopScenario.StartAsync();
        s.Cloud.Faults.FailNext("/v1/files", 1, 503);
        var failed = DiskTopAssert.Error(await s.ApiGetAsync("/v1/files"), HttpStatusCode.ServiceUnavailable);
        Assert.Equal(JsonValueKind.Null, failed.GetProperty("data").ValueKind);
        DiskTopAssert.Ok(await s.ApiGetAsync("/v1/files"));

        s.Cloud.Faults.Throttle("/v1/files/{id}", 1, TimeSpan.FromSeconds(3));
        var id = s.Account.AddFile(s.Sandbox + "/a.txt", [1]);
        var throttled = await s.ApiGetAsync($"/v1/files/{id}");
        DiskTopAssert.Error(throttled, HttpStatusCode.TooManyRequests);
        Assert.Equal(TimeSpan.FromSeconds(3), throttled.Headers.RetryAfter!.Delta);

        Assert.Equal(2, s.Cloud.Requests.Count("/v1/files"));
        Assert.Equal(1, s.Cloud.Requests.Count("/v1/files/{id}"));
        Assert.All(s.Cloud.Requests.Snapshot(), r => Assert.Equal("disktop", r.Provider));
    }

    [Fact]
    public async Task OAuth_faults_use_the_oauth_error_shape()
    {
        await using var s = await DiskTopScenario.StartAsync();
        s.Cloud.Faults.FailNext("/oauth/token", 1, 500);
        DiskTopAssert.OAuthError(await s.RefreshAsync(s.Tokens.RefreshToken), HttpStatusCode.InternalServerError, "server_error");
        Assert.Equal(HttpStatusCode.OK, (await s.RefreshAsync(s.Tokens.RefreshToken)).Status); // the fault spent nothing
    }

    [Fact]
    public async Task FailChunk_fails_one_part_n_times_and_the_upload_resumes()
    {
        await using var s = await UploadTests.Start();
        var content = UploadTests.Bytes(3000, 21);
        var session = DiskTopAssert.Ok(await UploadTests.Precreate(s, "a.bin", content));
        var (endpoint, id) = (session.GetProperty("endpoint").GetString()!, session.GetProperty("upload_id").GetString()!);
        s.Fake.FailChunk(2, times: 2, status: 502);

        DiskTopAssert.Ok(await UploadTests.SendChunk(s, endpoint, id, 1, content));
        DiskTopAssert.Error(await UploadTests.SendChunk(s, endpoint, id, 2, content), HttpStatusCode.BadGateway);
        DiskTopAssert.Error(await UploadTests.SendChunk(s, endpoint, id, 2, content), HttpStatusCode.BadGateway);
        DiskTopAssert.Ok(await UploadTests.SendChunk(s, endpoint, id, 3, content));
        Assert.Equal([1, 3], DiskTopAssert.Ok(await s.GetAsync($"{endpoint}/u/{id}/parts")).GetProperty("received_parts").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal((HttpStatusCode)425, (await s.PostEmptyAsync($"{endpoint}/u/{id}/complete")).Status);

        DiskTopAssert.Ok(await UploadTests.SendChunk(s, endpoint, id, 2, content));
        DiskTopAssert.Ok(await s.PostEmptyAsync($"{endpoint}/u/{id}/complete"));
        Assert.Equal(content, s.Account.ReadAll(s.Sandbox + "/a.bin"));
        Assert.Equal(5, s.Cloud.Requests.Count("chunk"));
    }

    [Fact]
    public async Task FailChunkRequest_cuts_the_nth_request_and_storeFirst_keeps_the_chunk()
    {
        await using var s = await UploadTests.Start();
        var content = UploadTests.Bytes(4000, 22);
        var session = DiskTopAssert.Ok(await UploadTests.Precreate(s, "a.bin", content));
        var (endpoint, id) = (session.GetProperty("endpoint").GetString()!, session.GetProperty("upload_id").GetString()!);
        s.Fake.FailChunkRequest(2, status: 0);
        s.Fake.FailChunkRequest(3, status: 500, storeFirst: true);

        DiskTopAssert.Ok(await UploadTests.SendChunk(s, endpoint, id, 1, content));
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => UploadTests.SendChunk(s, endpoint, id, 2, content));
        DiskTopAssert.Error(await UploadTests.SendChunk(s, endpoint, id, 3, content), HttpStatusCode.InternalServerError);
        Assert.Equal([1, 3], DiskTopAssert.Ok(await s.GetAsync($"{endpoint}/u/{id}/parts")).GetProperty("received_parts").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Contains(s.Cloud.Requests.Snapshot(), r => r.Operation == "chunk" && r.Aborted);
    }

    [Fact]
    public async Task Generic_faults_reach_the_upload_service_and_download_links()
    {
        await using var s = await UploadTests.Start();
        var content = UploadTests.Bytes(1000, 23);
        var session = DiskTopAssert.Ok(await UploadTests.Precreate(s, "a.bin", content));
        var (endpoint, id) = (session.GetProperty("endpoint").GetString()!, session.GetProperty("upload_id").GetString()!);
        s.Cloud.Faults.FailNext("chunk", 1, 503);
        DiskTopAssert.Error(await UploadTests.SendChunk(s, endpoint, id, 1, content), HttpStatusCode.ServiceUnavailable);
        DiskTopAssert.Ok(await UploadTests.SendChunk(s, endpoint, id, 1, content));
        s.Cloud.Faults.FailNext("/u/{upload_id}/complete", 1, 502);
        DiskTopAssert.Error(await s.PostEmptyAsync($"{endpoint}/u/{id}/complete"), HttpStatusCode.BadGateway);
        var done = DiskTopAssert.Ok(await s.PostEmptyAsync($"{endpoint}/u/{id}/complete"));

        var url = DiskTopAssert.Ok(await s.ApiGetAsync($"/v1/files/{done.GetProperty("file_id").GetInt64()}/download")).GetProperty("url").GetString()!;
        s.Cloud.Faults.FailNext("download", 1, 500);
        s.Fake.ErrorsAsHttp200 = true; // links keep real statuses
        Assert.Equal(HttpStatusCode.InternalServerError, (await s.GetAsync(url)).Status);
        s.Cloud.Faults.DropDownloadAfter(100, 1);
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => s.Http.GetByteArrayAsync(url));
        Assert.Equal(content, await s.Http.GetByteArrayAsync(url));
    }

    [Fact]
    public async Task Admin_route_makes_an_account_with_tokens_for_scripts()
    {
        await using var s = await DiskTopScenario.StartAsync();
        using var response = await s.Http.PostAsync("/_fake/disktop/accounts?scope=user.read+files.read_all", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        foreach (var field in new[] { "client_id", "client_secret", "access_token", "refresh_token" })
        {
            Assert.False(string.IsNullOrEmpty(json.GetProperty(field).GetString()), field);
        }

        Assert.Equal("user.read files.read_all", json.GetProperty("scope").GetString());
        var info = DiskTopAssert.Ok(await s.GetAsync("/v1/user/info", json.GetProperty("access_token").GetString()));
        Assert.Equal(json.GetProperty("uid").GetInt64(), info.GetProperty("uid").GetInt64());
        var refreshed = await s.PostFormAsync("/oauth/token", [("grant_type", "refresh_token"), ("refresh_token", json.GetProperty("refresh_token").GetString()!), ("client_id", json.GetProperty("client_id").GetString()!), ("client_secret", json.GetProperty("client_secret").GetString()!)], "");
        Assert.Equal(HttpStatusCode.OK, refreshed.Status);

        using var bad = await s.Http.PostAsync("/_fake/disktop/accounts?scope=files.everything", null);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);

        var code = await s.PostFormAsync("/oauth/device-code", [("client_id", DiskTopScenario.ClientId)], "");
        using var approve = await s.Http.PostAsync("/_fake/disktop/device/approve?user_code=" + code.Str("user_code"), null);
        Assert.Equal(HttpStatusCode.NoContent, approve.StatusCode);
        Assert.Empty(s.Fake.PendingUserCodes);
    }
}
