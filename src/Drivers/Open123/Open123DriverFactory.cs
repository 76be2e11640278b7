using System.Globalization;
using System.Text.Json;
using OpenList.DriverHost.Drivers.Settings;
using K = OpenList.DriverHost.Drivers.Open123.Open123Options.Keys;

namespace OpenList.DriverHost.Drivers.Open123;

/// <summary>Creates <see cref="Open123Driver"/> instances: 123云盘 through its open platform API.</summary>
public sealed class Open123DriverFactory : IDriverFactory
{
    /// <summary>The <c>driver</c> value, as OpenList spells it.</summary>
    public const string DriverName = "123 Open";

    private static readonly DriverSetting[] SettingList =
    [
        new(K.ClientId, "Your own client id from 123pan.com/developer (123 requires your own keys); with ClientSecret the driver obtains its tokens itself."),
        new(K.ClientSecret, "Your own client secret from 123pan.com/developer.", Sensitive: true),
        new(K.AccessToken, "An access token pasted from the online API page; renewed tokens are kept in the state store, never written here.", Sensitive: true),
        new(K.RefreshToken, "Refresh token of the 123 OAuth app (online API page, 123 网盘 OAuth2); keep it empty when you use your own ClientID and ClientSecret.", Sensitive: true),
        new(K.UseOnlineApi, "Renew tokens through the online API relay (api_url_address) when a RefreshToken is set.", Default: "true"),
        new(K.ApiUrlAddress, "The online API relay's renew URL.", Default: Open123Options.DefaultRelayUrl),
        new(K.OnlineApiPost, "Send the refresh token to the relay in a POST form instead of OpenList's GET query (keeps it out of URLs and logs); only relays that accept POST, such as this host's /relay/<provider>/renewapi.", Default: "false"),
        new(K.UploadThread, "Slices uploaded at once, 1 to 32 (anything else means 3).", Default: Open123Options.DefaultUploadThread.ToString(CultureInfo.InvariantCulture)),
        new(K.DirectLink, "Download through your direct-link space (直链空间) instead of download_info.", Default: "false"),
        new(K.DirectLinkPrivateKey, "The direct-link space's URL authentication key (直链鉴权密钥); empty leaves direct links unsigned.", Sensitive: true),
        new(K.DirectLinkValidDuration, "Minutes a signed direct link stays valid.", Default: Open123Options.DefaultDirectLinkValidDuration.ToString(CultureInfo.InvariantCulture)),
        new(K.RootFolderId, "Numeric id of the folder shown as the storage root (the number after homeFilePath= in the web URL); 0 for the whole drive.", Default: "0"),
        new(K.ApiBaseUrl, "Base URL of the open platform API (for testing against another server).", Default: Open123Options.DefaultApiBaseUrl),
        new(K.RateLimitScale, "Multiplies the documented per-API call rates the driver keeps to (2 for accounts with higher limits); 0 or less turns the client-side limits off.", Default: "1"),
    ];

    public string Name => DriverName;

    public IReadOnlyList<DriverSetting> Settings => SettingList;

    /// <summary>
    /// OpenList marks 123 Open <c>PreferProxy</c> (cloud-apis.md §3.4, §5): its storages default to <c>native_proxy</c>,
    /// so a record moved between OpenList and this host is served the same way; a 302 happens only when chosen.
    /// </summary>
    public string DefaultWebDavPolicy => "native_proxy";

    public IReadOnlyList<DriverSettingError> Validate(JsonElement addition, DriverContext context) =>
        SettingsBinding.Validate(addition, Open123Options.Bind);

    public IStorageDriver Create(JsonElement addition, DriverContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new Open123Driver(SettingsBinding.BindOrThrow(addition, Open123Options.Bind), context);
    }
}
