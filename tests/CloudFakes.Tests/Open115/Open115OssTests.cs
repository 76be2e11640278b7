using System.Net;
using System.Text;
using System.Text.Json;
using OpenList.DriverHost.CloudFakes.Tests.TestSupport;

namespace OpenList.DriverHost.CloudFakes.Tests.Open115;

/// <summary>cloud-apis.md §1.6: the OSS multipart upload with V1 signatures and the 115 callback.</summary>
public sealed class Open115OssTests
{
    private static async Task<(OssTestClient Oss, JsonElement Init)> StartUploadAsync(Open115Scenario s, string name, byte[] bytes, string target = "U_1_0")
    {
        var init = await Open115UploadTests.InitAsync(s, name, bytes, target);
        init.AssertOk();
        Assert.Equal(1, init.Data.GetProperty("status").GetInt32());
        var token = await s.GetAsync("/open/upload/get_token");
        token.AssertOk();
        var oss = new OssTestClient(s.Http, token.Data.Clone(), init.Data.GetProperty("bucket").GetString()!, init.Data.GetProperty("object").GetString()!, s.Now);
        return (oss, init.Data.Clone());
    }

    [Fact]
    public async Task Multipart_upload_with_callback_makes_the_file_appear()
    {
        await using var s = await Open115Scenario.StartAsync();
        var bytes = Open115UploadTests.Random((20 << 20) + 12345, 10);
        var folder = s.Account.AddFolder("/up");
        var (oss, init) = await StartUploadAsync(s, "big.bin", bytes, "U_1_" + folder);

        var uploadId = await oss.InitiateAsync();
        var etag1 = await oss.UploadPartAsync(uploadId, 1, bytes[..(20 << 20)]);
        var etag2 = await oss.UploadPartAsync(uploadId, 2, bytes[(20 << 20)..]);
        Assert.Equal("\"" + Convert.ToHexString(System.Security.Cryptography.MD5.HashData(bytes[(20 << 20)..])) + "\"", etag2);

        var complete = await oss.CompleteAsync(uploadId, [(1, etag1), (2, etag2)], init.GetProperty("callback"));
        complete.AssertOk(); // the callback's JSON, relayed by OSS
        Assert.Equal(init.GetProperty("pick_code").GetString(), complete.Data.GetProperty("pick_code").GetString());
        Assert.Equal(1, s.Fake.CallbackCount);
        Assert.Equal(Open115UploadTests.Sha1(bytes), await s.Account.Sha1Async("/up/big.bin"));
        Assert.Equal(init.GetProperty("pick_code").GetString(), s.Account.PickCode("/up/big.bin"));
        Assert.Equal(bytes, s.Account.ReadAll("/up/big.bin"));

        // It is listed with its SHA1 and can be downloaded by its pick code.
        var list = await s.GetAsync("/open/ufile/files", new Dictionary<string, string> { ["cid"] = folder, ["limit"] = "10", ["show_dir"] = "1" });
        Assert.Equal(Open115UploadTests.Sha1(bytes), list.Data[0].GetProperty("sha1").GetString());
        var url = await s.DownUrlAsync("/up/big.bin");
        Assert.Equal(bytes[^100..], (await s.DownloadAsync(url, "test-agent/1.0", "bytes=-100")).Bytes);

        // The same content again is now a rapid-upload hit, and the finished session refuses more OSS calls.
        var retry = await Open115UploadTests.InitAsync(s, "again.bin", bytes);
        Assert.Equal(7, retry.Data.GetProperty("status").GetInt32());
        Assert.Equal(HttpStatusCode.Forbidden, (await oss.SendAsync(HttpMethod.Post, "uploads")).Status);
        Assert.Equal(2, s.Cloud.Requests.Count("oss-initiate")); // the refused one is logged too
        Assert.Equal(2, s.Cloud.Requests.Count("oss-part"));
        Assert.Equal(1, s.Cloud.Requests.Count("oss-complete"));
    }

