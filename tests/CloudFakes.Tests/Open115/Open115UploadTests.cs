using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using OpenList.DriverHost.CloudFakes.Tests.TestSupport;

namespace OpenList.DriverHost.CloudFakes.Tests.Open115;

/// <summary>cloud-apis.md §1.6: init statuses, rapid upload, sign_check, get_token.</summary>
public sealed class Open115UploadTests
{
    internal static string Sha1(byte[] bytes) => Convert.ToHexString(SHA1.HashData(bytes));

    internal static string PreId(byte[] bytes) => Sha1(bytes.AsSpan(0, Math.Min(bytes.Length, 128 * 1024)).ToArray());

    internal static Task<Open115Response> InitAsync(Open115Scenario s, string name, byte[] bytes, string target = "U_1_0", IDictionary<string, string>? extra = null)
    {
        var form = new Dictionary<string, string>
        {
            ["file_name"] = name,
            ["file_size"] = bytes.Length.ToString(CultureInfo.InvariantCulture),
            ["target"] = target,
            ["fileid"] = Sha1(bytes),
            ["preid"] = PreId(bytes),
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            form[key] = value;
        }

        return s.PostAsync("/open/upload/init", form);
    }

    internal static byte[] Random(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public async Task Miss_is_status_1_with_an_upload_session_and_typed_fields()
    {
        await using var s = await Open115Scenario.StartAsync();
        var answer = await InitAsync(s, "new.bin", Random(1000, 1));
        answer.AssertOk();
        var data = answer.Data;
        Assert.Equal(JsonValueKind.Number, data.GetProperty("status").ValueKind);
        Assert.Equal(1, data.GetProperty("status").GetInt32());
        Assert.Equal("fhnfile", data.GetProperty("bucket").GetString());
        Assert.False(string.IsNullOrEmpty(data.GetProperty("object").GetString()));
        Assert.False(string.IsNullOrEmpty(data.GetProperty("pick_code").GetString()));
        Assert.Equal("U_1_0", data.GetProperty("target").GetString());
        var callback = data.GetProperty("callback");
        Assert.Equal(JsonValueKind.Object, callback.ValueKind);
        using var callbackJson = JsonDocument.Parse(callback.GetProperty("callback").GetString()!);
        Assert.StartsWith(s.Cloud.BaseUrl.ToString(), callbackJson.RootElement.GetProperty("callbackUrl").GetString());
        using var vars = JsonDocument.Parse(callback.GetProperty("callback_var").GetString()!);
        Assert.Equal(JsonValueKind.Object, vars.RootElement.ValueKind);
        Assert.Equal(JsonValueKind.String, data.GetProperty("sign_check").ValueKind);
        Assert.Empty(s.Account.List("/"));
    }

    [Fact]
    public async Task Hit_without_sign_check_is_status_2_and_the_file_appears_with_the_same_sha1()
    {
        await using var s = await Open115Scenario.StartAsync();
        s.Fake.SignCheckMinSize = long.MaxValue;
        var bytes = Random(300_000, 2);
        var other = s.Fake.CreateAccount("carol"); // rapid upload matches content anywhere (115 dedupes globally)
        other.AddFile("/theirs.bin", bytes);
        var folder = s.Account.AddFolder("/in");

        var answer = await InitAsync(s, "mine.bin", bytes, "U_1_" + folder);
        answer.AssertOk();
        Assert.Equal(2, answer.Data.GetProperty("status").GetInt32());
        Assert.Equal(JsonValueKind.Array, answer.Data.GetProperty("callback").ValueKind);
        Assert.Equal(s.Account.FileId("/in/mine.bin"), answer.Data.GetProperty("file_id").GetString());
        Assert.Equal(s.Account.PickCode("/in/mine.bin"), answer.Data.GetProperty("pick_code").GetString());
        Assert.Equal(Sha1(bytes), await s.Account.Sha1Async("/in/mine.bin"));
        Assert.Equal(bytes, s.Account.ReadAll("/in/mine.bin"));
    }

    [Fact]
    public async Task A_wrong_preid_is_not_a_hit()
    {
        await using var s = await Open115Scenario.StartAsync();
        s.Fake.SignCheckMinSize = long.MaxValue;
        var bytes = Random(200_000, 3);
        s.Account.AddFile("/a.bin", bytes);
        var answer = await InitAsync(s, "b.bin", bytes, extra: new Dictionary<string, string> { ["preid"] = Sha1([1, 2, 3]) });
        Assert.Equal(1, answer.Data.GetProperty("status").GetInt32());
        Assert.False(s.Account.Exists("/b.bin"));
    }

    [Fact]
    public async Task Sign_check_names_an_inclusive_range_and_the_right_sha1_finishes_the_upload()
    {
        await using var s = await Open115Scenario.StartAsync();
        var bytes = Random(500_000, 4);
        s.Account.AddFile("/orig.bin", bytes);

        var first = await InitAsync(s, "copy.bin", bytes);
        first.AssertOk();
        Assert.Equal(7, first.Data.GetProperty("status").GetInt32());
        var signKey = first.Data.GetProperty("sign_key").GetString()!;
        var range = first.Data.GetProperty("sign_check").GetString()!.Split('-').Select(long.Parse).ToArray();
        Assert.Equal(s.Fake.SignCheckRangeFor(Sha1(bytes), bytes.Length), (range[0], range[1]));
        Assert.InRange(range[0], 0, range[1]);
        Assert.InRange(range[1], range[0], bytes.Length - 1);
        Assert.False(s.Account.Exists("/copy.bin"));

        var signVal = Sha1(bytes[(int)range[0]..(int)(range[1] + 1)]);
        var second = await InitAsync(s, "copy.bin", bytes, extra: new Dictionary<string, string> { ["sign_key"] = signKey, ["sign_val"] = signVal });
        second.AssertOk();
        Assert.Equal(2, second.Data.GetProperty("status").GetInt32());
        Assert.Equal(bytes, s.Account.ReadAll("/copy.bin"));

        // The key was used up.
        var again = await InitAsync(s, "copy2.bin", bytes, extra: new Dictionary<string, string> { ["sign_key"] = signKey, ["sign_val"] = signVal });
        Assert.Equal(8, again.Data.GetProperty("status").GetInt32());
        Assert.False(s.Account.Exists("/copy2.bin"));
    }

    [Fact]
    public async Task Wrong_sign_val_is_status_6_and_the_range_is_exclusive_end_sensitive()
    {
        await using var s = await Open115Scenario.StartAsync();
        s.Fake.SignCheckRange = (_, size) => (size - 10, size - 1);
        var bytes = Random(150_000, 5);
        s.Account.AddFile("/orig.bin", bytes);
        var first = await InitAsync(s, "x.bin", bytes);
        Assert.Equal($"{bytes.Length - 10}-{bytes.Length - 1}", first.Data.GetProperty("sign_check").GetString());

        // Hashing [start, end) instead of [start, end] is wrong.
        var wrong = Sha1(bytes[(bytes.Length - 10)..(bytes.Length - 1)]);
        var failed = await InitAsync(s, "x.bin", bytes, extra: new Dictionary<string, string> { ["sign_key"] = first.Data.GetProperty("sign_key").GetString()!, ["sign_val"] = wrong });
        Assert.Equal(6, failed.Data.GetProperty("status").GetInt32());
        Assert.False(s.Account.Exists("/x.bin"));
        Assert.Equal("fhnfile", failed.Data.GetProperty("bucket").GetString()); // the client may fall back to OSS

        // Status 6 hands out a fresh challenge; a lowercase answer is wrong too.
        var retryKey = failed.Data.GetProperty("sign_key").GetString()!;
        var right = Sha1(bytes[(bytes.Length - 10)..]);
        var lower = await InitAsync(s, "x.bin", bytes, extra: new Dictionary<string, string> { ["sign_key"] = retryKey, ["sign_val"] = right.ToLowerInvariant() });
        Assert.Equal(6, lower.Data.GetProperty("status").GetInt32());
        var done = await InitAsync(s, "x.bin", bytes, extra: new Dictionary<string, string> { ["sign_key"] = lower.Data.GetProperty("sign_key").GetString()!, ["sign_val"] = right });
        Assert.Equal(2, done.Data.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Sign_check_range_is_deterministic_per_seed()
    {
        await using var s = await Open115Scenario.StartAsync();
        var a = s.Fake.SignCheckRangeFor("AAF4C61DDCC5E8A2DABEDE0F3B482CD9AEA9434D", 10_000_000);
        Assert.Equal(a, s.Fake.SignCheckRangeFor("AAF4C61DDCC5E8A2DABEDE0F3B482CD9AEA9434D", 10_000_000));
        s.Fake.SignCheckSeed = 116;
        Assert.NotEqual(a, s.Fake.SignCheckRangeFor("AAF4C61DDCC5E8A2DABEDE0F3B482CD9AEA9434D", 10_000_000));
    }

    [Fact]
    public async Task Init_refuses_bad_parameters()
    {
        await using var s = await Open115Scenario.StartAsync();
        var bytes = Random(10, 6);
        (await InitAsync(s, "a", bytes, extra: new Dictionary<string, string> { ["fileid"] = Sha1(bytes).ToLowerInvariant() })).AssertError(990002);
        (await InitAsync(s, "a", bytes, extra: new Dictionary<string, string> { ["preid"] = PreId(bytes).ToLowerInvariant() })).AssertError(990002);
        (await InitAsync(s, "a", bytes, target: "0")).AssertError(990002);
        (await InitAsync(s, "a", bytes, target: "U_1_999")).AssertError(430004);
        (await InitAsync(s, "a", bytes, extra: new Dictionary<string, string> { ["file_size"] = "x" })).AssertError(990002);
        (await InitAsync(s, "a", bytes, extra: new Dictionary<string, string> { ["sign_key"] = "k" })).AssertError(990002);
        (await InitAsync(s, "a/b", bytes)).AssertError(990002);
    }

    [Fact]
    public async Task Get_token_answers_sts_credentials_with_capitalised_keys()
    {
        await using var s = await Open115Scenario.StartAsync();
        var answer = await s.GetAsync("/open/upload/get_token");
        answer.AssertOk();
        foreach (var key in new[] { "endpoint", "AccessKeyId", "AccessKeySecret", "SecurityToken", "expiration" })
        {
            Assert.False(string.IsNullOrEmpty(answer.Data.GetProperty(key).GetString()), key);
        }

        Assert.Equal(s.Cloud.BaseUrl.GetLeftPart(UriPartial.Authority), answer.Data.GetProperty("endpoint").GetString());
        Assert.True(DateTimeOffset.TryParse(answer.Data.GetProperty("expiration").GetString(), CultureInfo.InvariantCulture, out _));
    }

    [Fact]
    public void Part_size_follows_the_spec()
    {
        Assert.Equal(20L << 20, Open115Fake.PartSizeFor(1));
        Assert.Equal(20L << 20, Open115Fake.PartSizeFor(128L << 30));
        Assert.Equal(27487791, Open115Fake.PartSizeFor((128L << 30) + 1));
        Assert.Equal(109951163, Open115Fake.PartSizeFor((1L << 40) - 1));
        Assert.Equal(5L << 30, Open115Fake.PartSizeFor((1L << 40) + 1));
    }
}
