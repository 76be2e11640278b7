using System.Globalization;
using System.Net;
using System.Text.Json;

namespace OpenList.DriverHost.CloudFakes.Tests.DiskTop;

/// <summary>disktop-open-platform.md 上传: precreate (instant or session), chunks on the separate endpoint, /parts, complete (425, MD5), abort.</summary>
public sealed class UploadTests
{
    private const int Chunk = 1000;

    [Fact]
    public async Task Precreate_miss_gives_a_session_on_a_separate_endpoint()
    {
        await using var s = await Start();
        var content = Bytes(2500, 1);
        var data = DiskTopAssert.Ok(await Precreate(s, "movie.mp4", content));
        Assert.False(data.GetProperty("instant_upload").GetBoolean());
        Assert.Matches("^[0-9a-f]{32}$", data.GetProperty("upload_id").GetString());
        var endpoint = data.GetProperty("endpoint").GetString()!;
        Assert.Equal(s.Fake.UploadEndpoint, endpoint);
        Assert.False(endpoint.EndsWith('/'));
        Assert.NotEqual(s.Cloud.BaseUrl.ToString().TrimEnd('/'), endpoint);
        Assert.Equal(Chunk, data.GetProperty("chunk_size").GetInt64());
        Assert.Equal(3, data.GetProperty("total_parts").GetInt32());
        Assert.Equal(86400, data.GetProperty("expires_in").GetInt64());
        Assert.False(data.TryGetProperty("file_id", out _));
        Assert.Equal(1, s.Fake.OpenUploadSessions);
    }

    [Fact]
    public async Task Full_upload_then_the_same_content_is_an_instant_hit()
    {
        await using var s = await Start();
        var content = Bytes(2500, 2);
        var session = DiskTopAssert.Ok(await Precreate(s, "movie.mp4", content));
        var (endpoint, id) = (session.GetProperty("endpoint").GetString()!, session.GetProperty("upload_id").GetString()!);
        for (var seq = 1; seq <= 3; seq++)
        {
            var part = DiskTopAssert.Ok(await SendChunk(s, endpoint, id, seq, content));
            Assert.Equal(seq, part.GetProperty("part_seq").GetInt32());
            Assert.Equal(seq, part.GetProperty("received_parts").GetInt32()); // a count here
            Assert.Equal(3, part.GetProperty("total_parts").GetInt32());
            Assert.Equal(seq < 3 ? Chunk : 500, part.GetProperty("size").GetInt64());
            Assert.Equal(DiskTopScenario.Md5(Slice(content, seq)), part.GetProperty("etag").GetString());
        }

        var done = DiskTopAssert.Ok(await s.PostEmptyAsync($"{endpoint}/u/{id}/complete"));
        var fileId = done.GetProperty("file_id").GetInt64();
        Assert.Equal("/我的应用数据/GPTGet/movie.mp4", done.GetProperty("path").GetString());
        Assert.Equal(2500, done.GetProperty("size").GetInt64());
        Assert.Equal(DiskTopScenario.Md5(content), done.GetProperty("md5").GetString());
        Assert.Equal(content, s.Account.ReadAll(s.Sandbox + "/movie.mp4"));
        Assert.Equal(fileId, s.Account.FileId(s.Sandbox + "/movie.mp4"));
        Assert.Equal(0, s.Fake.OpenUploadSessions);
        Assert.Equal(0, s.Fake.StoredChunks);
        DiskTopAssert.Error(await s.PostEmptyAsync($"{endpoint}/u/{id}/complete"), HttpStatusCode.NotFound);

        var hit = DiskTopAssert.Ok(await Precreate(s, "copy.mp4", content));
        Assert.True(hit.GetProperty("instant_upload").GetBoolean());
        Assert.Equal("/我的应用数据/GPTGet/copy.mp4", hit.GetProperty("path").GetString());
        Assert.Equal(2500, hit.GetProperty("size").GetInt64());
        Assert.Equal(s.Account.FileId(s.Sandbox + "/copy.mp4"), hit.GetProperty("file_id").GetInt64());
        Assert.False(hit.TryGetProperty("upload_id", out _));
        Assert.Equal(0, s.Fake.OpenUploadSessions);
        Assert.Equal(content, s.Account.ReadAll(s.Sandbox + "/copy.mp4"));
    }

