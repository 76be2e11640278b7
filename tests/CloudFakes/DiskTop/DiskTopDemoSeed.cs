using System.Text;

namespace OpenList.DriverHost.CloudFakes.DiskTop;

/// <summary>The standalone Disk.Top demo: an app allowed every scope, a few files in its sandbox and elsewhere on the disk.</summary>
internal static class DiskTopDemoSeed
{
    public const string ClientId = "demo-disktop";

    public static void SeedAndPrint(FakeCloud cloud)
    {
        var fake = cloud.DiskTop;
        var secret = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        fake.RegisterClient(ClientId, secret, appName: "DemoApp", allowedScopes: DiskTopScopes.All);
        var account = fake.CreateAccount("demo");
        var sandbox = fake.SandboxPath(ClientId);
        account.AddFile(sandbox + "/readme.txt", Encoding.UTF8.GetBytes("Hello from the Disk.Top fake.\n"));
        account.AddFile(sandbox + "/Notes/chat-1.md", Encoding.UTF8.GetBytes("# chat\n"));
        account.AddSyntheticFile(sandbox + "/Videos/sample.mp4", 16L << 20, seed: 43);
        account.AddFile("/照片/文件 1.txt", Encoding.UTF8.GetBytes("你好\n"));
        var sandboxTokens = fake.IssueTokens(account, ClientId);
        var fullTokens = fake.IssueTokens(account, ClientId, "user.read files.read_all files.write_all");
        Console.WriteLine($"""
            Disk.Top (demo account "{account.Username}", uid {account.Uid}):
              api base        {cloud.BaseUrl}   upload endpoint {fake.UploadEndpoint}
              own app         client_id {ClientId}  client_secret {secret}   sandbox {sandbox}
                              refresh_token (user.read files.app_data) {sandboxTokens.RefreshToken}
                              refresh_token (full disk)                {fullTokens.RefreshToken}
                              consent {cloud.BaseUrl}oauth/authorize  token {cloud.BaseUrl}oauth/token  (any redirect_uri)
            Admin: POST {cloud.BaseUrl}_fake/disktop/accounts | /_fake/disktop/device/approve?user_code=…
            """);
    }
}
