using System.Net;
using System.Text;
using OpenList.DriverHost.CloudFakes.Tests.TestSupport;

namespace OpenList.DriverHost.CloudFakes.Tests.Aliyun;

/// <summary>cloud-apis.md §2.5 List: marker paging ending with next_marker "", limit ≤ 200, order, "" = default.</summary>
public sealed class ListTests
{
    [Fact]
    public async Task Marker_paging_walks_every_entry_once_and_ends_with_an_empty_marker()
    {
        await using var s = await Scenario.StartAsync();
        var expected = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            s.Account.AddFile("resource", $"/dir/f{i}.txt", [(byte)i]);
            expected.Add($"f{i}.txt");
        }

        s.Account.AddFolder("resource", "/dir/sub");
        expected.Add("sub");
        var parent = s.Account.FileId("resource", "/dir");

        var seen = new List<string>();
        var marker = "";
        var pages = 0;
        do
        {
            var page = await s.ApiAsync("openFile/list", new { drive_id = s.Drive, limit = 3, marker, order_by = "", order_direction = "", parent_file_id = parent });
            page.AssertOk();
            seen.AddRange(page.Json.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("name").GetString()!));
            marker = page.Str("next_marker");
            pages++;
        }
        while (marker != "");

        Assert.Equal(3, pages);
        Assert.Equal(expected.Order(StringComparer.Ordinal), seen);
    }

    [Fact]
    public async Task Limit_200_is_accepted_and_201_is_400_InvalidParameter_Limit()
    {
        await using var s = await Scenario.StartAsync();
        (await s.ApiAsync("openFile/list", new { drive_id = s.Drive, parent_file_id = "root", limit = 200 })).AssertOk();
        (await s.ApiAsync("openFile/list", new { drive_id = s.Drive, parent_file_id = "root", limit = 201 })).AssertError(HttpStatusCode.BadRequest, "InvalidParameter.Limit");
    }

    [Fact]
    public async Task Order_by_size_desc_is_honoured_and_trashed_entries_are_hidden()
    {
        await using var s = await Scenario.StartAsync();
        s.Account.AddFile("resource", "/small", new byte[1]);
        s.Account.AddFile("resource", "/big", new byte[100]);
        s.Account.AddFile("resource", "/middle", new byte[10]);
        var gone = s.Account.AddFile("resource", "/gone", new byte[1000]);
        (await s.ApiAsync("openFile/recyclebin/trash", new { drive_id = s.Drive, file_id = gone })).AssertOk();

        var page = await s.ApiAsync("openFile/list", new { drive_id = s.Drive, parent_file_id = "root", limit = 200, marker = "", order_by = "size", order_direction = "DESC" });
        page.AssertOk();
        Assert.Equal(["big", "middle", "small"], page.Json.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("name").GetString()!));
        Assert.Equal("", page.Str("next_marker"));
    }

    [Fact]
    public async Task Bad_marker_and_file_parent_are_rejected()
    {
        await using var s = await Scenario.StartAsync();
        var file = s.Account.AddFile("resource", "/x", Encoding.UTF8.GetBytes("x"));
        (await s.ApiAsync("openFile/list", new { drive_id = s.Drive, parent_file_id = "root", marker = "garbage!" })).AssertError(HttpStatusCode.BadRequest, "InvalidParameter.Marker");
        (await s.ApiAsync("openFile/list", new { drive_id = s.Drive, parent_file_id = file })).AssertError(HttpStatusCode.BadRequest, "InvalidParameter.ParentFileId");
        (await s.ApiAsync("openFile/list", new { drive_id = s.Drive, parent_file_id = "missing" })).AssertError(HttpStatusCode.NotFound, "NotFound.File");
    }
}
