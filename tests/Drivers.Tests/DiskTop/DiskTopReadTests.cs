using OpenList.DriverHost.Drivers.Capabilities;
using OpenList.DriverHost.Drivers.Errors;

namespace OpenList.DriverHost.Drivers.Tests.DiskTop;

/// <summary>
/// Listing, links and reads against the fake (cloud-apis.md §4.5, §4.6): paging until <c>total</c>; file and folder
/// ids that collide (separate namespaces, above 2^31); links that expire after <c>expires_in</c>; a read that survives
/// a dropped connection and an expired link; quota.
/// </summary>
public sealed class DiskTopReadTests(DiskTopTestCloud cloud) : IClassFixture<DiskTopTestCloud>
{
    [Fact]
    public async Task Listing_PagesUntilTotal_FoldersAndFilesAlike()
    {
        var account = cloud.CreateAccount();
        account.Account.AddFolder(account.InSandbox("/d1"));
        account.Account.AddFolder(account.InSandbox("/d2"));
        account.Account.AddFolder(account.InSandbox("/d3"));
        for (var i = 0; i < 4; i++)
        {
            account.Account.AddFile(account.InSandbox($"/f{i}.txt"), new byte[i + 1]);
        }

        await using var driver = await cloud.CreateDriverAsync(account, extraAddition: ",\"page_size\":2");
        cloud.Fake.Requests.Clear();
        var entries = await ListAsync(driver, StoragePath.Root);

        Assert.Equal(["d1", "d2", "d3", "f0.txt", "f1.txt", "f2.txt", "f3.txt"], entries.Select(e => e.Name));
        Assert.Equal([true, true, true, false, false, false, false], entries.Select(e => e.IsDirectory));
        Assert.Equal([0L, 0, 0, 1, 2, 3, 4], entries.Select(e => e.Size));
        Assert.Equal(4, cloud.Fake.Requests.Count("/v1/files")); // 2 + 2 + 2 + 1 entries: the short last page ends it
    }

    [Fact]
    public async Task AFileAndAFolderWithTheSameId_AreNeverConfused()
    {
        var account = cloud.CreateAccount();
        await using var driver = await cloud.CreateDriverAsync(account);
        // Ids count separately from 2^31 + 1000 for folders and files: find a folder and a file sharing one.
        var folders = new Dictionary<long, string>();
        for (var i = 0; i < 30; i++)
        {
            folders[account.Account.AddFolder(account.InSandbox($"/dir{i}"))] = $"dir{i}";
        }

        string? file = null, folder = null;
        for (var i = 0; i < 60 && file is null; i++)
        {
            var id = account.Account.AddFile(account.InSandbox($"/file{i}.bin"), [(byte)i]);
            if (folders.TryGetValue(id, out var twin))
            {
                (file, folder) = ($"file{i}.bin", twin);
            }
        }

        Assert.NotNull(file);
        var fileEntry = await driver.StatAsync(StoragePath.Root.Combine(file), CancellationToken.None);
        var folderEntry = await driver.StatAsync(StoragePath.Root.Combine(folder!), CancellationToken.None);
        Assert.NotEqual(fileEntry.Id, folderEntry.Id);
        Assert.True(long.Parse(fileEntry.Id!["file:".Length..], System.Globalization.CultureInfo.InvariantCulture) > int.MaxValue);

        await driver.DeleteAsync(StoragePath.Root.Combine(file), CancellationToken.None);

        Assert.False(account.Account.Exists(account.InSandbox("/" + file)));
        Assert.True(account.Account.Exists(account.InSandbox("/" + folder)));
    }