    [Fact]
    public async Task Wrong_signatures_and_credentials_are_refused_with_oss_errors()
    {
        await using var s = await Open115Scenario.StartAsync();
        var bytes = Open115UploadTests.Random(1000, 11);
        var (oss, _) = await StartUploadAsync(s, "a.bin", bytes);

        oss.Tamper = sts => sts.Replace("?sequential&uploads", "?uploads", StringComparison.Ordinal); // forgetting to sign "sequential"
        var forged = await oss.SendAsync(HttpMethod.Post, "sequential&uploads");
        Assert.Equal(HttpStatusCode.Forbidden, forged.Status);
        Assert.Equal("application/xml", forged.MediaType);
        Assert.Equal("SignatureDoesNotMatch", OssTestClient.Xml(forged.Body, "Code"));
        oss.Tamper = sts => sts;

        var secret = oss.AccessKeySecret;
        oss.AccessKeySecret = "wrong";
        Assert.Equal("SignatureDoesNotMatch", OssTestClient.Xml((await oss.SendAsync(HttpMethod.Post, "uploads")).Body, "Code"));
        oss.AccessKeySecret = secret;

        var token = oss.SecurityToken;
        oss.SecurityToken = null;
        Assert.Equal("InvalidSecurityToken", OssTestClient.Xml((await oss.SendAsync(HttpMethod.Post, "uploads")).Body, "Code"));
        oss.SecurityToken = token;

        var id = oss.AccessKeyId;
        oss.AccessKeyId = "STS.unknown";
        Assert.Equal("InvalidAccessKeyId", OssTestClient.Xml((await oss.SendAsync(HttpMethod.Post, "uploads")).Body, "Code"));
        oss.AccessKeyId = id;

        oss.DateOffset = TimeSpan.FromMinutes(20);
        Assert.Equal("RequestTimeTooSkewed", OssTestClient.Xml((await oss.SendAsync(HttpMethod.Post, "uploads")).Body, "Code"));
        oss.DateOffset = TimeSpan.Zero;

        var objectKey = oss.ObjectKey;
        oss.ObjectKey = objectKey + "x";
        Assert.Equal("AccessDenied", OssTestClient.Xml((await oss.SendAsync(HttpMethod.Post, "uploads")).Body, "Code"));
        oss.ObjectKey = objectKey;

        Assert.Equal(HttpStatusCode.OK, (await oss.SendAsync(HttpMethod.Post, "sequential&uploads")).Status);
        s.Fake.ExpireOssTokensNow();
        Assert.Equal("SecurityTokenExpired", OssTestClient.Xml((await oss.SendAsync(HttpMethod.Post, "uploads")).Body, "Code"));
    }

    [Fact]
    public async Task Another_users_credentials_cannot_touch_the_object()
    {
        await using var s = await Open115Scenario.StartAsync();
        var (oss, _) = await StartUploadAsync(s, "a.bin", Open115UploadTests.Random(1000, 12));
        var bob = s.Fake.CreateAccount("bob");
        var bobToken = await s.GetAsync("/open/upload/get_token", accessToken: s.Fake.IssueTokens(bob).AccessToken);
        var intruder = new OssTestClient(s.Http, bobToken.Data.Clone(), "fhnfile", oss.ObjectKey, s.Now);
        Assert.Equal("AccessDenied", OssTestClient.Xml((await intruder.SendAsync(HttpMethod.Post, "uploads")).Body, "Code"));
    }

    [Fact]
    public async Task Part_numbers_order_etags_and_sizes_are_checked()
    {
        await using var s = await Open115Scenario.StartAsync();
        var bytes = Open115UploadTests.Random(300 * 1024, 13);
        var (oss, init) = await StartUploadAsync(s, "p.bin", bytes);
        var uploadId = await oss.InitiateAsync();
        Assert.Equal(HttpStatusCode.BadRequest, (await oss.SendAsync(HttpMethod.Put, $"partNumber=0&uploadId={uploadId}", new ByteArrayContent([1]))).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await oss.SendAsync(HttpMethod.Put, $"partNumber=10001&uploadId={uploadId}", new ByteArrayContent([1]))).Status);
        Assert.Equal("NoSuchUpload", OssTestClient.Xml((await oss.SendAsync(HttpMethod.Put, "partNumber=1&uploadId=NOPE", new ByteArrayContent([1]))).Body, "Code"));

