using System.Security.Cryptography;
using OpenList.DriverHost.CloudFakes.Tests.TestSupport;

namespace OpenList.DriverHost.CloudFakes.Tests.Shared;

public sealed class SyntheticContentTests
{
    [Fact]
    public void Fill_depends_only_on_seed_and_offset()
    {
        var whole = new byte[64];
        SyntheticContent.Fill(99, 0, whole);
        for (var offset = 0; offset < 20; offset++)
        {
            var slice = new byte[13];
            SyntheticContent.Fill(99, offset, slice);
            Assert.Equal(whole.AsSpan(offset, 13).ToArray(), slice);
        }

        var other = new byte[64];
        SyntheticContent.Fill(100, 0, other);
        Assert.NotEqual(whole, other);
    }

    [Fact]
    public async Task Synthetic_file_reports_the_hash_of_its_bytes_and_serves_them()
    {
        await using var s = await Scenario.StartAsync();
        const long size = (3 << 20) + 5;
        var id = s.Account.AddSyntheticFile("resource", "/syn.bin", size, seed: 11);
        var expected = new byte[size];
        SyntheticContent.Fill(11, 0, expected);

        var file = await s.ApiAsync("openFile/get", new { drive_id = s.Drive, file_id = id });
        Assert.Equal(Convert.ToHexString(SHA1.HashData(expected)), file.Str("content_hash"));
        Assert.Equal(SyntheticContent.Sha1Hex(11, size), file.Str("content_hash"));

        var downloaded = await s.Http.GetByteArrayAsync(await s.DownloadUrlAsync(id));
        Assert.Equal(expected, downloaded);
        Assert.Equal(expected, s.Account.ReadAll("resource", "/syn.bin"));
    }
}