    [Fact]
    public async Task ALink_ExpiresAfterExpiresIn_AndServesRanges()
    {
        var account = cloud.CreateAccount();
        var content = Enumerable.Range(0, 5000).Select(i => (byte)i).ToArray();
        account.Account.AddFile(account.InSandbox("/v.mp4"), content);
        await using var driver = await cloud.CreateDriverAsync(account);
        var before = TimeProvider.System.GetUtcNow();

        var link = await driver.GetLinkAsync(StoragePath.Parse("/v.mp4"), new LinkRequest(null), CancellationToken.None);

        Assert.False(driver.LinksBoundToUserAgent);
        Assert.Empty(link.Headers);
        Assert.InRange(link.ExpiresAt!.Value, before.AddSeconds(595), TimeProvider.System.GetUtcNow().AddSeconds(601));
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, link.Url);
        request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(100, 199);
        using var response = await http.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(content[100..200], await response.Content.ReadAsByteArrayAsync());
        await Assert.ThrowsAsync<StorageException>(() => driver.GetLinkAsync(StoragePath.Root, new LinkRequest(null), CancellationToken.None));
    }

    [Fact]
    public async Task AReadCutMidway_WhileItsLinkExpired_ContinuesWithAFreshLink()
    {
        var account = cloud.CreateAccount();
        var content = new byte[400_000];
        new Random(3).NextBytes(content);
        account.Account.AddFile(account.InSandbox("/movie.mkv"), content);
        await using var driver = await cloud.CreateDriverAsync(account);
        cloud.Fake.Requests.Clear();
        cloud.Fake.Faults.DropDownloadAfter(100_000, 1);
        try
        {
            await using var read = await driver.OpenReadAsync(StoragePath.Parse("/movie.mkv"), new ByteRange(1000, 399_999), CancellationToken.None);
            var buffer = new byte[50_000];
            await read.Content.ReadExactlyAsync(buffer);
            cloud.DiskTop.ExpireLinksNow();
            using var rest = new MemoryStream();
            await read.Content.CopyToAsync(rest);

            Assert.Equal(content[1000..51_000], buffer);
            Assert.Equal(content[51_000..], rest.ToArray());
            Assert.Equal(2, cloud.Fake.Requests.Count("/v1/files/{id}/download"));
        }
        finally
        {
            cloud.Fake.Faults.Clear();
        }
    }

    [Fact]
    public async Task Quota_ComesFromUserQuota()
    {
        var account = cloud.CreateAccount();
        account.Account.AddFile(account.InSandbox("/a.bin"), new byte[1234]);
        await using var driver = await cloud.CreateDriverAsync(account);

        var quota = await driver.GetQuotaAsync(CancellationToken.None);

        Assert.Equal(account.Account.UsedBytes, quota.UsedBytes);
        Assert.Equal(account.Account.QuotaBytes - account.Account.UsedBytes, quota.AvailableBytes);
    }

    [Fact]
    public async Task ARootFolderPath_ScopesTheStorage_AndAMissingOneFailsInitialisation()
    {
        var account = cloud.CreateAccount();
        account.Account.AddFile(account.InSandbox("/photos/2024/a.jpg"), [1, 2, 3]);
        account.Account.AddFile(account.InSandbox("/outside.txt"), [4]);
        await using var driver = await cloud.CreateDriverAsync(account, extraAddition: ",\"root_folder_path\":\"/photos\"");

        Assert.Equal(["2024"], (await ListAsync(driver, StoragePath.Root)).Select(e => e.Name));
        await driver.PutAsync(StoragePath.Parse("/2024/b.jpg"), new MemoryStream([9]), 1, PutOptions.Default, CancellationToken.None);
        Assert.Equal([9], account.Account.ReadAll(account.InSandbox("/photos/2024/b.jpg")));

        var missing = await cloud.CreateDriverAsync(account, extraAddition: ",\"root_folder_path\":\"/nope\"", initialize: false);
        await using (missing)
        {
            var error = await Assert.ThrowsAsync<StorageException>(() => missing.InitializeAsync(CancellationToken.None));
            Assert.Equal(StorageErrorKind.NotFound, error.Kind);
            Assert.Contains("root_folder_path /nope", error.Message, StringComparison.Ordinal);
        }
    }

    private static async Task<List<StorageEntry>> ListAsync(OpenList.DriverHost.Drivers.DiskTop.DiskTopDriver driver, StoragePath path)
    {
        var list = new List<StorageEntry>();
        await foreach (var entry in driver.ListAsync(path, CancellationToken.None))
        {
            list.Add(entry);
        }

        return list;
    }
}
