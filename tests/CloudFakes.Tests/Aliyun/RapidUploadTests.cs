using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using OpenList.DriverHost.CloudFakes.Tests.TestSupport;

namespace OpenList.DriverHost.CloudFakes.Tests.Aliyun;

/// <summary>cloud-apis.md §2.6 steps 3–4: pre_hash → 409 PreHashMatched → proof → rapid_upload.</summary>
public sealed class RapidUploadTests
{
    private const long Size = 300 * 1024;
    private const long Seed = 7;

    [Fact]
    public async Task Matching_pre_hash_is_409_PreHashMatched_and_a_valid_proof_uploads_without_data()
    {
        await using var s = await Scenario.StartAsync();
        s.Account.AddSyntheticFile("resource", "/existing.bin", Size, Seed);
        var bytes = Synthetic();

        var preHash = Convert.ToHexStringLower(SHA1.HashData(bytes.AsSpan(0, 1024)));
        var first = await CreateAsync(s, new { pre_hash = preHash });
        first.AssertError(HttpStatusCode.Conflict, "PreHashMatched");

        var proof = await CreateAsync(s, new
        {
            content_hash = Convert.ToHexStringLower(SHA1.HashData(bytes)),
            content_hash_name = "sha1",
            proof_version = "v1",
            proof_code = ProofCode(s.Tokens.AccessToken, bytes),
        });
        proof.AssertOk();
        Assert.True(proof.Json.GetProperty("rapid_upload").GetBoolean());

        var complete = await s.ApiAsync("openFile/complete", new { drive_id = s.Drive, file_id = proof.Str("file_id"), upload_id = proof.Str("upload_id") });
        complete.AssertOk();
        Assert.Equal(Size, complete.Json.GetProperty("size").GetInt64());
        Assert.Equal(bytes, s.Account.ReadAll("resource", "/copy.bin"));
        Assert.Equal(0, s.Cloud.Requests.Count("upload-part"));
    }

    [Fact]
    public async Task Wrong_proof_is_400_InvalidParameter_ProofCode()
    {
        await using var s = await Scenario.StartAsync();
        s.Account.AddSyntheticFile("resource", "/existing.bin", Size, Seed);
        var bytes = Synthetic();
        var wrong = await CreateAsync(s, new
        {
            content_hash = Convert.ToHexString(SHA1.HashData(bytes)),
            content_hash_name = "sha1",
            proof_version = "v1",
            proof_code = Convert.ToBase64String(new byte[8]),
        });
        wrong.AssertError(HttpStatusCode.BadRequest, "InvalidParameter.ProofCode");
        Assert.False(s.Account.Exists("resource", "/copy.bin"));
    }

    [Fact]
    public async Task Unmatched_pre_hash_starts_a_normal_upload()
    {
        await using var s = await Scenario.StartAsync();
        s.Account.AddSyntheticFile("resource", "/existing.bin", Size, Seed);
        var other = await CreateAsync(s, new { pre_hash = new string('0', 40) });
        other.AssertOk();
        Assert.False(other.Json.GetProperty("rapid_upload").GetBoolean());
        Assert.Equal(1, other.Json.GetProperty("part_info_list").GetArrayLength());
    }

    private static byte[] Synthetic()
    {
        var bytes = new byte[Size];
        SyntheticContent.Fill(Seed, 0, bytes);
        return bytes;
    }

    /// <summary>The v1 proof, computed independently of the fake.</summary>
    private static string ProofCode(string accessToken, byte[] content)
    {
        var md5 = Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(accessToken)));
        var x = ulong.Parse(md5[..16], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        var start = (long)(x % (ulong)content.Length);
        var end = Math.Min(start + 8, content.Length);
        return Convert.ToBase64String(content.AsSpan((int)start, (int)(end - start)));
    }

    private static Task<ApiResponse> CreateAsync(Scenario s, object extra)
    {
        var body = new Dictionary<string, object>
        {
            ["drive_id"] = s.Drive,
            ["parent_file_id"] = "root",
            ["name"] = "copy.bin",
            ["type"] = "file",
            ["check_name_mode"] = "ignore",
            ["size"] = Size,
            ["part_info_list"] = new[] { new { part_number = 1 } },
        };
        foreach (var property in extra.GetType().GetProperties())
        {
            body[property.Name] = property.GetValue(extra)!;
        }

        return s.ApiAsync("openFile/create", body);
    }
}
