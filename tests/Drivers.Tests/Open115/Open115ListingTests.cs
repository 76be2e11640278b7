using OpenList.DriverHost.Drivers.Capabilities;
using OpenList.DriverHost.Drivers.Errors;

namespace OpenList.DriverHost.Drivers.Tests.Open115;

/// <summary>Listing against the fake (cloud-apis.md §1.5): offset paging, the entry mapping, root_folder_id, quota.</summary>
public sealed class Open115ListingTests(Open115TestCloud cloud) : IClassFixture<Open115TestCloud>
{
    [Fact]
    public async Task List_PagesThroughAFolderLargerThanAPage_WithIdsSizesTimesAndSha1()
    {
        var account = cloud.Fake.Open115.CreateAccount();
        var modified = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero);
        for (var i = 0; i < 7; i++)
        {
            account.AddFile($"/dir/f{i}.bin", Enumerable.Repeat((byte)i, i + 1).ToArray(), modified);
        }

        account.AddFolder("/dir/sub");
        await using var driver = await cloud.CreateDriverAsync(account, extraAddition: ""","page_size":3""");
        cloud.Fake.Requests.Clear();

        var entries = new List<StorageEntry>();
        await foreach (var entry in driver.ListAsync(StoragePath.Parse("/dir"), CancellationToken.None))
        {
            entries.Add(entry);
        }

        Assert.Equal(8, entries.Count);
        Assert.Equal(["f0.bin", "f1.bin", "f2.bin", "f3.bin", "f4.bin", "f5.bin", "f6.bin", "sub"], entries.Select(e => e.Name).Order(StringComparer.Ordinal));
        var f3 = entries.Single(e => e.Name == "f3.bin");
        Assert.Equal(4, f3.Size);
        Assert.Equal(account.FileId("/dir/f3.bin"), f3.Id);
        Assert.Equal(modified, f3.LastModified);
        Assert.Equal(await account.Sha1Async("/dir/f3.bin"), f3.Hashes[HashNames.Sha1], ignoreCase: true);
        Assert.True(entries.Single(e => e.Name == "sub").IsDirectory);
        Assert.Equal(1 + 3, cloud.Fake.Requests.Count("/open/ufile/files")); // one page of the root to find /dir, then 3 + 3 + 2
    }

    [Fact]
    public async Task RootFolderId_ServesThatFolderAsTheRoot()
    {
        var account = cloud.Fake.Open115.CreateAccount();
        var id = account.AddFolder("/media");
        account.AddFile("/media/inside.txt", [1, 2, 3]);
        account.AddFile("/outside.txt", [1]);
        await using var driver = await cloud.CreateDriverAsync(account, extraAddition: $$""","root_folder_id":"{{id}}" """);

        var names = new List<string>();
        await foreach (var entry in driver.ListAsync(StoragePath.Root, CancellationToken.None))
        {
            names.Add(entry.Name);
        }

        Assert.Equal(["inside.txt"], names);
        Assert.Equal(id, (await driver.StatAsync(StoragePath.Root, CancellationToken.None)).Id);
    }

    [Fact]
    public async Task RootFolderId_ThatDoesNotExist_FailsInitialization()
    {
        var e = await Assert.ThrowsAsync<StorageException>(() => cloud.CreateDriverAsync(extraAddition: ""","root_folder_id":"987654321" """));
        Assert.Equal(StorageErrorKind.NotFound, e.Kind);
        Assert.Contains("root_folder_id", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quota_ComesFromUserInfo()
    {
        var account = cloud.Fake.Open115.CreateAccount();
        account.TotalSize = 10_000_000;
        account.AddFile("/a.bin", new byte[12345]);
        await using var driver = await cloud.CreateDriverAsync(account);

        var quota = await ((IQuotaProvider)driver).GetQuotaAsync(CancellationToken.None);

        Assert.Equal(12345, quota.UsedBytes);
        Assert.Equal(10_000_000 - 12345, quota.AvailableBytes);
    }

    [Fact]
    public async Task LimitRate_SpacesTheCallsItCovers()
    {
        // §1.7: limit_rate calls per second over the limited calls (listing pages here); 20/s → at least 50 ms apart.
        var account = cloud.Fake.Open115.CreateAccount();
        for (var i = 0; i < 6; i++)
        {
            account.AddFile($"/f{i}", [1]);
        }

        await using var driver = await cloud.CreateDriverAsync(account, extraAddition: ""","page_size":1,"limit_rate":20""");
        var started = TimeProvider.System.GetTimestamp();
        var count = 0;
        await foreach (var unused in driver.ListAsync(StoragePath.Root, CancellationToken.None))
        {
            count++;
        }

        Assert.Equal(6, count);
        Assert.True(TimeProvider.System.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(240), "six pages at 20 calls/s take at least 250 ms");
    }
}
