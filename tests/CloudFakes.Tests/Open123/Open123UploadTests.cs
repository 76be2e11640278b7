using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;

namespace OpenList.DriverHost.CloudFakes.Tests.Open123;

public sealed class Open123UploadTests
{
    private static string Md5(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(MD5.HashData(bytes));

    private static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public async Task CreateWithKnownContentIsInstantAndCopiesWithTheSourceEtag()
    {
        await using var s = await Open123Scenario.StartAsync();
        var content = Bytes(3000, 1);
        var source = s.Account.AddFile("/src/a.bin", content);
        var target = s.Account.AddFolder("/dst");

        var created = await s.PostAsync("/upload/v2/file/create", new { parentFileId = target, filename = "a.bin", etag = Md5(content), size = 3000, duplicate = 2, containDir = false });
        created.AssertOk();
        Assert.True(created.Data.GetProperty("reuse").GetBoolean());
        var fileId = created.Data.GetProperty("fileID").GetInt64();
        Assert.NotEqual(0, fileId);
        Assert.NotEqual(source, fileId);
        Assert.False(created.Data.TryGetProperty("preuploadID", out _));
        Assert.Equal(fileId, s.Account.FileId("/dst/a.bin"));
        Assert.Equal(content, s.Account.ReadAll("/dst/a.bin"));
        Assert.True(s.Account.Exists("/src/a.bin"));
    }

    [Fact]
    public async Task InstantUploadFindsContentOfOtherAccounts()
    {
        await using var s = await Open123Scenario.StartAsync();
        var content = Bytes(100, 2);
        s.Fake.CreateAccount("other").AddFile("/x.bin", content);
        var created = await s.PostAsync("/upload/v2/file/create", new { parentFileID = 0, filename = "mine.bin", etag = Md5(content), size = 100, duplicate = 2 });
        Assert.True(created.Data.GetProperty("reuse").GetBoolean());
        Assert.Equal(content, s.Account.ReadAll("/mine.bin"));
    }

    [Fact]
    public async Task Sha1ReuseReusesOrDoesNothing()
    {
        await using var s = await Open123Scenario.StartAsync();
        var content = Bytes(500, 3);
        s.Account.AddFile("/orig.bin", content);
        var sha1 = Convert.ToHexStringLower(SHA1.HashData(content));

        var hit = await s.PostAsync("/upload/v2/file/sha1_reuse", new { parentFileID = 0, filename = "again.bin", sha1, size = 500, duplicate = 2 });
        hit.AssertOk();
        Assert.True(hit.Data.GetProperty("reuse").GetBoolean());
        Assert.Equal(s.Account.FileId("/again.bin"), hit.Data.GetProperty("fileID").GetInt64());

        var miss = await s.PostAsync("/upload/v2/file/sha1_reuse", new { parentFileID = 0, filename = "none.bin", sha1 = new string('a', 40), size = 500, duplicate = 2 });
        miss.AssertOk();
        Assert.False(miss.Data.GetProperty("reuse").GetBoolean());
        Assert.False(s.Account.Exists("/none.bin"));

        (await s.PostAsync("/upload/v2/file/sha1_reuse", new { parentFileID = 0, filename = "u.bin", sha1 = sha1.ToUpperInvariant(), size = 500, duplicate = 2 })).AssertCode(1);
    }

    [Fact]
    public async Task CreateValidatesItsFields()
    {
        await using var s = await Open123Scenario.StartAsync();
        var etag = Md5("x"u8);
        (await s.PostAsync("/upload/v2/file/create", new { parentFileId = 0, filename = "a", etag = etag.ToUpperInvariant(), size = 1, duplicate = 2 })).AssertCode(1);
        (await s.PostAsync("/upload/v2/file/create", new { parentFileId = 0, filename = "a", etag, size = "1", duplicate = 2 })).AssertCode(1);
        (await s.PostAsync("/upload/v2/file/create", new { parentFileId = 0, filename = "a|b", etag, size = 1, duplicate = 2 })).AssertCode(1);
        (await s.PostAsync("/upload/v2/file/create", new { parentFileId = 0, filename = "a", etag, size = 1, duplicate = 3 })).AssertCode(1);
        (await s.PostAsync("/upload/v2/file/create", new { parentFileId = 0, filename = "a", etag, size = (10L << 30) + 1, duplicate = 2 })).AssertCode(1);
        (await s.PostAsync("/upload/v2/file/create", new { parentFileId = 0, filename = "a", etag, size = 10L << 30, duplicate = 2 })).AssertOk();
        (await s.PostAsync("/upload/v2/file/create", new { parentFileId = 987654, filename = "a", etag, size = 1, duplicate = 2 })).AssertCode(5066);
    }

    [Fact]
    public async Task EmptyFilesAreInstant()
    {
        await using var s = await Open123Scenario.StartAsync();
        var created = await s.PostAsync("/upload/v2/file/create", new { parentFileId = 0, filename = "empty.txt", etag = Md5([]), size = 0, duplicate = 2 });
        Assert.True(created.Data.GetProperty("reuse").GetBoolean());
        Assert.Empty(s.Account.ReadAll("/empty.txt"));
    }

    [Fact]
    public async Task SlicedUploadCompletesAfterTheConfiguredPolls()
    {
        await using var s = await Open123Scenario.StartAsync();
        s.Fake.SliceSize = 1024;
        s.Fake.CompletePollsBeforeDone = 3;
        var content = Bytes(2500, 4);
        var session = await CreateSessionAsync(s, "up.bin", content);
        Assert.Equal(1024, session.SliceSize);
        Assert.Equal(s.Fake.UploadServer.AbsoluteUri.TrimEnd('/'), session.Server);

        for (var i = 0; i < 3; i++)
        {
            (await SliceAsync(s, session, i + 1, content.AsMemory(i * 1024, Math.Min(1024, content.Length - (i * 1024))))).AssertOk();
        }

        for (var i = 0; i < 3; i++)
        {
            var poll = await s.PostAsync("/upload/v2/file/upload_complete", new { preuploadID = session.PreuploadId });
            poll.AssertOk();
            Assert.False(poll.Data.GetProperty("completed").GetBoolean());
            Assert.Equal(0, poll.Data.GetProperty("fileID").GetInt64());
            Assert.False(s.Account.Exists("/up.bin"));
        }

        var done = await s.PostAsync("/upload/v2/file/upload_complete", new { preuploadID = session.PreuploadId });
        done.AssertOk();
        Assert.True(done.Data.GetProperty("completed").GetBoolean());
        var fileId = done.Data.GetProperty("fileID").GetInt64();
        Assert.Equal(fileId, s.Account.FileId("/up.bin"));
        Assert.Equal(content, s.Account.ReadAll("/up.bin"));
        Assert.Equal(Md5(content), s.Account.Md5("/up.bin"));

        var again = await s.PostAsync("/upload/v2/file/upload_complete", new { preuploadID = session.PreuploadId });
        Assert.Equal(fileId, again.Data.GetProperty("fileID").GetInt64());
        Assert.Equal(3, s.Cloud.Requests.Count("slice"));
    }

    [Fact]
    public async Task SlicesAreCheckedAgainstSliceMd5AndSize()
    {
        await using var s = await Open123Scenario.StartAsync();
        s.Fake.SliceSize = 1024;
        var content = Bytes(2048, 5);
        var session = await CreateSessionAsync(s, "chk.bin", content);

        (await SliceAsync(s, session, 1, content.AsMemory(0, 1024), md5: Md5(content.AsSpan(1024, 1024)))).AssertCode(1);
        (await SliceAsync(s, session, 1, content.AsMemory(0, 1000))).AssertCode(1);
        (await SliceAsync(s, session, 3, content.AsMemory(0, 1024))).AssertCode(1);
        (await SliceAsync(s, session, 1, content.AsMemory(0, 1024), md5: Md5(content.AsSpan(0, 1024)).ToUpperInvariant())).AssertCode(1);
        (await SliceAsync(s, session, 1, content.AsMemory(0, 1024), field: "file")).AssertCode(1);
        (await SliceAsync(s, session, 1, content.AsMemory(0, 1024), token: "bogus")).AssertCode(401);
        (await SliceAsync(s, session with { PreuploadId = "nope" }, 1, content.AsMemory(0, 1024))).AssertCode(1);

        (await SliceAsync(s, session, 1, content.AsMemory(0, 1024))).AssertOk();
        (await s.PostAsync("/upload/v2/file/upload_complete", new { preuploadID = session.PreuploadId })).AssertCode(1);
    }

    [Fact]
    public async Task CompleteRefusesContentThatDoesNotMatchTheDeclaredEtag()
    {
        await using var s = await Open123Scenario.StartAsync();
        s.Fake.SliceSize = 1024;
        s.Fake.CompletePollsBeforeDone = 0;
        var declared = Bytes(1500, 6);
        var actual = Bytes(1500, 7);
        var session = await CreateSessionAsync(s, "bad.bin", declared);
        (await SliceAsync(s, session, 1, actual.AsMemory(0, 1024))).AssertOk();
        (await SliceAsync(s, session, 2, actual.AsMemory(1024))).AssertOk();
        (await s.PostAsync("/upload/v2/file/upload_complete", new { preuploadID = session.PreuploadId })).AssertCode(1);
        Assert.False(s.Account.Exists("/bad.bin"));
    }

    [Fact]
    public async Task FailSliceFailsTheGivenSliceNTimes()
    {
        await using var s = await Open123Scenario.StartAsync();
        s.Fake.SliceSize = 1024;
        s.Fake.CompletePollsBeforeDone = 0;
        var content = Bytes(2048, 8);
        var session = await CreateSessionAsync(s, "f.bin", content);
        s.Fake.FailSlice(2, 2);
        s.Fake.FailSlice(1, 1, status: 429);

        var throttled = await SliceAsync(s, session, 1, content.AsMemory(0, 1024));
        throttled.AssertCode(429);
        (await SliceAsync(s, session, 1, content.AsMemory(0, 1024))).AssertOk();
        for (var i = 0; i < 2; i++)
        {
            var failed = await SliceAsync(s, session, 2, content.AsMemory(1024));
            Assert.Equal(HttpStatusCode.InternalServerError, failed.Status);
            Assert.Equal(500, failed.Code);
        }

        (await SliceAsync(s, session, 2, content.AsMemory(1024))).AssertOk();
        var done = await s.PostAsync("/upload/v2/file/upload_complete", new { preuploadID = session.PreuploadId });
        Assert.True(done.Data.GetProperty("completed").GetBoolean());
        Assert.Equal(content, s.Account.ReadAll("/f.bin"));
    }

    [Fact]
    public async Task DuplicateOneKeepsBothAndTwoTrashesTheOldFile()
    {
        await using var s = await Open123Scenario.StartAsync();
        var old = s.Account.AddFile("/n.txt", "old"u8.ToArray());
        var content = "new"u8.ToArray();
        s.Fake.CreateAccount("seed").AddFile("/n.txt", content);

        (await s.PostAsync("/upload/v2/file/create", new { parentFileId = 0, filename = "n.txt", etag = Md5(content), size = 3 })).AssertCode(1);
        (await s.PostAsync("/upload/v2/file/create", new { parentFileId = 0, filename = "n.txt", etag = Md5(content), size = 3, duplicate = 1 })).AssertOk();
        Assert.Equal(content, s.Account.ReadAll("/n(1).txt"));
        Assert.Equal(old, s.Account.FileId("/n.txt"));

        (await s.PostAsync("/upload/v2/file/create", new { parentFileId = 0, filename = "n.txt", etag = Md5(content), size = 3, duplicate = 2 })).AssertOk();
        Assert.Equal(content, s.Account.ReadAll("/n.txt"));
        Assert.True(s.Account.Find(old)!.Trashed);
    }

    [Fact]
    public async Task ASessionUploadRefusesANameClashWithoutDuplicate()
    {
        await using var s = await Open123Scenario.StartAsync();
        s.Account.AddFile("/c.bin", "c"u8.ToArray());
        var content = Bytes(10, 9);
        (await s.PostAsync("/upload/v2/file/create", new { parentFileId = 0, filename = "c.bin", etag = Md5(content), size = 10 })).AssertCode(1);
    }

    [Fact]
    public async Task ContainDirCreatesTheFoldersOfThePath()
    {
        await using var s = await Open123Scenario.StartAsync();
        var content = Bytes(64, 10);
        s.Fake.CreateAccount("seed").AddFile("/x.bin", content);
        var created = await s.PostAsync("/upload/v2/file/create", new { parentFileID = 0, filename = "/a/b/c.bin", etag = Md5(content), size = 64, duplicate = 2, containDir = true });
        created.AssertOk();
        Assert.Equal(created.Data.GetProperty("fileID").GetInt64(), s.Account.FileId("/a/b/c.bin"));
        (await s.PostAsync("/upload/v2/file/create", new { parentFileID = 0, filename = "/a/b/c.bin", etag = Md5(content), size = 64, duplicate = 2 })).AssertCode(1);
    }

    [Fact]
    public async Task UploadDomainListsTheUploadServer()
    {
        await using var s = await Open123Scenario.StartAsync();
        var domain = await s.GetAsync("/upload/v2/file/domain");
        domain.AssertOk();
        Assert.Equal(s.Fake.UploadServer.AbsoluteUri.TrimEnd('/'), Assert.Single(domain.Data.EnumerateArray()).GetString());
    }

    private sealed record Session(string PreuploadId, long SliceSize, string Server);

    private static async Task<Session> CreateSessionAsync(Open123Scenario s, string name, byte[] content)
    {
        var created = await s.PostAsync("/upload/v2/file/create", new { parentFileId = 0, filename = name, etag = Md5(content), size = content.Length, duplicate = 2, containDir = false });
        created.AssertOk();
        Assert.False(created.Data.GetProperty("reuse").GetBoolean());
        Assert.Equal(0, created.Data.GetProperty("fileID").GetInt64());
        Assert.Equal(JsonValueKind.Number, created.Data.GetProperty("sliceSize").ValueKind);
        return new Session(
            created.Data.GetProperty("preuploadID").GetString()!,
            created.Data.GetProperty("sliceSize").GetInt64(),
            created.Data.GetProperty("servers")[0].GetString()!);
    }

    private static async Task<Envelope> SliceAsync(Open123Scenario s, Session session, int sliceNo, ReadOnlyMemory<byte> bytes, string? md5 = null, string field = "slice", string? token = null)
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent(session.PreuploadId), "preuploadID" },
            { new StringContent(sliceNo.ToString(System.Globalization.CultureInfo.InvariantCulture)), "sliceNo" },
            { new StringContent(md5 ?? Md5(bytes.Span)), "sliceMD5" },
        };
        var part = new ByteArrayContent(bytes.ToArray());
        part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(part, field, $"x.part{sliceNo}");
        using var request = new HttpRequestMessage(HttpMethod.Post, session.Server + "/upload/v2/file/slice") { Content = form };
        request.Headers.Add("Platform", "open_platform");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? s.Token);
        using var response = await s.Http.SendAsync(request);
        return await Envelope.ReadAsync(response);
    }
}
