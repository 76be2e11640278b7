using System.Net;
using System.Security.Cryptography;
using System.Text;
using OpenList.DriverHost.CloudFakes.Tests.TestSupport;

namespace OpenList.DriverHost.CloudFakes.Tests.Aliyun;

/// <summary>cloud-apis.md §2.6: create → PUT parts to upload_url → complete.</summary>
public sealed class UploadTests
{
    [Fact]
    public async Task Two_part_upload_assembles_parts_in_order()
    {
        await using var s = await Scenario.StartAsync();
        var create = await CreateAsync(s, "two.bin", parts: 2);
        create.AssertOk();
        Assert.False(create.Json.GetProperty("rapid_upload").GetBoolean());
        var partInfo = create.Json.GetProperty("part_info_list");
        Assert.Equal(2, partInfo.GetArrayLength());
        Assert.Equal("", partInfo[0].GetProperty("content_type").GetString());

        // Upload out of order: the result must still be part 1 then part 2.
        Assert.Equal(HttpStatusCode.OK, await PutAsync(s, partInfo[1].GetProperty("upload_url").GetString()!, "world"));
        Assert.Equal(HttpStatusCode.OK, await PutAsync(s, partInfo[0].GetProperty("upload_url").GetString()!, "hello "));
        Assert.Equal(HttpStatusCode.Conflict, await PutAsync(s, partInfo[0].GetProperty("upload_url").GetString()!, "hello "));

        var complete = await s.ApiAsync("openFile/complete", new { drive_id = s.Drive, file_id = create.Str("file_id"), upload_id = create.Str("upload_id") });
        complete.AssertOk();
        Assert.Equal("two.bin", complete.Str("name"));
        Assert.Equal(11, complete.Json.GetProperty("size").GetInt64());
        Assert.Equal(Convert.ToHexString(SHA1.HashData(Encoding.ASCII.GetBytes("hello world"))), complete.Str("content_hash"));
        Assert.Equal(create.Str("file_id"), complete.Str("file_id"));
        Assert.Equal("hello world", Encoding.ASCII.GetString(s.Account.ReadAll("resource", "/two.bin")));
    }

    [Fact]
    public async Task Complete_with_a_missing_part_is_400_and_the_file_does_not_appear()
    {
        await using var s = await Scenario.StartAsync();
        var create = await CreateAsync(s, "half.bin", parts: 2);
        await PutAsync(s, create.Json.GetProperty("part_info_list")[0].GetProperty("upload_url").GetString()!, "only part one");
        (await s.ApiAsync("openFile/complete", new { drive_id = s.Drive, file_id = create.Str("file_id"), upload_id = create.Str("upload_id") }))
            .AssertError(HttpStatusCode.BadRequest, "PartNotComplete");
        Assert.False(s.Account.Exists("resource", "/half.bin"));
    }

    [Fact]
    public async Task Upload_urls_expire_after_an_hour_and_getUploadUrl_renews_them()
    {
        await using var s = await Scenario.StartAsync(manualClock: true);
        var create = await CreateAsync(s, "late.bin", parts: 1);
        s.Clock!.Advance(TimeSpan.FromHours(1));
        Assert.Equal(HttpStatusCode.Forbidden, await PutAsync(s, create.Json.GetProperty("part_info_list")[0].GetProperty("upload_url").GetString()!, "data"));

        var renewed = await s.ApiAsync("openFile/getUploadUrl", new
        {
            drive_id = s.Drive,
            file_id = create.Str("file_id"),
            upload_id = create.Str("upload_id"),
            part_info_list = new[] { new { part_number = 1 } },
        });
        renewed.AssertOk();
        Assert.Equal(HttpStatusCode.OK, await PutAsync(s, renewed.Json.GetProperty("part_info_list")[0].GetProperty("upload_url").GetString()!, "data"));
        (await s.ApiAsync("openFile/complete", new { drive_id = s.Drive, file_id = create.Str("file_id"), upload_id = create.Str("upload_id") })).AssertOk();
    }

    [Fact]
    public async Task Check_name_mode_ignore_creates_a_second_entry_with_the_same_name()
    {
        await using var s = await Scenario.StartAsync();
        s.Account.AddFile("resource", "/same.txt", Encoding.ASCII.GetBytes("old"));
        var create = await CreateAsync(s, "same.txt", parts: 1);
        await PutAsync(s, create.Json.GetProperty("part_info_list")[0].GetProperty("upload_url").GetString()!, "new");
        (await s.ApiAsync("openFile/complete", new { drive_id = s.Drive, file_id = create.Str("file_id"), upload_id = create.Str("upload_id") })).AssertOk();

        var listing = await s.ApiAsync("openFile/list", new { drive_id = s.Drive, parent_file_id = "root", limit = 200 });
        Assert.Equal(2, listing.Json.GetProperty("items").EnumerateArray().Count(i => i.GetProperty("name").GetString() == "same.txt"));
    }

    [Fact]
    public async Task Local_timestamps_are_echoed_in_rfc3339()
    {
        await using var s = await Scenario.StartAsync();
        var create = await s.ApiAsync("openFile/create", new
        {
            drive_id = s.Drive,
            parent_file_id = "root",
            name = "stamped.txt",
            type = "file",
            check_name_mode = "ignore",
            local_created_at = "2020-01-02T03:04:05.000Z",
            local_modified_at = "2021-01-02T03:04:05.678Z",
            part_info_list = new[] { new { part_number = 1 } },
        });
        await PutAsync(s, create.Json.GetProperty("part_info_list")[0].GetProperty("upload_url").GetString()!, "x");
        var complete = await s.ApiAsync("openFile/complete", new { drive_id = s.Drive, file_id = create.Str("file_id"), upload_id = create.Str("upload_id") });
        Assert.Equal("2021-01-02T03:04:05.678Z", complete.Str("local_modified_at"));
    }

    internal static Task<ApiResponse> CreateAsync(Scenario s, string name, int parts) =>
        s.ApiAsync("openFile/create", new
        {
            drive_id = s.Drive,
            parent_file_id = "root",
            name,
            type = "file",
            check_name_mode = "ignore",
            local_created_at = "",
            local_modified_at = "",
            part_info_list = Enumerable.Range(1, parts).Select(n => new { part_number = n }).ToArray(),
        });

    internal static async Task<HttpStatusCode> PutAsync(Scenario s, string url, string body)
    {
        using var content = new ByteArrayContent(Encoding.ASCII.GetBytes(body));
        using var response = await s.Http.PutAsync(url, content);
        return response.StatusCode;
    }
}
