using System.Text.Json;
using OpenList.DriverHost.Drivers.Errors;
using OpenList.DriverHost.Drivers.Open115;
using OpenList.DriverHost.Drivers.Open115.Models;
using OpenList.DriverHost.Drivers.Uploads;

namespace OpenList.DriverHost.Drivers.Tests.Open115;

/// <summary>The small pure pieces: the OSS V1 signature, OSS URLs, the part-size table, the sign-check range, the token-rejection rule, lenient wire types.</summary>
public sealed class Open115HelpersTests
{
    [Fact]
    public void Sign_MatchesTheOssDocumentationExample()
    {
        // OSS "Add a signature to the header" example: the documented string-to-sign and its signature.
        var signature = Open115UploadSession.Sign(
            "OtxrzxIsfpFjA7SwPzILwy8Bw21TLhquhboDYROV",
            "PUT",
            "text/html",
            "Thu, 17 Nov 2005 18:49:58 GMT",
            [new("X-OSS-Meta-Author", "foo@bar.com"), new("X-OSS-Magic", "abracadabra")],
            "/oss-example/nelson",
            "ODBGOERFMDMzQTczRUY3NUE3NzA5QzdFNUYzMDQxNEM=");
        Assert.Equal("26NBxoKdsyly4EDv6inkoDft/yA=", signature);
    }

    [Fact]
    public void Sign_DependsOnTheSubresourcesAndTheSecurityToken()
    {
        var date = "Mon, 01 Jan 2026 00:00:00 GMT";
        var a = Open115UploadSession.Sign("secret", "PUT", "application/octet-stream", date, [new("x-oss-security-token", "sts")], "/b/o?partNumber=1&uploadId=u");
        var b = Open115UploadSession.Sign("secret", "PUT", "application/octet-stream", date, [new("x-oss-security-token", "sts")], "/b/o?partNumber=2&uploadId=u");
        var c = Open115UploadSession.Sign("secret", "PUT", "application/octet-stream", date, [new("x-oss-security-token", "other")], "/b/o?partNumber=1&uploadId=u");
        Assert.NotEqual(a, b);
        Assert.NotEqual(a, c);
    }

    [Theory]
    [InlineData("http://127.0.0.1:4000", "bucket", "dir/obj 1", "uploads", "http://127.0.0.1:4000/bucket/dir/obj%201?uploads")]
    [InlineData("https://oss-cn-shenzhen.aliyuncs.com", "fhnfile", "a/b", "partNumber=1&uploadId=x", "https://fhnfile.oss-cn-shenzhen.aliyuncs.com/a/b?partNumber=1&uploadId=x")]
    [InlineData("oss-cn-shenzhen.aliyuncs.com", "fhnfile", "a", "", "https://fhnfile.oss-cn-shenzhen.aliyuncs.com/a")]
    [InlineData("http://localhost:9", "b", "o", "", "http://localhost:9/b/o")]
    public void ObjectUrl_IsPathStyleForAddressesAndVirtualHostedOtherwise(string endpoint, string bucket, string key, string query, string expected)
    {
        Assert.Equal(new Uri(expected), Open115UploadSession.ObjectUrl(endpoint, bucket, key, query));
    }

    [Theory]
    [InlineData(0L, 20L * 1024 * 1024)]
    [InlineData(300L * 1024 * 1024, 20L * 1024 * 1024)]
    [InlineData(128L << 30, 20L * 1024 * 1024)]
    [InlineData((128L << 30) + 1, 27487791L)]
    [InlineData((256L << 30) + 1, 41231687L)]
    [InlineData((384L << 30) + 1, 54975582L)]
    [InlineData((512L << 30) + 1, 82463373L)]
    [InlineData((768L << 30) + 1, 109951163L)]
    [InlineData((1L << 40) + 1, 5L << 30)]
    public void PartSize_FollowsTheTable(long fileSize, long partSize) => Assert.Equal(partSize, OssPartSize.For(fileSize));

