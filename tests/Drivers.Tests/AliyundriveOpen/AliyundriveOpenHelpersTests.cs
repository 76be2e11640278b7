using System.Security.Cryptography;
using System.Text;
using OpenList.DriverHost.Drivers.AliyundriveOpen;
using OpenList.DriverHost.Drivers.Uploads;

#pragma warning disable CA5350, CA5351 // SHA1 and MD5 are the provider's content hash and proof derivation

namespace OpenList.DriverHost.Drivers.Tests.AliyundriveOpen;

/// <summary>The small pure pieces: JWT claims, the part-size table, the upload time format and the rapid-upload proof.</summary>
public sealed class AliyundriveOpenHelpersTests
{
    private static string Jwt(string payloadJson, bool pad = false, bool urlSafe = false)
    {
        var payload = Convert.ToBase64String(Encoding.UTF8.GetBytes(payloadJson));
        if (!pad)
        {
            payload = payload.TrimEnd('=');
        }

        if (urlSafe)
        {
            payload = payload.Replace('+', '-').Replace('/', '_');
        }

        return "eyJhbGciOiJIUzI1NiJ9." + payload + ".c2ln";
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void Subject_ReadsTheSubClaim_WithOrWithoutPadding(bool pad, bool urlSafe)
    {
        // §2.3: the middle segment is standard base64 without padding (Go's RawStdEncoding).
        Assert.Equal("user-1", AliyundriveOpenJwt.Subject(Jwt("""{"sub":"user-1","exp":1}""", pad, urlSafe)));
        Assert.Equal("user-1", AliyundriveOpenJwt.Subject(Jwt("""{"sub":"user-1"}""", pad, urlSafe)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("opaque-token")]
    [InlineData("a.b")]
    [InlineData("a.!!!.c")]
    [InlineData("a.bm90IGpzb24.c")]
    public void Subject_IsNull_ForSomethingThatIsNotAJwt(string token) => Assert.Null(AliyundriveOpenJwt.Subject(token));

    [Fact]
    public void Expiry_ReadsExp()
    {
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_900_000_000), AliyundriveOpenJwt.Expiry(Jwt("""{"sub":"u","exp":1900000000}""")));
        Assert.Null(AliyundriveOpenJwt.Expiry(Jwt("""{"sub":"u"}""")));
        Assert.Null(AliyundriveOpenJwt.Expiry("not-a-jwt"));
    }

    [Theory]
    [InlineData(0L, 20L * 1024 * 1024)]
    [InlineData(1L, 20L * 1024 * 1024)]
    [InlineData(128L << 30, 20L * 1024 * 1024)]
    [InlineData((128L << 30) + 1, 27487791L)]
    [InlineData((256L << 30) + 1, 41231687L)]
    [InlineData((384L << 30) + 1, 54975582L)]
    [InlineData((512L << 30) + 1, 82463373L)]
    [InlineData((768L << 30) + 1, 109951163L)]
    [InlineData(1L << 40, 109951163L)]
    [InlineData((1L << 40) + 1, 5L << 30)]
    public void PartSize_FollowsTheTable(long fileSize, long partSize) => Assert.Equal(partSize, OssPartSize.For(fileSize));

    [Theory]
    [InlineData(0L, 0)]
    [InlineData(1L, 1)]
    [InlineData(20L * 1024 * 1024, 1)]
    [InlineData(20L * 1024 * 1024 + 1, 2)]
    public void PartCount_IsTheCeiling(long size, int count) => Assert.Equal(count, OssPartSize.Count(size, OssPartSize.Default));

    [Fact]
    public void FormatTime_IsGosLayoutInUtc()
    {
        // §2.6: 2006-01-02T15:04:05.000Z
        var time = new DateTimeOffset(2024, 3, 5, 8, 9, 10, 123, TimeSpan.FromHours(8));
        Assert.Equal("2024-03-05T00:09:10.123Z", AliyundriveOpenDriver.FormatTime(time));
    }

    [Fact]
    public async Task SpooledBody_GivesTheHashesAndTheProofOfSection26()
    {
        var content = new byte[300_000];
        new Random(5).NextBytes(content);
        var temp = Path.Join(Path.GetTempPath(), "aliyun-tests-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using (var body = await AliyundriveOpenUploadBody.OpenAsync(StoragePath.Parse("/x.bin"), new MemoryStream(content), null, spool: true, temp, CancellationToken.None))
            {
                Assert.Equal(content.Length, body.Length);
                Assert.Equal(Convert.ToHexStringLower(SHA1.HashData(content)), body.Sha1);
                Assert.Equal(Convert.ToHexStringLower(SHA1.HashData(content.AsSpan(0, 1024))), body.PreHash());

                const string token = "access-token-for-the-proof";
                var md5 = Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(token)));
                var start = (long)(Convert.ToUInt64(md5[..16], 16) % (ulong)content.Length);
                var expected = Convert.ToBase64String(content.AsSpan((int)start, (int)Math.Min(8, content.Length - start)));
                Assert.Equal(expected, body.ProofCode(token));
                Assert.Single(Directory.GetFiles(temp));
            }

            Assert.Empty(Directory.GetFiles(temp)); // the spool file is gone with the body
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }
    }
}
