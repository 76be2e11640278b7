using System.Globalization;
using System.Text.Json;

namespace OpenList.DriverHost.Drivers.AliyundriveOpen;

/// <summary>The <c>addition</c> settings of an <c>AliyundriveOpen</c> storage (cloud-apis.md §2.4), plus our own overrides.</summary>
public sealed record AliyundriveOpenOptions
{
    public const string DefaultApiBaseUrl = "https://openapi.alipan.com";
    public const string DefaultRelayUrl = "https://api.oplist.org/alicloud/renewapi";

    public static readonly string[] DriveTypes = ["default", "resource", "backup"];
    public static readonly string[] OrderByValues = ["", "name", "size", "updated_at", "created_at"];
    public static readonly string[] OrderDirectionValues = ["", "ASC", "DESC"];
    public static readonly string[] AlipanTypes = ["default", "alipanTV"];
    public static readonly string[] RemoveWays = ["trash", "delete"];
    public static readonly string[] LivpFormats = ["jpeg", "mov"];

    /// <summary><c>default</c>, <c>resource</c> or <c>backup</c>: which of the account's drives is served.</summary>
    public string DriveType { get; init; } = "resource";

    public string RootFolderId { get; init; } = "root";

    public string? RefreshToken { get; init; }

    /// <summary>The hidden <c>AccessToken</c> key (also accepted as <c>access_token</c>).</summary>
    public string? AccessToken { get; init; }

    /// <summary>Sent as-is; "" lets the server choose.</summary>
    public string OrderBy { get; init; } = "";

    public string OrderDirection { get; init; } = "";

    public bool UseOnlineApi { get; init; } = true;

    /// <summary><c>default</c> or <c>alipanTV</c>; chooses the relay's <c>driver_txt</c>.</summary>
    public string AlipanType { get; init; } = "default";

    /// <summary>The online API relay's renew URL; empty means own keys.</summary>
    public string ApiUrlAddress { get; init; } = DefaultRelayUrl;

    /// <summary>
    /// <c>online_api_post</c>: send the refresh token to the relay as a POST form instead of OpenList's GET query, so
    /// it stays out of URLs and access logs. Only relays that take POST (this host's own <c>/relay/…/renewapi</c>) do.
    /// </summary>
    public bool OnlineApiPost { get; init; }

    public string? ClientId { get; init; }

    public string? ClientSecret { get; init; }

    /// <summary>True when deleted entries go to the recycle bin (anything but <c>delete</c>).</summary>
    public bool UseTrash { get; init; } = true;

    public bool RapidUpload { get; init; }

    public bool InternalUpload { get; init; }

    /// <summary><c>jpeg</c> or <c>mov</c>: which stream of a live photo (<c>.livp</c>) is downloaded.</summary>
    public string LivpDownloadFormat { get; init; } = "jpeg";

    /// <summary>The Open API's base URL (tests point it at the fake).</summary>
    public Uri ApiBaseUrl { get; init; } = new(DefaultApiBaseUrl);

    /// <summary>Client-side limits per second for list, link and other calls; 0 or less turns one off.</summary>
    public double RateLimitList { get; init; } = 3.9;

    public double RateLimitLink { get; init; } = 0.9;

    public double RateLimitOther { get; init; } = 14.9;

    /// <summary>The relay renews tokens: <c>use_online_api</c> is on and <c>api_url_address</c> is set.</summary>
    public bool UsesRelay => UseOnlineApi && !string.IsNullOrWhiteSpace(ApiUrlAddress);

    /// <summary>The relay's <c>driver_txt</c>.</summary>
    public string DriverTxt => AlipanType == "alipanTV" ? "alicloud_tv" : "alicloud_qr";

    /// <summary>Binds <paramref name="addition"/>; every problem is added to <paramref name="errors"/>.</summary>
    /// <returns>The options, or null when <paramref name="addition"/> is not an object.</returns>
    internal static AliyundriveOpenOptions? Bind(JsonElement addition, List<DriverSettingError> errors)
    {
        if (addition.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new DriverSettingError(string.Empty, "addition must be a JSON object with at least \"refresh_token\""));
            return null;
        }

