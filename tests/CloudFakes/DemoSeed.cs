using System.Text;

namespace OpenList.DriverHost.CloudFakes;

/// <summary>The standalone demo account: a few files in the resource and default drives.</summary>
internal static class DemoSeed
{
    public const string ClientId = "demo-client";

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

    public static void Print(FakeCloud cloud, DemoAccount demo)
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
            Admin: POST {cloud.BaseUrl}_fake/faults/down?value=true | /_fake/faults/clear | GET /_fake/requests
            Press Ctrl+C to stop.
            """);
    }
}

internal sealed record DemoAccount(AliyunAccount Account, string ClientSecret, AliyunTokens OwnAppTokens, AliyunTokens RelayTokens);
