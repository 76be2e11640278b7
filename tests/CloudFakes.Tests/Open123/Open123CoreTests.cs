using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace OpenList.DriverHost.CloudFakes.Tests.Open123;

public sealed class Open123CoreTests
{
    [Fact]
    public async Task ListingHasTheDocumentedTypesAndUtc8Times()
    {
        await using var s = await Open123Scenario.StartAsync(manualClock: true);
        var id = s.Account.AddFile("/docs/a.txt", "hello"u8.ToArray());
        var folder = s.Account.FileId("/docs")!.Value;

        var root = await s.ListAsync(0);
        root.AssertOk();
        Assert.Equal(-1, root.Data.GetProperty("lastFileId").GetInt64());
        var folderEntry = Assert.Single(root.Data.GetProperty("fileList").EnumerateArray());
        Assert.Equal(folder, folderEntry.GetProperty("fileId").GetInt64());
        Assert.Equal(1, folderEntry.GetProperty("type").GetInt32());
        Assert.Equal("", folderEntry.GetProperty("etag").GetString());

        var list = await s.ListAsync(folder);
        var entry = Assert.Single(list.Data.GetProperty("fileList").EnumerateArray());
        Assert.Equal(JsonValueKind.Number, entry.GetProperty("fileId").ValueKind);
        Assert.Equal(id, entry.GetProperty("fileId").GetInt64());
        Assert.Equal("a.txt", entry.GetProperty("filename").GetString());
        Assert.Equal(0, entry.GetProperty("type").GetInt32());
        Assert.Equal(JsonValueKind.Number, entry.GetProperty("size").ValueKind);
        Assert.Equal(5, entry.GetProperty("size").GetInt64());
        Assert.Equal(Convert.ToHexStringLower(MD5.HashData("hello"u8)), entry.GetProperty("etag").GetString());
        Assert.Equal(JsonValueKind.Number, entry.GetProperty("status").ValueKind);
        Assert.Equal(folder, entry.GetProperty("parentFileId").GetInt64());
        Assert.Equal(JsonValueKind.Number, entry.GetProperty("category").ValueKind);
        Assert.Equal(0, entry.GetProperty("trashed").GetInt32());
        Assert.Equal(JsonValueKind.String, entry.GetProperty("s3KeyFlag").ValueKind);
        // The manual clock starts at 2025-03-01 08:00 UTC = 16:00 in UTC+8.
        Assert.Equal("2025-03-01 16:00:00", entry.GetProperty("createAt").GetString());
        Assert.Equal("2025-03-01 16:00:00", entry.GetProperty("updateAt").GetString());
    }

    [Fact]
    public async Task PagingFollowsLastFileIdAndEndsWithMinusOne()
    {
        await using var s = await Open123Scenario.StartAsync();
        var ids = Enumerable.Range(0, 7).Select(i => s.Account.AddFile($"/f{i}.txt", [(byte)i])).ToList();
        var seen = new List<long>();
        long last = 0;
        var pages = 0;
        while (last != -1)
        {
            var page = await s.ListAsync(0, limit: 3, lastFileId: last);
            page.AssertOk();
            seen.AddRange(page.Data.GetProperty("fileList").EnumerateArray().Select(e => e.GetProperty("fileId").GetInt64()));
            last = page.Data.GetProperty("lastFileId").GetInt64();
            pages++;
        }

        Assert.Equal(ids, seen);
        Assert.Equal(3, pages);
    }

    [Theory]
    [InlineData(101)]
    [InlineData(0)]
    public async Task ListLimitOutsideOneToHundredIsRefused(int limit)
    {
        await using var s = await Open123Scenario.StartAsync();
        var answer = await s.GetAsync($"/api/v2/file/list?parentFileId=0&limit={limit}");
        answer.AssertCode(1);
    }

    [Fact]
    public async Task ListWithoutLimitIsRefused()
    {
        await using var s = await Open123Scenario.StartAsync();
        (await s.GetAsync("/api/v2/file/list?parentFileId=0")).AssertCode(1);
    }

    [Fact]
    public async Task TrashedEntriesStayInTheListingMarkedTrashed()
    {
        await using var s = await Open123Scenario.StartAsync();
        s.Account.AddFile("/keep.txt", "k"u8.ToArray());
        var gone = s.Account.AddFile("/gone.txt", "g"u8.ToArray());
        s.Account.TrashFile("/gone.txt");

        var list = await s.ListAsync(0);
        var entries = list.Data.GetProperty("fileList").EnumerateArray().ToDictionary(e => e.GetProperty("filename").GetString()!, e => e);
        Assert.Equal(2, entries.Count);
        Assert.Equal(1, entries["gone.txt"].GetProperty("trashed").GetInt32());
        Assert.Equal(gone, entries["gone.txt"].GetProperty("fileId").GetInt64());
        Assert.Equal(0, entries["keep.txt"].GetProperty("trashed").GetInt32());
        Assert.False(s.Account.Exists("/gone.txt"));
    }

    [Fact]
    public async Task DownloadInfoLinkServesRanges()
    {
        await using var s = await Open123Scenario.StartAsync();
        var bytes = Encoding.ASCII.GetBytes("0123456789abcdef");
        var id = s.Account.AddFile("/r.bin", bytes);
        var info = await s.GetAsync($"/api/v1/file/download_info?fileId={id}");
        info.AssertOk();
        var url = info.Data.GetProperty("downloadUrl").GetString()!;

        using var whole = await s.RawGetAsync(url);
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal(bytes, await whole.Content.ReadAsByteArrayAsync());

        using var part = await s.RawGetAsync(url, "bytes=4-7");
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal("bytes 4-7/16", part.Content.Headers.ContentRange!.ToString());
        Assert.Equal("4567"u8.ToArray(), await part.Content.ReadAsByteArrayAsync());

        using var beyond = await s.RawGetAsync(url, "bytes=16-");
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, beyond.StatusCode);
    }
}
