using System.Net;
using Microsoft.Extensions.Logging;
using OpenList.DriverHost.CloudFakes;

// Standalone: `dotnet run --project tests/CloudFakes [--urls http://127.0.0.1:5250]`.
// Seeds demo Aliyun and 115 accounts and prints their credentials (this console is the only place tokens are shown).
var endpoint = StandaloneArguments.ListenEndpoint(args);
if (endpoint is null)
{
    Console.Error.WriteLine("usage: OpenList.DriverHost.CloudFakes [--urls http://127.0.0.1:<port>]  (loopback only)");
    return 2;
}

await using var cloud = await FakeCloud.StartAsync(
    new FakeCloudOptions(),
    endpoint,
    logging => logging
        .AddSimpleConsole(console => console.SingleLine = true)
        .AddFilter("Microsoft", LogLevel.Warning)
        .AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information),
    CancellationToken.None);
DemoSeed.Print(cloud, DemoSeed.Seed(cloud.Aliyun), DemoSeed.Seed115(cloud.Open115));
OpenList.DriverHost.CloudFakes.DiskTop.DiskTopDemoSeed.SeedAndPrint(cloud);
OpenList.DriverHost.CloudFakes.Open123.Open123DemoSeed.SeedAndPrint(cloud);
await cloud.WaitForShutdownAsync();
return 0;

/// <summary>The single supported option, --urls, restricted to loopback.</summary>
internal static class StandaloneArguments
{
    public const int DefaultPort = 5250;

    public static IPEndPoint? ListenEndpoint(string[] args)
    {
        string? url = null;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i].StartsWith("--urls=", StringComparison.Ordinal))
            {
                url = args[i]["--urls=".Length..];
            }
            else if (args[i] == "--urls" && i + 1 < args.Length)
            {
                url = args[++i];
            }
            else
            {
                return null;
            }
        }

        if (url is null)
        {
            return new IPEndPoint(IPAddress.Loopback, DefaultPort);
        }

        return Uri.TryCreate(url.Split(';')[0], UriKind.Absolute, out var uri)
            && uri.Scheme == Uri.UriSchemeHttp
            && (uri.Host is "127.0.0.1" or "localhost")
                ? new IPEndPoint(IPAddress.Loopback, uri.Port)
                : null;
    }
}