        var e1 = await oss.UploadPartAsync(uploadId, 1, bytes[..(50 * 1024)]);
        var e2 = await oss.UploadPartAsync(uploadId, 2, bytes[(50 * 1024)..]);
        var callback = init.GetProperty("callback");
        Assert.Equal("InvalidPartOrder", OssTestClient.Xml((await oss.CompleteAsync(uploadId, [(2, e2), (1, e1)], callback)).Body, "Code"));
        Assert.Equal("InvalidPart", OssTestClient.Xml((await oss.CompleteAsync(uploadId, [(1, e2), (2, e2)], callback)).Body, "Code"));
        Assert.Equal("InvalidPart", OssTestClient.Xml((await oss.CompleteAsync(uploadId, [(1, e1), (3, e2)], callback)).Body, "Code"));

        // §1.6: a file under 128 GiB is uploaded in 20 MiB parts, so a 300 KiB file is one part.
        var spec = await oss.CompleteAsync(uploadId, [(1, e1), (2, e2)], callback);
        Assert.Equal("InvalidArgument", OssTestClient.Xml(spec.Body, "Code"));
        Assert.Contains("§1.6", OssTestClient.Xml(spec.Body, "Message"), StringComparison.Ordinal);

        // OSS's own rule: parts before the last are at least 100 KiB.
        s.Fake.EnforceSpecPartSize = false;
        Assert.Equal("EntityTooSmall", OssTestClient.Xml((await oss.CompleteAsync(uploadId, [(1, e1), (2, e2)], callback)).Body, "Code"));

