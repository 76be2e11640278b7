using System.Text.Json;
using OpenList.DriverHost.Drivers.Settings;
using K = OpenList.DriverHost.Drivers.AliyundriveOpen.AliyundriveOpenOptions.Keys;

namespace OpenList.DriverHost.Drivers.AliyundriveOpen;

/// <summary>Creates <see cref="AliyundriveOpenDriver"/> instances: 阿里云盘 through its Open platform API.</summary>
public sealed class AliyundriveOpenDriverFactory : IDriverFactory
{
    /// <summary>The <c>driver</c> value, as OpenList spells it.</summary>
    public const string DriverName = "AliyundriveOpen";

    private static readonly DriverSetting[] SettingList =
    [
        new(K.DriveType, "Which drive to serve: default, resource (资源库) or backup (备份盘); empty means default.", Default: "resource"),
        new(K.RootFolderId, "file_id of the folder shown as the storage root (the string after /folder/ in the web URL); root for the whole drive.", Default: "root"),
        new(K.RefreshToken, "Refresh token from the online API page (api.oplist.org, 阿里云盘 app login); required unless an AccessToken is pasted.", Sensitive: true),
        new(K.AccessToken, "Hidden: the current access token; renewed automatically and kept in the state store.", Sensitive: true),
        new(K.AccessTokenSnake, "Same as AccessToken.", Sensitive: true),
        new(K.OrderBy, "Listing order sent to Aliyun: name, size, updated_at or created_at; empty lets the server choose.", Default: ""),
        new(K.OrderDirection, "ASC or DESC; empty lets the server choose.", Default: ""),
        new(K.UseOnlineApi, "Renew tokens through the online API relay (api_url_address) instead of your own client_id/client_secret.", Default: "true"),
        new(K.AlipanType, "default or alipanTV: the kind of login the refresh token came from (relay driver_txt alicloud_qr / alicloud_tv).", Default: "default"),
        new(K.ApiUrlAddress, "The online API relay's renew URL; leave empty to use your own client_id and client_secret.", Default: AliyundriveOpenOptions.DefaultRelayUrl),
        new(K.OnlineApiPost, "Send the refresh token to the relay in a POST form instead of OpenList's GET query (keeps it out of URLs and logs); only relays that accept POST, such as this host's /relay/<provider>/renewapi.", Default: "false"),
        new(K.ClientId, "Your own Aliyundrive Open app id (only without the online API); keep it empty if you don't have one."),
        new(K.ClientSecret, "Your own app's secret (only without the online API).", Sensitive: true),
        new(K.RemoveWay, "trash (recycle bin, default) or delete (permanent).", Default: "trash"),
        new(K.RapidUpload, "Try instant upload (秒传) by content hash; uploads are staged in the temporary folder to hash them first.", Default: "false"),
        new(K.InternalUpload, "Upload over Aliyun's Beijing internal OSS endpoint; only on an Aliyun ECS in Beijing.", Default: "false"),
        new(K.LivpDownloadFormat, "jpeg or mov: what a live photo (.livp) downloads as.", Default: "jpeg"),
        new(K.ApiBaseUrl, "Base URL of the Open API (for testing against another server).", Default: AliyundriveOpenOptions.DefaultApiBaseUrl),
        new(K.RateLimitList, "List calls per second for this Aliyun user (shared by all its mounts); 0 or less turns the limit off.", Default: "3.9"),
        new(K.RateLimitLink, "Download-link calls per second for this Aliyun user; 0 or less turns the limit off.", Default: "0.9"),
        new(K.RateLimitOther, "Other calls per second for this Aliyun user (including token renewal); 0 or less turns the limit off.", Default: "14.9"),
    ];

    public string Name => DriverName;

    public IReadOnlyList<DriverSetting> Settings => SettingList;

    public IReadOnlyList<DriverSettingError> Validate(JsonElement addition, DriverContext context) =>
        SettingsBinding.Validate(addition, AliyundriveOpenOptions.Bind);

    public IStorageDriver Create(JsonElement addition, DriverContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new AliyundriveOpenDriver(SettingsBinding.BindOrThrow(addition, AliyundriveOpenOptions.Bind), context);
    }
}