    [Theory]
    [InlineData(0L, 0)]
    [InlineData(1L, 1)]
    [InlineData(300L * 1024 * 1024, 15)]
    [InlineData(300L * 1024 * 1024 + 1, 16)]
    public void PartCount_IsTheCeiling(long size, int count) => Assert.Equal(count, OssPartSize.Count(size, OssPartSize.For(size)));

    [Theory]
    [InlineData("0-0", 0L, 0L)]
    [InlineData("131072-262143", 131072L, 262143L)]
    [InlineData(" 5 - 9 ", 5L, 9L)]
    public void ParseSignCheck_ReadsTheInclusiveRange(string text, long start, long end)
    {
        Assert.Equal((start, end), Open115Driver.ParseSignCheck(text, StoragePath.Parse("/a")));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("9-5")]
    [InlineData("-1-5")]
    [InlineData("a-b")]
    [InlineData("7")]
    public void ParseSignCheck_RefusesWhatIsNotARange(string? text)
    {
        var e = Assert.Throws<StorageException>(() => Open115Driver.ParseSignCheck(text, StoragePath.Parse("/a")));
        Assert.Equal(StorageErrorKind.Unavailable, e.Kind);
    }

    [Theory]
    [InlineData(99L, true)]
    [InlineData(40140125L, true)]
    [InlineData(40140116L, true)]
    [InlineData(401L, true)]
    [InlineData(430004L, false)]
    [InlineData(20004L, false)]
    [InlineData(0L, false)]
    [InlineData(1401L, false)]
    public void IsTokenRejection_Is99OrAnyCodeStartingWith401(long code, bool expected)
    {
        // §1.2: the SDK's Is401Started, plus 99.
        Assert.Equal(expected, Open115ApiClient.IsTokenRejection(code));
    }

    [Fact]
    public void ListEntries_AcceptNumbersWhereStringsAreExpected_AndStringsWhereNumbersAre()
    {
        var json = """{"data":[{"fid":123,"fc":0,"fn":"a","fs":"42","upt":"1700000000","sha1":"x"}],"count":"1","cid":0}""";
        var page = JsonSerializer.Deserialize(json, Open115JsonContext.Default.Open115ListResponse)!;
        var file = Assert.Single(page.Data!)!;
        Assert.Equal("123", file.FileId);
        Assert.True(file.IsFolder);
        Assert.Equal(42, file.Size);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), file.Updated);
        Assert.Equal(1, page.Count);
        Assert.Equal("0", page.FolderId);
    }

    [Fact]
    public void QuotaSizes_AreReadAsNumbersOrNumericStrings()
    {
        var json = """{"user_id":1,"rt_space_info":{"all_total":{"size":"1000"},"all_remain":{"size":400.0},"all_use":{"size":600}}}""";
        var info = JsonSerializer.Deserialize(json, Open115JsonContext.Default.Open115UserInfo)!;
        Assert.Equal("1", info.UserId);
        Assert.Equal(1000, info.Space!.Total!.Size);
        Assert.Equal(400, info.Space.Remain!.Size);
        Assert.Equal(600, info.Space.Used!.Size);
    }

    [Theory]
    [InlineData("""{"callback":{"callback":"cb","callback_var":"vars"}}""", "cb", "vars")]
    [InlineData("""{"callback":[{"callback":"cb","callback_var":"vars"}]}""", "cb", "vars")]
    [InlineData("""{"callback":[]}""", null, null)]
    [InlineData("""{}""", null, null)]
    public void UploadInit_ReadsTheCallbackAsAnObjectOrAnArray(string json, string? callback, string? variables)
    {
        var init = JsonSerializer.Deserialize(json, Open115JsonContext.Default.Open115UploadInit)!;
        var pair = init.CallbackPair();
        Assert.Equal(callback, pair?.Callback);
        Assert.Equal(variables, pair?.CallbackVar);
    }
}
