using System.Text.Json;
using Microsoft.Extensions.Logging;
using OpenList.DriverHost.CloudFakes;
using OpenList.DriverHost.DriverHost.Tests.Functional;

namespace OpenList.DriverHost.DriverHost.Tests.Cloud;

/// <summary>How the /aliyun mount renews its tokens in a test.</summary>
public enum AliyunAuthMode
{
    OwnKeys,
    OnlineApi,
}

/// <summary>A real host whose <c>/aliyun</c> mount talks to the Aliyundrive Open fake (plus the usual <c>/local</c>).</summary>
public sealed class AliyunHost : IAsyncDisposable
{
    public const string ClientId = "test-client";
    public const string ClientSecret = "test-client-secret-value";

    private AliyunHost(FakeCloud fake, AliyunAccount account, HostFixture host, string configuredRefreshToken)
    {
        Fake = fake;
        Account = account;
        Host = host;
        ConfiguredRefreshToken = configuredRefreshToken;
    }

    public FakeCloud Fake { get; }

    public AliyunAccount Account { get; }

    public HostFixture Host { get; private set; }

    /// <summary>The refresh token written into drivers.json.</summary>
    public string ConfiguredRefreshToken { get; }

    /// <summary>
    /// Starts a host over the fake. The drive is the account's <c>resource</c> drive. Rate limits are off on both
    /// sides unless a test sets them; <paramref name="cacheMinutes"/> 0 makes every request reach the fake.
    /// </summary>
    public static async Task<AliyunHost> StartAsync(
        FakeCloud fake,
        AliyunAuthMode mode = AliyunAuthMode.OwnKeys,
        string policy = "302_redirect",
        int cacheMinutes = 0,
        ILoggerFactory? loggerFactory = null,
        AliyunAccount? account = null,
        string extraAddition = "",
        string storageExtra = "",
        string localStorageExtra = "")
    {
        fake.Aliyun.RegisterClient(ClientId, ClientSecret);
        account ??= fake.Aliyun.CreateAccount();
        var tokens = fake.Aliyun.IssueTokens(account, mode == AliyunAuthMode.OwnKeys ? ClientId : fake.Aliyun.RelayClientId);
        var storage = Storage(fake, mode, policy, cacheMinutes, tokens.RefreshToken, tokens.AccessToken, extraAddition, storageExtra: storageExtra);
        var host = await HostFixture.StartAsync(extraStorages: "," + storage, loggerFactory: loggerFactory, localStorageExtra: localStorageExtra);
        return new AliyunHost(fake, account, host, tokens.RefreshToken);
    }

    public static string Storage(FakeCloud fake, AliyunAuthMode mode, string policy, int cacheMinutes, string refreshToken, string? accessToken, string extraAddition = "", string mountPath = "/aliyun", string storageExtra = "")
    {
        var addition = new Dictionary<string, object?>
        {
            ["drive_type"] = "resource",
            ["root_folder_id"] = "root",
            ["refresh_token"] = refreshToken,
            ["AccessToken"] = accessToken,
            ["use_online_api"] = mode == AliyunAuthMode.OnlineApi,
            ["api_url_address"] = new Uri(fake.BaseUrl, "alicloud/renewapi").AbsoluteUri,
            ["client_id"] = mode == AliyunAuthMode.OwnKeys ? ClientId : "",
            ["client_secret"] = mode == AliyunAuthMode.OwnKeys ? ClientSecret : "",
            ["remove_way"] = "delete",
            ["api_base_url"] = fake.BaseUrl.AbsoluteUri.TrimEnd('/'),
            ["rate_limit_list"] = 0,
            ["rate_limit_link"] = 0,
            ["rate_limit_other"] = 0,
        };
        var json = JsonSerializer.Serialize(addition);
        if (extraAddition.Length > 0)
        {
            json = json[..^1] + "," + extraAddition + "}";
        }

        return $$"""
            { "mount_path": "{{mountPath}}", "driver": "AliyundriveOpen", "cache_expiration": {{cacheMinutes}}, "webdav_policy": "{{policy}}", {{(storageExtra.Length > 0 ? storageExtra + "," : "")}} "addition": {{json}} }
            """;
    }

    /// <summary>Stops the host keeping its folder (state.db, drivers.json) and starts a new one on it.</summary>
    public async Task RestartAsync(ILoggerFactory? loggerFactory = null)
    {
        var root = Host.Root;
        await Host.DisposeAsync_KeepFiles();
        var config = await File.ReadAllTextAsync(Path.Combine(root, "drivers.json"));
        Host = await HostFixture.StartFromConfigAsync(root, config, loggerFactory);
    }

    public async ValueTask DisposeAsync() => await Host.DisposeAsync();
}
