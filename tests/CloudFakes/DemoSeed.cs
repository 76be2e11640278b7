using System.Text;

namespace OpenList.DriverHost.CloudFakes;

/// <summary>The standalone demo account: a few files in the resource and default drives.</summary>
internal static class DemoSeed
{
    public const string ClientId = "demo-client";

    /// <summary>The 115 app a self-hosted relay can use (cloud115_uid; any redirect_uri is accepted).</summary>
    public const string Relay115AppId = "100000115";

    public static DemoAccount Seed(AliyunFake aliyun)
    {
        var secret = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        aliyun.RegisterClient(ClientId, secret);
        var account = aliyun.CreateAccount("demo");
        account.AddFile("resource", "/Documents/readme.txt", Encoding.UTF8.GetBytes("Hello from the OpenList cloud fake.\n"));
        account.AddFile("resource", "/Documents/notes.md", Encoding.UTF8.GetBytes("# Notes\n\n- one\n- two\n"));
        account.AddFolder("resource", "/Documents/Empty folder");
        account.AddFile("resource", "/中文目录/文件 1.txt", Encoding.UTF8.GetBytes("你好\n"));
        account.AddSyntheticFile("resource", "/Videos/sample.bin", 64L << 20, seed: 42);
        account.AddFile("resource", "/Pictures/live.livp", Encoding.UTF8.GetBytes("not really a live photo"));
        account.AddFile("default", "/welcome.txt", Encoding.UTF8.GetBytes("default drive\n"));
        return new DemoAccount(account, secret, aliyun.IssueTokens(account, ClientId), aliyun.IssueTokens(account, aliyun.RelayClientId));
    }

    /// <summary>The 115 demo account: the same kind of tree, one authorization for OpenList's app.</summary>
    public static Demo115Account Seed115(Open115Fake open115)
    {
        var account = open115.CreateAccount("demo115");
        account.AddFile("/Documents/readme.txt", Encoding.UTF8.GetBytes("Hello from the OpenList 115 fake.\n"));
        account.AddFolder("/Documents/Empty folder");
        account.AddFile("/中文目录/文件 1.txt", Encoding.UTF8.GetBytes("你好\n"));
        account.AddSyntheticFile("/Videos/sample.bin", 64L << 20, seed: 115);
        var relaySecret = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        open115.RegisterClient(Relay115AppId, relaySecret);
        return new Demo115Account(account, open115.IssueTokens(account), relaySecret);
    }

    public static void Print(FakeCloud cloud, DemoAccount demo, Demo115Account demo115)
    {
        var relay = new Uri(cloud.BaseUrl, "alicloud/renewapi");
        Console.WriteLine($"""

            OpenList cloud fake listening on {cloud.BaseUrl}
            Aliyundrive Open (demo account "{demo.Account.Name}", user_id {demo.Account.UserId}):
              api base        {cloud.BaseUrl}
              resource drive  {demo.Account.DriveId("resource")}   default drive {demo.Account.DriveId("default")}
              own app         client_id {ClientId}  client_secret {demo.ClientSecret}
                              refresh_token {demo.OwnAppTokens.RefreshToken}
              online API      {relay}
                              refresh_token {demo.RelayTokens.RefreshToken}
              relay app       client_id {cloud.Aliyun.RelayClientId}  client_secret {cloud.Aliyun.RelayClientSecret}
                              consent {cloud.BaseUrl}oauth/authorize  (any redirect_uri; approves as "{demo.Account.Name}")
            115 Open (demo account "{demo115.Account.Name}", user_id {demo115.Account.UserId}):
              api_base_url = auth_base_url = {cloud.BaseUrl}   root_folder_id 0
              access_token  {demo115.Tokens.AccessToken}
              refresh_token {demo115.Tokens.RefreshToken}
              relay app     client_id {Relay115AppId}  client_secret {demo115.RelayAppSecret}
                            consent {cloud.BaseUrl}open/authorize  (any redirect_uri; approves as "{demo115.Account.Name}")
              more accounts: POST {cloud.BaseUrl}_fake/115/accounts
            Admin: POST {cloud.BaseUrl}_fake/faults/down?value=true | /_fake/faults/clear | GET /_fake/requests
            Press Ctrl+C to stop.
            """);
    }
}

internal sealed record DemoAccount(AliyunAccount Account, string ClientSecret, AliyunTokens OwnAppTokens, AliyunTokens RelayTokens);

internal sealed record Demo115Account(Open115Account Account, Open115Tokens Tokens, string RelayAppSecret);