        var reader = new AdditionReader(addition, errors);
        var driveType = reader.Select(Keys.DriveType, DriveTypes, "resource", emptyMeans: "default");
        var options = new AliyundriveOpenOptions
        {
            DriveType = driveType,
            RootFolderId = reader.String(Keys.RootFolderId) is { Length: > 0 } root ? root : "root",
            RefreshToken = reader.String(Keys.RefreshToken),
            AccessToken = reader.String(Keys.AccessToken) ?? reader.String(Keys.AccessTokenSnake),
            OrderBy = reader.Select(Keys.OrderBy, OrderByValues, "", emptyMeans: ""),
            OrderDirection = reader.Select(Keys.OrderDirection, OrderDirectionValues, "", emptyMeans: ""),
            UseOnlineApi = reader.Bool(Keys.UseOnlineApi, true),
            AlipanType = reader.Select(Keys.AlipanType, AlipanTypes, "default", emptyMeans: "default"),
            ApiUrlAddress = reader.String(Keys.ApiUrlAddress, DefaultRelayUrl) ?? "",
            OnlineApiPost = reader.Bool(Keys.OnlineApiPost, false),
            ClientId = reader.String(Keys.ClientId),
            ClientSecret = reader.String(Keys.ClientSecret),
            UseTrash = reader.Select(Keys.RemoveWay, RemoveWays, "trash", emptyMeans: "trash") != "delete",
            RapidUpload = reader.Bool(Keys.RapidUpload, false),
            InternalUpload = reader.Bool(Keys.InternalUpload, false),
            LivpDownloadFormat = reader.Select(Keys.LivpDownloadFormat, LivpFormats, "jpeg", emptyMeans: "jpeg"),
            ApiBaseUrl = reader.AbsoluteUrl(Keys.ApiBaseUrl, DefaultApiBaseUrl) ?? new Uri(DefaultApiBaseUrl),
            RateLimitList = reader.Number(Keys.RateLimitList, 3.9),
            RateLimitLink = reader.Number(Keys.RateLimitLink, 0.9),
            RateLimitOther = reader.Number(Keys.RateLimitOther, 14.9),
        };

        if (options.UsesRelay)
        {
            reader.AbsoluteUrl(Keys.ApiUrlAddress, DefaultRelayUrl);
        }

        if (string.IsNullOrEmpty(options.RefreshToken) && string.IsNullOrEmpty(options.AccessToken))
        {
            errors.Add(new DriverSettingError(
                Keys.RefreshToken,
                $"\"{Keys.RefreshToken}\" is required: paste the refresh token from the online API page (or an \"{Keys.AccessToken}\" to use until it expires)"));
        }
        else if (!options.UsesRelay && !string.IsNullOrEmpty(options.RefreshToken)
            && (string.IsNullOrEmpty(options.ClientId) || string.IsNullOrEmpty(options.ClientSecret)))
        {
            var key = string.IsNullOrEmpty(options.ClientId) ? Keys.ClientId : Keys.ClientSecret;
            errors.Add(new DriverSettingError(
                key,
                $"empty ClientID or ClientSecret: without the online API (\"{Keys.UseOnlineApi}\" false or \"{Keys.ApiUrlAddress}\" empty) "
                + $"tokens are renewed with your own app, so set both \"{Keys.ClientId}\" and \"{Keys.ClientSecret}\", or turn \"{Keys.UseOnlineApi}\" on"));
        }

        return options;
    }

    /// <summary>The JSON keys, as OpenList spells them.</summary>
    public static class Keys
    {
        public const string DriveType = "drive_type";
        public const string RootFolderId = "root_folder_id";
        public const string RefreshToken = "refresh_token";
        public const string AccessToken = "AccessToken";
        public const string AccessTokenSnake = "access_token";
        public const string OrderBy = "order_by";
        public const string OrderDirection = "order_direction";
        public const string UseOnlineApi = "use_online_api";
        public const string AlipanType = "alipan_type";
        public const string ApiUrlAddress = "api_url_address";
        public const string OnlineApiPost = "online_api_post";
        public const string ClientId = "client_id";
        public const string ClientSecret = "client_secret";
        public const string RemoveWay = "remove_way";
        public const string RapidUpload = "rapid_upload";
        public const string InternalUpload = "internal_upload";
        public const string LivpDownloadFormat = "livp_download_format";
        public const string ApiBaseUrl = "api_base_url";
        public const string RateLimitList = "rate_limit_list";
        public const string RateLimitLink = "rate_limit_link";
        public const string RateLimitOther = "rate_limit_other";
    }

    /// <summary>Reads typed values and reports each problem once, naming its key.</summary>
    private sealed class AdditionReader(JsonElement addition, List<DriverSettingError> errors) : Settings.AdditionReader(addition, errors)
    {
        /// <summary>A select: absent gives <paramref name="absent"/> (the UI default), "" gives <paramref name="emptyMeans"/> (OpenList's Init fallback).</summary>
        public string Select(string key, string[] allowed, string absent, string emptyMeans)
        {
            if (!Addition.TryGetProperty(key, out var present) || present.ValueKind == JsonValueKind.Null)
            {
                return absent;
            }

            var value = String(key);
            if (value is null)
            {
                return absent;
            }

            if (value.Length == 0)
            {
                return emptyMeans;
            }

            if (Array.IndexOf(allowed, value) < 0)
            {
                var options = string.Join(", ", allowed.Where(a => a.Length > 0).Select(a => $"\"{a}\""));
                Errors.Add(new DriverSettingError(key, $"\"{key}\" is \"{value}\"; it must be one of {options}"));
                return absent;
            }

            return value;
        }

        public double Number(string key, double absent) => Number(key, absent, "a number of calls per second (0 or less turns the limit off)");
    }
}