        var whole = await oss.UploadPartAsync(uploadId, 1, bytes);
        s.Fake.EnforceSpecPartSize = true;
        var done = await oss.CompleteAsync(uploadId, [(1, whole)], callback);
        done.AssertOk();
        Assert.Equal(bytes, s.Account.ReadAll("/p.bin"));
    }

    [Fact]
    public async Task Without_callback_headers_the_file_never_appears()
    {
        await using var s = await Open115Scenario.StartAsync();
        var bytes = Open115UploadTests.Random(1000, 14);
        var (oss, _) = await StartUploadAsync(s, "nocb.bin", bytes);
        var uploadId = await oss.InitiateAsync();
        var etag = await oss.UploadPartAsync(uploadId, 1, bytes);
        var complete = await oss.CompleteAsync(uploadId, [(1, etag)], callback: null);
        Assert.Equal(HttpStatusCode.OK, complete.Status);
        Assert.Equal("application/xml", complete.MediaType);
        Assert.Equal(oss.ObjectKey, OssTestClient.Xml(complete.Body, "Key"));
        Assert.False(s.Account.Exists("/nocb.bin"));
        Assert.Equal(0, s.Fake.CallbackCount);
    }

    [Fact]
    public async Task Content_that_does_not_match_init_is_refused_by_the_callback()
    {
        await using var s = await Open115Scenario.StartAsync();
        var bytes = Open115UploadTests.Random(1000, 15);
        var (oss, init) = await StartUploadAsync(s, "bad.bin", bytes);
        var uploadId = await oss.InitiateAsync();
        var other = Open115UploadTests.Random(1000, 16);
        var etag = await oss.UploadPartAsync(uploadId, 1, other);
        var complete = await oss.CompleteAsync(uploadId, [(1, etag)], init.GetProperty("callback"));
        Assert.Equal(HttpStatusCode.OK, complete.Status);
        Assert.Equal(JsonValueKind.False, complete.Json.GetProperty("state").ValueKind);
        Assert.False(s.Account.Exists("/bad.bin"));
    }

    [Fact]
    public async Task Tampered_callback_vars_or_url_fail_and_injected_callback_faults_are_203()
    {
        await using var s = await Open115Scenario.StartAsync();
        var bytes = Open115UploadTests.Random(1000, 17);
        var (oss, init) = await StartUploadAsync(s, "cb.bin", bytes);
        var callback = init.GetProperty("callback");

        var uploadId = await oss.InitiateAsync();
        var etag = await oss.UploadPartAsync(uploadId, 1, bytes);
        var wrongVars = OssTestClient.CallbackHeaders(callback);
        wrongVars["x-oss-callback-var"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"x:pick_code\":\"nope\"}"));
        var xml = $"<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>{etag}</ETag></Part></CompleteMultipartUpload>";
        var refused = await oss.SendAsync(HttpMethod.Post, "uploadId=" + uploadId, new StringContent(xml), wrongVars);
        Assert.Equal(JsonValueKind.False, refused.Json.GetProperty("state").ValueKind);
        Assert.False(s.Account.Exists("/cb.bin"));

        uploadId = await oss.InitiateAsync();
        etag = await oss.UploadPartAsync(uploadId, 1, bytes);
        var notBase64 = OssTestClient.CallbackHeaders(callback);
        notBase64["x-oss-callback"] = callback.GetProperty("callback").GetString()!;
        Assert.Equal("InvalidArgument", OssTestClient.Xml((await oss.CompleteAsync2(uploadId, etag, notBase64)).Body, "Code"));

        var elsewhere = OssTestClient.CallbackHeaders(callback);
        elsewhere["x-oss-callback"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"callbackUrl\":\"http://example.invalid/cb\",\"callbackBody\":\"a=b\"}"));
        var unreachable = await oss.CompleteAsync2(uploadId, etag, elsewhere);
        Assert.Equal((HttpStatusCode)203, unreachable.Status);
        Assert.Equal("CallbackFailed", OssTestClient.Xml(unreachable.Body, "Code"));

        uploadId = await oss.InitiateAsync();
        etag = await oss.UploadPartAsync(uploadId, 1, bytes);
        s.Cloud.Faults.FailNext("oss-callback", 1, 502);
        Assert.Equal((HttpStatusCode)203, (await oss.CompleteAsync(uploadId, [(1, etag)], callback)).Status);
        Assert.False(s.Account.Exists("/cb.bin"));

        uploadId = await oss.InitiateAsync();
        etag = await oss.UploadPartAsync(uploadId, 1, bytes);
        (await oss.CompleteAsync(uploadId, [(1, etag)], callback)).AssertOk();
        Assert.True(s.Account.Exists("/cb.bin"));
    }

    [Fact]
    public async Task PutObject_with_callback_works_for_small_files()
    {
        await using var s = await Open115Scenario.StartAsync();
        var bytes = Open115UploadTests.Random(777, 18);
        var (oss, init) = await StartUploadAsync(s, "small.bin", bytes);
        var put = await oss.SendAsync(HttpMethod.Put, "", new ByteArrayContent(bytes), OssTestClient.CallbackHeaders(init.GetProperty("callback")));
        put.AssertOk();
        Assert.Equal(bytes, s.Account.ReadAll("/small.bin"));
        Assert.Equal(1, s.Cloud.Requests.Count("oss-put"));
    }

    [Fact]
    public async Task Abort_discards_the_upload_and_list_parts_reports_parts()
    {
        await using var s = await Open115Scenario.StartAsync();
        var bytes = Open115UploadTests.Random(1000, 19);
        var (oss, _) = await StartUploadAsync(s, "ab.bin", bytes);
        var uploadId = await oss.InitiateAsync();
        var etag = await oss.UploadPartAsync(uploadId, 1, bytes);
        var parts = await oss.SendAsync(HttpMethod.Get, "uploadId=" + uploadId);
        Assert.Equal(etag, OssTestClient.Xml(parts.Body, "ETag"));
        Assert.Equal(HttpStatusCode.NoContent, (await oss.SendAsync(HttpMethod.Delete, "uploadId=" + uploadId)).Status);
        Assert.Equal("NoSuchUpload", OssTestClient.Xml((await oss.SendAsync(HttpMethod.Put, $"partNumber=1&uploadId={uploadId}", new ByteArrayContent(bytes))).Body, "Code"));
    }
}
