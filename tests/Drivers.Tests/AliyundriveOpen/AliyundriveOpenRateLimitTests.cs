using OpenList.DriverHost.Drivers.Resilience;
using OpenList.DriverHost.Drivers.Tests.TestSupport;

namespace OpenList.DriverHost.Drivers.Tests.AliyundriveOpen;

/// <summary>
/// Client-side limits (cloud-apis.md §2.7): list, link and other calls each spaced by 1/rate, per Aliyun user, shared
/// by every mount of that user. Measured on a manual clock.
/// </summary>
public sealed class AliyundriveOpenRateLimitTests : IClassFixture<AliyundriveOpenTestCloud>
{
    private const string Api = "/adrive/v1.0/openFile";
    private readonly AliyundriveOpenTestCloud _cloud;
    private readonly ManualClock _clock = new(TimeProvider.System.GetUtcNow());

    public AliyundriveOpenRateLimitTests(AliyundriveOpenTestCloud cloud) => _cloud = cloud;

    private static Dictionary<string, object?> Limits(double list, double link) =>
        new() { ["rate_limit_list"] = list, ["rate_limit_link"] = link, ["rate_limit_other"] = 0 };

    private async Task RunAsync(Task task) => await _clock.RunAsync(task, TimeSpan.FromSeconds(5));

    [Fact]
    public async Task ListAndLinkCalls_AreSpacedByTheirOwnRate()
    {
        var account = _cloud.Fake.Aliyun.CreateAccount();
        for (var i = 0; i < 3; i++)
        {
            account.AddFile("resource", $"/d{i}/f.bin", [1]);
        }

        await using var d = await _cloud.CreateDriverAsync(account, Limits(list: 2, link: 0.5), time: _clock);
        await RunAsync(Task.WhenAll(Enumerable.Range(0, 3).Select(i => d.Driver.ListAllAsync($"/d{i}"))));
        await RunAsync(d.Driver.ReadAllAsync("/d0/f.bin"));
        await RunAsync(d.Driver.ReadAllAsync("/d1/f.bin"));

        var lists = d.Http.To(Api + "/list").Select(r => r.At).ToList();
        Assert.Equal(8, lists.Count); // root ×3 (to find each folder), each folder, then the folders of the two reads
        Assert.All(lists.Zip(lists.Skip(1)), p => Assert.Equal(TimeSpan.FromMilliseconds(500), p.Second - p.First));
        var links = d.Http.To(Api + "/getDownloadUrl").Select(r => r.At).ToList();
        Assert.Equal(2, links.Count);
        Assert.Equal(TimeSpan.FromSeconds(2), links[1] - links[0]);
    }

    [Fact]
    public async Task MountsOfOneUser_ShareTheBudget_OtherUsersDoNot()
    {
        var limiters = new SharedRateLimiters(_clock);
        var alice = _cloud.Fake.Aliyun.CreateAccount();
        var bob = _cloud.Fake.Aliyun.CreateAccount();
        await using var first = await _cloud.CreateDriverAsync(alice, Limits(list: 1, link: 0), time: _clock, rateLimiters: limiters);
        await using var second = await _cloud.CreateDriverAsync(alice, Limits(list: 1, link: 0), time: _clock, rateLimiters: limiters);
        await using var other = await _cloud.CreateDriverAsync(bob, Limits(list: 1, link: 0), time: _clock, rateLimiters: limiters);

        await RunAsync(first.Driver.ListAllAsync("/"));
        await RunAsync(second.Driver.ListAllAsync("/"));
        await RunAsync(other.Driver.ListAllAsync("/"));

        var secondAt = second.Http.To(Api + "/list")[0].At;
        Assert.Equal(TimeSpan.FromSeconds(1), secondAt - first.Http.To(Api + "/list")[0].At);
        Assert.Equal(secondAt, other.Http.To(Api + "/list")[0].At); // bob's budget is his own: no wait

    }
}