    [Fact]
    public async Task Instant_upload_matches_content_of_any_account_and_can_be_turned_off()
    {
        await using var s = await Start();
        var content = Bytes(1500, 3);
        s.Fake.CreateAccount("bob").AddFile("/elsewhere/x.bin", content);
        Assert.True(DiskTopAssert.Ok(await Precreate(s, "x.bin", content)).GetProperty("instant_upload").GetBoolean());
        s.Fake.InstantUpload = false;
        Assert.False(DiskTopAssert.Ok(await Precreate(s, "y.bin", content)).GetProperty("instant_upload").GetBoolean());
        Assert.True(DiskTopAssert.Ok(await Precreate(s, "empty.bin", [])).GetProperty("instant_upload").GetBoolean()); // size 0 is always known
    }

    [Fact]
    public async Task Parts_lists_received_chunks_and_complete_says_425_with_the_missing_ones()
    {
        await using var s = await Start();
        var content = Bytes(4200, 4);
        var session = DiskTopAssert.Ok(await Precreate(s, "a.bin", content));
        var (endpoint, id) = (session.GetProperty("endpoint").GetString()!, session.GetProperty("upload_id").GetString()!);
        DiskTopAssert.Ok(await SendChunk(s, endpoint, id, 5, content));
        DiskTopAssert.Ok(await SendChunk(s, endpoint, id, 1, content));

        var partsResponse = await s.GetAsync($"{endpoint}/u/{id}/parts");
        var parts = DiskTopAssert.Ok(partsResponse);
        Assert.Equal(id, parts.GetProperty("upload_id").GetString());
        Assert.Equal(5, parts.GetProperty("total_parts").GetInt32());
        Assert.Equal([1, 5], parts.GetProperty("received_parts").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(40.0, parts.GetProperty("progress").GetDouble());
        Assert.Contains("\"progress\":40.0", partsResponse.Body, StringComparison.Ordinal);
        var five = parts.GetProperty("parts").GetProperty("5");
        Assert.Equal(5, five.GetProperty("part_number").GetInt32());
        Assert.Equal(200, five.GetProperty("size").GetInt64());
        Assert.Equal(DiskTopScenario.Md5(Slice(content, 5)), five.GetProperty("etag").GetString());

        var incomplete = await s.PostEmptyAsync($"{endpoint}/u/{id}/complete");
        Assert.Equal((HttpStatusCode)425, incomplete.Status);
        var envelope = DiskTopAssert.Error(incomplete, (HttpStatusCode)425);
        Assert.Equal("incomplete: 2/5", envelope.GetProperty("errmsg").GetString());
        Assert.Equal([2, 3, 4], envelope.GetProperty("data").GetProperty("missing_parts").EnumerateArray().Select(e => e.GetInt32()));
        Assert.False(s.Account.Exists(s.Sandbox + "/a.bin"));

        foreach (var seq in new[] { 2, 3, 4 })
        {
            DiskTopAssert.Ok(await SendChunk(s, endpoint, id, seq, content));
        }

        DiskTopAssert.Ok(await s.PostEmptyAsync($"{endpoint}/u/{id}/complete"));
        Assert.Equal(content, s.Account.ReadAll(s.Sandbox + "/a.bin"));
    }

    [Fact]
    public async Task Md5_mismatch_at_complete_keeps_the_session_so_parts_can_be_resent()
    {
        await using var s = await Start();
        var content = Bytes(1500, 5);
        var session = DiskTopAssert.Ok(await Precreate(s, "a.bin", content));
        var (endpoint, id) = (session.GetProperty("endpoint").GetString()!, session.GetProperty("upload_id").GetString()!);
        var corrupted = content.ToArray();
        corrupted[1200] ^= 0xFF;
        DiskTopAssert.Ok(await SendChunk(s, endpoint, id, 1, content));
        DiskTopAssert.Ok(await SendChunk(s, endpoint, id, 2, corrupted));

        var mismatch = DiskTopAssert.Error(await s.PostEmptyAsync($"{endpoint}/u/{id}/complete"), HttpStatusCode.BadRequest);
        Assert.Contains("md5 mismatch", mismatch.GetProperty("errmsg").GetString(), StringComparison.Ordinal);
        Assert.False(s.Account.Exists(s.Sandbox + "/a.bin"));
        Assert.Equal(1, s.Fake.OpenUploadSessions);

        DiskTopAssert.Ok(await SendChunk(s, endpoint, id, 2, content)); // replaces the bad part
        DiskTopAssert.Ok(await s.PostEmptyAsync($"{endpoint}/u/{id}/complete"));
        Assert.Equal(content, s.Account.ReadAll(s.Sandbox + "/a.bin"));
    }

    [Fact]
    public async Task Abort_leaves_nothing_behind()
    {
        await using var s = await Start();
        var content = Bytes(2500, 6);
        var session = DiskTopAssert.Ok(await Precreate(s, "a.bin", content));
        var (endpoint, id) = (session.GetProperty("endpoint").GetString()!, session.GetProperty("upload_id").GetString()!);
        DiskTopAssert.Ok(await SendChunk(s, endpoint, id, 1, content));
        Assert.Equal(1, s.Fake.StoredChunks);

        Assert.True(DiskTopAssert.Ok(await s.PostEmptyAsync($"{endpoint}/u/{id}/abort")).GetProperty("ok").GetBoolean());
        Assert.Equal(0, s.Fake.OpenUploadSessions);
        Assert.Equal(0, s.Fake.StoredChunks);
        Assert.False(s.Account.Exists(s.Sandbox + "/a.bin"));
        DiskTopAssert.Error(await SendChunk(s, endpoint, id, 2, content), HttpStatusCode.NotFound);
        DiskTopAssert.Error(await s.GetAsync($"{endpoint}/u/{id}/parts"), HttpStatusCode.NotFound);
        DiskTopAssert.Error(await s.PostEmptyAsync($"{endpoint}/u/{id}/abort"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Chunks_must_follow_the_slicing_and_the_content_type()
    {
        await using var s = await Start();
        var content = Bytes(2500, 7);
        var session = DiskTopAssert.Ok(await Precreate(s, "a.bin", content));
        var (endpoint, id) = (session.GetProperty("endpoint").GetString()!, session.GetProperty("upload_id").GetString()!);
        DiskTopAssert.Error(await s.PostBytesAsync($"{endpoint}/u?upload_id={id}&part_seq=1", content[..999]), HttpStatusCode.BadRequest);
        DiskTopAssert.Error(await s.PostBytesAsync($"{endpoint}/u?upload_id={id}&part_seq=3", content[2000..2499]), HttpStatusCode.BadRequest);
        DiskTopAssert.Error(await s.PostBytesAsync($"{endpoint}/u?upload_id={id}&part_seq=0", content[..Chunk]), HttpStatusCode.BadRequest);
        DiskTopAssert.Error(await s.PostBytesAsync($"{endpoint}/u?upload_id={id}&part_seq=4", content[..Chunk]), HttpStatusCode.BadRequest);
        DiskTopAssert.Error(await s.PostBytesAsync($"{endpoint}/u?upload_id={id}&part_seq=1", content[..Chunk], contentType: null), HttpStatusCode.BadRequest);
        DiskTopAssert.Error(await s.PostBytesAsync($"{endpoint}/u?upload_id=nope&part_seq=1", content[..Chunk]), HttpStatusCode.NotFound);
        Assert.Equal(0, s.Fake.StoredChunks);

        // The API base is not the upload service.
        using var wrongHost = await s.Http.PostAsync(s.Url($"/u?upload_id={id}&part_seq=1"), new ByteArrayContent(content[..Chunk]));
        Assert.Equal(HttpStatusCode.NotFound, wrongHost.StatusCode);
    }

    [Theory]
    [InlineData("md5", "5EB63BBBE01EEED093CB22BB8F5ACDC3")]
    [InlineData("md5", "")]
    [InlineData("size", "-1")]
    [InlineData("size", "")]
    [InlineData("name", "")]
    public async Task Precreate_validates_its_fields(string field, string value)
    {
        await using var s = await Start();
        var fields = new Dictionary<string, string> { ["parent_path"] = "/", ["name"] = "a.bin", ["size"] = "10", ["md5"] = "5eb63bbbe01eeed093cb22bb8f5acdc3" };
        DiskTopAssert.Ok(await s.PostFormAsync("/v1/files/upload/precreate", fields.Select(f => (f.Key, f.Value)), null));
        fields["name"] = "b.bin";
        fields[field] = value;
        DiskTopAssert.Error(await s.PostFormAsync("/v1/files/upload/precreate", fields.Select(f => (f.Key, f.Value)), null), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Precreate_checks_parent_quota_and_name_conflicts_by_policy()
    {
        await using var s = await Start();
        s.Account.AddFile(s.Sandbox + "/taken.bin", [1, 2, 3]);
        var content = Bytes(1500, 8);
        DiskTopAssert.Error(await Precreate(s, "taken.bin", content), HttpStatusCode.Conflict);
        DiskTopAssert.Error(await Precreate(s, "x.bin", content, parent: "/missing"), HttpStatusCode.NotFound);

        s.Fake.NameConflict = DiskTopNameConflict.AutoRename;
        var renamed = await UploadAsync(s, "taken.bin", content);
        Assert.Equal("/我的应用数据/GPTGet/taken(1).bin", renamed.GetProperty("path").GetString());

        s.Fake.NameConflict = DiskTopNameConflict.Overwrite;
        var old = s.Account.FileId(s.Sandbox + "/taken.bin");
        var replaced = await UploadAsync(s, "taken.bin", content);
        Assert.NotEqual(old, replaced.GetProperty("file_id").GetInt64());
        Assert.Equal(content, s.Account.ReadAll(s.Sandbox + "/taken.bin"));

        s.Account.QuotaBytes = s.Account.UsedBytes + 10;
        s.Fake.InstantUpload = false;
        DiskTopAssert.Error(await Precreate(s, "big.bin", Bytes(11, 9)), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Sessions_expire()
    {
        await using var s = await Start(manualClock: true);
        var content = Bytes(1500, 10);
        var session = DiskTopAssert.Ok(await Precreate(s, "a.bin", content));
        var (endpoint, id) = (session.GetProperty("endpoint").GetString()!, session.GetProperty("upload_id").GetString()!);
        DiskTopAssert.Ok(await SendChunk(s, endpoint, id, 1, content));
        s.Clock!.Advance(TimeSpan.FromSeconds(86_400));
        DiskTopAssert.Error(await SendChunk(s, endpoint, id, 2, content), HttpStatusCode.NotFound);
        Assert.Equal(0, s.Fake.OpenUploadSessions);
        Assert.Equal(0, s.Fake.StoredChunks);
    }

    [Fact]
    public async Task Precreate_needs_the_bearer_but_the_upload_service_does_not()
    {
        await using var s = await Start();
        var content = Bytes(500, 11);
        DiskTopAssert.Error(await s.PostFormAsync("/v1/files/upload/precreate", [("name", "a.bin"), ("size", "500"), ("md5", DiskTopScenario.Md5(content))], ""), HttpStatusCode.Unauthorized);
        s.Fake.ExpireAccessTokensNow();
        var fresh = s.Fake.IssueTokens(s.Account, DiskTopScenario.ClientId);
        var session = DiskTopAssert.Ok(await s.PostFormAsync("/v1/files/upload/precreate", [("name", "a.bin"), ("size", "500"), ("md5", DiskTopScenario.Md5(content))], fresh.AccessToken));
        var (endpoint, id) = (session.GetProperty("endpoint").GetString()!, session.GetProperty("upload_id").GetString()!);
        DiskTopAssert.Ok(await SendChunk(s, endpoint, id, 1, content));
        DiskTopAssert.Ok(await s.PostEmptyAsync($"{endpoint}/u/{id}/complete"));
    }

    internal static Task<DiskTopScenario> Start(bool manualClock = false) => StartWithChunk(manualClock);

    internal static async Task<DiskTopScenario> StartWithChunk(bool manualClock)
    {
        var s = await DiskTopScenario.StartAsync(manualClock);
        s.Fake.ChunkSize = Chunk;
        return s;
    }

    internal static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    internal static byte[] Slice(byte[] content, int seq) => content[((seq - 1) * Chunk)..Math.Min(content.Length, seq * Chunk)];

    internal static Task<TestSupport.ApiResponse> Precreate(DiskTopScenario s, string name, byte[] content, string parent = "/") =>
        s.PostFormAsync("/v1/files/upload/precreate", ("parent_path", parent), ("name", name), ("size", content.Length.ToString(CultureInfo.InvariantCulture)), ("md5", DiskTopScenario.Md5(content)));

    internal static Task<TestSupport.ApiResponse> SendChunk(DiskTopScenario s, string endpoint, string uploadId, int seq, byte[] content) =>
        s.PostBytesAsync($"{endpoint}/u?upload_id={uploadId}&part_seq={seq}", Slice(content, seq));

    /// <summary>precreate, every chunk, complete; returns complete's data (or precreate's on an instant hit).</summary>
    internal static async Task<JsonElement> UploadAsync(DiskTopScenario s, string name, byte[] content)
    {
        var session = DiskTopAssert.Ok(await Precreate(s, name, content));
        if (session.GetProperty("instant_upload").GetBoolean())
        {
            return session;
        }

        var (endpoint, id) = (session.GetProperty("endpoint").GetString()!, session.GetProperty("upload_id").GetString()!);
        for (var seq = 1; seq <= session.GetProperty("total_parts").GetInt32(); seq++)
        {
            DiskTopAssert.Ok(await SendChunk(s, endpoint, id, seq, content));
        }

        return DiskTopAssert.Ok(await s.PostEmptyAsync($"{endpoint}/u/{id}/complete"));
    }
}
