using static OpenList.DriverHost.Drivers.Tests.AliyundriveOpen.AliyundriveOpenTestExtensions;

namespace OpenList.DriverHost.Drivers.Tests.AliyundriveOpen;

/// <summary>
/// Rapid upload (秒传, cloud-apis.md §2.6 steps 3–6): size and pre-hash first, the proof when the pre-hash matched,
/// and no part at all when the server already has the bytes.
/// </summary>
public sealed class AliyundriveOpenRapidUploadTests : IAsyncLifetime
{
    private const string Api = "/adrive/v1.0/openFile";
    private AliyundriveOpenTestCloud _cloud = null!;

    public async Task InitializeAsync() => _cloud = await AliyundriveOpenTestCloud.StartAsync();

    public Task DisposeAsync() => _cloud.DisposeAsync();

    private int PartPuts => _cloud.Fake.Requests.Count("upload-part");

    private List<int> PartStatuses => _cloud.Fake.Requests.Snapshot().Where(r => r.Operation == "upload-part").Select(r => r.Status).ToList();

    [Fact]
    public async Task Put_WithRapidUpload_OfKnownContent_SendsPreHashThenProof_AndNoBytes()
    {
        // §2.6 steps 3–6: size + pre_hash (SHA1 of the first 1024 bytes) → PreHashMatched → content_hash + proof_code
        // (proof v1) → rapid_upload true: no part PUT, then complete.
        var content = Bytes(300_000, seed: 5);
        var account = _cloud.Fake.Aliyun.CreateAccount();
        account.AddFile("resource", "/elsewhere/original.bin", content);
        await using var d = await _cloud.CreateDriverAsync(account, new Dictionary<string, object?> { ["rapid_upload"] = true });

        var entry = await d.Driver.PutBytesAsync("/copy.bin", content);

        Assert.Equal(0, PartPuts);
        Assert.Equal(content, account.ReadAll("resource", "/copy.bin"));
        Assert.Equal(Sha1Hex(content), entry.Hashes[HashNames.Sha1]);
        var creates = d.Http.To(Api + "/create");
        Assert.Equal([409, 200], creates.Select(c => c.Status));
        var first = creates[0].Json;
        Assert.Equal(Sha1Hex(content.AsSpan(0, 1024)), first.GetProperty("pre_hash").GetString());
        Assert.Equal(content.Length, first.GetProperty("size").GetInt64());
        Assert.False(first.TryGetProperty("proof_code", out _));
        var second = creates[1].Json;
        Assert.False(second.TryGetProperty("pre_hash", out _));
        Assert.Equal(content.Length, second.GetProperty("size").GetInt64());
        Assert.Equal(Sha1Hex(content), second.GetProperty("content_hash").GetString());
        Assert.Equal("sha1", second.GetProperty("content_hash_name").GetString());
        Assert.Equal("v1", second.GetProperty("proof_version").GetString());
        Assert.False(string.IsNullOrEmpty(second.GetProperty("proof_code").GetString()));
        Assert.Single(d.Http.To(Api + "/complete"));
        Assert.Equal(["copy.bin", "elsewhere"], (await d.Driver.NamesAsync("/")).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Put_WithRapidUpload_WhenOnlyThePreHashMatches_UploadsTheBytes()
    {
        // Same size and first 1024 bytes, different tail: the proof finds no file, so the parts are sent.
        var original = Bytes(300_000, seed: 6);
        var changed = original.ToArray();
        changed[^1] ^= 0xFF;
        var account = _cloud.Fake.Aliyun.CreateAccount();
        account.AddFile("resource", "/original.bin", original);
        await using var d = await _cloud.CreateDriverAsync(account, new Dictionary<string, object?> { ["rapid_upload"] = true });

        await d.Driver.PutBytesAsync("/changed.bin", changed);

        Assert.Equal(changed, account.ReadAll("resource", "/changed.bin"));
        Assert.Equal(original, account.ReadAll("resource", "/original.bin"));
        Assert.Equal(2, d.Http.To(Api + "/create").Count);
        Assert.Equal([200], PartStatuses);
    }

    [Fact]
    public async Task Put_WithRapidUpload_OfNewContent_SendsThePreHashOnceAndUploads()
    {
        var content = Bytes(300_000, seed: 7);
        var account = _cloud.Fake.Aliyun.CreateAccount();
        await using var d = await _cloud.CreateDriverAsync(account, new Dictionary<string, object?> { ["rapid_upload"] = true });

        await d.Driver.PutBytesAsync("/new.bin", content);

        Assert.Equal(content, account.ReadAll("resource", "/new.bin"));
        var create = Assert.Single(d.Http.To(Api + "/create")).Json;
        Assert.True(create.TryGetProperty("pre_hash", out _));
        Assert.Equal([200], PartStatuses);
    }

    [Fact]
    public async Task Put_WithRapidUpload_OfAtMost100KiB_SkipsThePreHash()
    {
        // §2.6 step 3: only "size > 100 KiB" is tried rapidly; otherwise no size and no pre_hash are sent.
        var content = Bytes(100 * 1024, seed: 8);
        var account = _cloud.Fake.Aliyun.CreateAccount();
        account.AddFile("resource", "/original.bin", content);
        await using var d = await _cloud.CreateDriverAsync(account, new Dictionary<string, object?> { ["rapid_upload"] = true });

        await d.Driver.PutBytesAsync("/small.bin", content);

        var create = Assert.Single(d.Http.To(Api + "/create")).Json;
        Assert.False(create.TryGetProperty("pre_hash", out _));
        Assert.False(create.TryGetProperty("size", out _));
        Assert.Equal([200], PartStatuses);
    }
}
