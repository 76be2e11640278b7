using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenList.DriverHost.CloudFakes.Tests.TestSupport;

namespace OpenList.DriverHost.CloudFakes.Tests.Open115;

/// <summary>Fault injection and the request log for 115 operations; the admin route.</summary>
public sealed class Open115FaultTests
{
    private const string Files = "/open/ufile/files";

    [Fact]
    public async Task Business_faults_are_http_200_with_the_code_and_count_down()
    {
        await using var s = await Open115Scenario.StartAsync();
        s.Fake.FailNextWithCode(Files, 40140125);
        s.Fake.FailNextWithCode(Files, 99);
        (await s.GetAsync(Files)).AssertError(40140125);
        (await s.GetAsync("/open/user/info")).AssertOk(); // other operations are unaffected
        (await s.GetAsync(Files)).AssertError(99);
        (await s.GetAsync(Files)).AssertOk();
        Assert.Equal(3, s.Cloud.Requests.Count(Files));
        Assert.All(s.Cloud.Requests.Snapshot().Where(r => r.Operation == Files), r => Assert.Equal("115", r.Provider));
    }

    [Fact]
    public async Task Http_faults_keep_the_envelope_and_passport_faults_use_the_passport_shape()
    {
        await using var s = await Open115Scenario.StartAsync();
        s.Cloud.Faults.FailNext(Files, 1, 503);
        var failed = await s.GetAsync(Files);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.Status);
        Assert.Equal(JsonValueKind.False, failed.Json.GetProperty("state").ValueKind);

        s.Cloud.Faults.Throttle("/open/ufile/downurl", 1, TimeSpan.FromSeconds(2));
        s.Account.AddFile("/a.bin", [1]);
        var throttled = await s.PostAsync("/open/ufile/downurl", new Dictionary<string, string> { ["pick_code"] = s.Account.PickCode("/a.bin") });
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.Status);
        Assert.Equal(TimeSpan.FromSeconds(2), throttled.Message.Headers.RetryAfter?.Delta);

        s.Fake.FailNextWithCode("/open/refreshToken", 40140121);
        (await s.RefreshAsync(s.Tokens.RefreshToken)).AssertPassportError(40140121);
        Assert.Equal(0, s.Fake.RefreshCount);
        Assert.Equal(1, (await s.RefreshAsync(s.Tokens.RefreshToken)).Json.GetProperty("state").GetInt32());
    }

    [Fact]
    public async Task Download_and_oss_faults_use_their_operation_names()
    {
        await using var s = await Open115Scenario.StartAsync();
        s.Account.AddFile("/a.bin", [1, 2, 3, 4]);
        var url = await s.DownUrlAsync("/a.bin");
        s.Cloud.Faults.FailNext("download", 1, 500);
        Assert.Equal(HttpStatusCode.InternalServerError, (await s.DownloadAsync(url, "test-agent/1.0")).Status);
        Assert.Equal([1, 2, 3, 4], (await s.DownloadAsync(url, "test-agent/1.0")).Bytes);

        var bytes = Open115UploadTests.Random(1000, 30);
        var init = await Open115UploadTests.InitAsync(s, "f.bin", bytes);
        var token = await s.GetAsync("/open/upload/get_token");
        var oss = new OssTestClient(s.Http, token.Data.Clone(), "fhnfile", init.Data.GetProperty("object").GetString()!, s.Now);
        var uploadId = await oss.InitiateAsync();
        s.Cloud.Faults.FailNext("oss-part", 1, 503);
        var failed = await oss.SendAsync(HttpMethod.Put, $"partNumber=1&uploadId={uploadId}", new ByteArrayContent(bytes));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.Status);
        Assert.Equal("application/xml", failed.MediaType);
        var etag = await oss.UploadPartAsync(uploadId, 1, bytes);
        (await oss.CompleteAsync(uploadId, [(1, etag)], init.Data.GetProperty("callback"))).AssertOk();
        Assert.Equal(2, s.Cloud.Requests.Count("oss-part"));
    }

    [Fact]
    public async Task Admin_route_creates_an_account_whose_tokens_work()
    {
        await using var s = await Open115Scenario.StartAsync();
        using var response = await s.Http.PostAsync("/_fake/115/accounts?name=script", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        var info = await s.GetAsync("/open/user/info", accessToken: created.GetProperty("access_token").GetString());
        info.AssertOk();
        Assert.Equal(created.GetProperty("user_id").GetString(), info.Data.GetProperty("user_id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("script", info.Data.GetProperty("user_name").GetString());
        Assert.Equal(1, (await s.RefreshAsync(created.GetProperty("refresh_token").GetString()!)).Json.GetProperty("state").GetInt32());

        using var expire = await s.Http.PostAsync("/_fake/115/expire-access-tokens", null);
        Assert.Equal(HttpStatusCode.NoContent, expire.StatusCode);
        (await s.GetAsync("/open/user/info")).AssertError(40140125);
    }
}
