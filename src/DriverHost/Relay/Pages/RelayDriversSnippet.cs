using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenList.DriverHost.Drivers.Relay;

namespace OpenList.DriverHost.Relay.Pages;

/// <summary>
/// The drivers.json storage record the result page offers: the driver's name from the upstream, the tokens under
/// the addition keys that driver reads (OpenList's spellings differ per driver: <c>AccessToken</c> for Aliyundrive
/// Open, <c>RefreshToken</c>/<c>AccessToken</c> for 123 Open), and the relay's renew URL. Built with System.Text.Json
/// (so any token is a valid JSON string); the page HTML-encodes the result.
/// </summary>
internal static class RelayDriversSnippet
{
    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // readable; the page HTML-encodes it anyway
    };

    public static string Build(IRelayUpstream upstream, RelayTokens tokens, Uri renewUri)
    {
        var (mountPath, refreshKey, accessKey) = upstream.DriverName switch
        {
            "AliyundriveOpen" => ("/aliyun", "refresh_token", "AccessToken"),
            "123 Open" => ("/123", "RefreshToken", "AccessToken"),
            "115 Open" => ("/115", "refresh_token", "access_token"),
            "DiskTop" => ("/disktop", "refresh_token", "access_token"),
            _ => ("/" + upstream.Prefix, "refresh_token", "access_token"),
        };
        var addition = new JsonObject
        {
            [refreshKey] = tokens.RefreshToken,
        };
        if (tokens.AccessToken.Length > 0)
        {
            addition[accessKey] = tokens.AccessToken;
        }

        addition["use_online_api"] = true;
        addition["api_url_address"] = renewUri.AbsoluteUri;
        addition["online_api_post"] = true;
        var record = new JsonObject
        {
            ["mount_path"] = mountPath,
            ["driver"] = upstream.DriverName,
            ["addition"] = addition,
        };
        return record.ToJsonString(Indented);
    }
}
