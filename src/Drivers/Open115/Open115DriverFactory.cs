using System.Text.Json;
using OpenList.DriverHost.Drivers.Settings;
using K = OpenList.DriverHost.Drivers.Open115.Open115Options.Keys;

namespace OpenList.DriverHost.Drivers.Open115;

/// <summary>Creates <see cref="Open115Driver"/> instances: 115 网盘 through its Open platform API.</summary>
public sealed class Open115DriverFactory : IDriverFactory
{
    /// <summary>The <c>driver</c> value, as OpenList spells it.</summary>
    public const string DriverName = "115 Open";

    private static readonly DriverSetting[] SettingList =
    [
        new(K.RootFolderId, "cid of the folder shown as the storage root (the number after cid= in the 115 web URL); 0 for the whole drive.", Default: "0"),
        new(K.OrderBy, "Listing order sent to 115: file_name, file_size, user_utime or file_type; empty lets the server choose.", Default: ""),
        new(K.OrderDirection, "asc or desc; anything but asc lists descending.", Default: ""),
        new(K.LimitRate, "API calls per second for this 115 account (listing pages, links, writes; uploads count once); 0 or less turns the limit off.", Default: "1"),
        new(K.PageSize, "Entries per listing page, 1 to 1150.", Default: "200"),
        new(K.AccessToken, "The current access token; renewed automatically and kept in the state store.", Sensitive: true),
        new(K.RefreshToken, "Refresh token from the 115 authorization page (api.oplist.org, 115 网盘验证); it rotates on every renewal.", Sensitive: true),
        new(K.UseOnlineApi, "Renew tokens through the online API relay (api_url_address) instead of 115's passport API directly; 115 renewals need no client secret.", Default: "false"),
        new(K.ApiUrlAddress, "The online API relay's renew URL, used when use_online_api is true.", Default: Open115Options.DefaultRelayUrl),
        new(K.OnlineApiPost, "Send the refresh token to the relay in a POST form instead of OpenList's GET query (keeps it out of URLs and logs); only relays that accept POST, such as this host's /relay/<provider>/renewapi.", Default: "false"),
        new(K.ApiBaseUrl, "Base URL of the 115 file API (for testing against another server).", Default: Open115Options.DefaultApiBaseUrl),
        new(K.AuthBaseUrl, "Base URL of the 115 passport API that renews tokens (for testing against another server).", Default: Open115Options.DefaultAuthBaseUrl),
    ];

    public string Name => DriverName;

    public IReadOnlyList<DriverSetting> Settings => SettingList;

    public IReadOnlyList<DriverSettingError> Validate(JsonElement addition, DriverContext context) =>
        SettingsBinding.Validate(addition, Open115Options.Bind);

    public IStorageDriver Create(JsonElement addition, DriverContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new Open115Driver(SettingsBinding.BindOrThrow(addition, Open115Options.Bind), context);
    }
}
