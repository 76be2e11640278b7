using System.Text;

namespace OpenList.DriverHost.CloudFakes.Open123;

/// <summary>The standalone 123 demo account: a few files, one trashed, developer keys, a relay token and a direct-link key.</summary>
internal static class Open123DemoSeed
{
    public const string ClientId = "demo-123-client";

    public static void SeedAndPrint(FakeCloud cloud)
    {
        var fake = cloud.Open123;
        var secret = Open123Fake.RandomToken(16);
        var account = fake.RegisterClient(ClientId, secret, fake.CreateAccount("demo"));
        account.DirectLinkPrivateKey = Open123Fake.RandomToken(8);
        account.AddFile("/Documents/readme.txt", Encoding.UTF8.GetBytes("Hello from the OpenList 123 fake.\n"));
        account.AddFile("/Documents/notes.md", Encoding.UTF8.GetBytes("# Notes\n\n- one\n- two\n"));
        account.AddFolder("/Documents/Empty folder");
        account.AddFile("/中文目录/文件 1.txt", Encoding.UTF8.GetBytes("你好\n"));
        account.AddSyntheticFile("/Videos/sample.bin", 64L << 20, seed: 42);
        account.AddFile("/old.txt", Encoding.UTF8.GetBytes("in the recycle bin\n"));
        account.TrashFile("/old.txt");
        var relay = fake.IssueRelayTokens(account);
        fake.AuthorizingAccount = account;
        Console.WriteLine($"""
            123 Open (demo account "{account.Name}", uid {account.Uid}):
              api base        {cloud.BaseUrl}
              developer keys  ClientID {ClientId}  ClientSecret {secret}
              online API      {new Uri(cloud.BaseUrl, "123cloud/renewapi")}
                              RefreshToken {relay.RefreshToken}
              relay app       client_id {fake.RelayClientId}  client_secret {fake.RelayClientSecret}
                              consent {cloud.BaseUrl}auth  token {cloud.BaseUrl}api/v1/oauth2/access_token  (any redirect_uri)
              direct links    DirectLinkPrivateKey {account.DirectLinkPrivateKey}
            """);
    }
}
