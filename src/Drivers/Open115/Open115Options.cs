using System.Globalization;
using System.Text.Json;

namespace OpenList.DriverHost.Drivers.Open115;

/// <summary>The <c>addition</c> settings of a <c>115 Open</c> storage (cloud-apis.md §1.4), plus our own overrides.</summary>
public sealed record Open115Options
{
    public const string DefaultApiBaseUrl = "https://proapi.115.com";
    public const string DefaultAuthBaseUrl = "https://passportapi.115.com";

    /// <summary>The relay URL the seed document tells users to enter (seeds/115-open.md §3.2 step 7.2).</summary>
    public const string DefaultRelayUrl = "https://api.oplist.org/115cloud/renewapi";

    /// <summary>The relay's <c>driver_txt</c> for 115 (cloud-apis.md §1.3, the short-lived OpenList version).</summary>
    public const string DriverTxt = "115cloud_go";

    public const int DefaultPageSize = 200;

    /// <summary>The documented largest page (§1.4: Init clamps to 1150).</summary>
    public const int MaxPageSize = 1150;

    public static readonly string[] OrderByValues = ["", "file_name", "file_size", "user_utime", "file_type"];
    public static readonly string[] OrderDirectionValues = ["", "asc", "desc"];

    /// <summary>A folder <c>cid</c>; "0" is the whole drive.</summary>
    public string RootFolderId { get; init; } = "0";

    /// <summary>Sent as <c>o</c> when not empty.</summary>
    public string OrderBy { get; init; } = "";

    /// <summary><c>asc</c> sends <c>asc=1</c>; anything else <c>asc=0</c> (§1.4).</summary>
    public string OrderDirection { get; init; } = "";

    /// <summary>Calls per second over the API calls OpenList limits (§1.7); 0 or less turns the limit off.</summary>
    public double LimitRate { get; init; } = 1;

    /// <summary>Entries per listing page, clamped to 1..1150.</summary>
    public int PageSize { get; init; } = DefaultPageSize;

    public string? AccessToken { get; init; }

    public string? RefreshToken { get; init; }

    /// <summary>Renew through the online API relay instead of calling passportapi directly (off: 115 needs no client secret).</summary>
    public bool UseOnlineApi { get; init; }

    public string ApiUrlAddress { get; init; } = DefaultRelayUrl;

    /// <summary>
    /// <c>online_api_post</c>: send the refresh token to the relay as a POST form instead of OpenList's GET query, so
    /// it stays out of URLs and access logs. Only relays that take POST (this host's own <c>/relay/…/renewapi</c>) do.
    /// </summary>
    public bool OnlineApiPost { get; init; }

    /// <summary>The file API's base URL (tests point it at the fake).</summary>
    public Uri ApiBaseUrl { get; init; } = new(DefaultApiBaseUrl);

    /// <summary>The passport (token) API's base URL (tests point it at the fake).</summary>
    public Uri AuthBaseUrl { get; init; } = new(DefaultAuthBaseUrl);

    /// <summary>The relay renews tokens: <c>use_online_api</c> is on and <c>api_url_address</c> is set.</summary>
    public bool UsesRelay => UseOnlineApi && !string.IsNullOrWhiteSpace(ApiUrlAddress);

    /// <summary>OpenList's Init fallback (§1.4): ≤0 → 200, above 1150 → 1150.</summary>
    public static int ClampPageSize(double requested) => requested switch
    {
        <= 0 or double.NaN => DefaultPageSize,
        > MaxPageSize => MaxPageSize,
        < 1 => 1,
        _ => (int)requested,
    };

    /// <summary>Binds <paramref name="addition"/>; every problem is added to <paramref name="errors"/>.</summary>
    /// <returns>The options, or null when <paramref name="addition"/> is not an object.</returns>
    internal static Open115Options? Bind(JsonElement addition, List<DriverSettingError> errors)
    {
        if (addition.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new DriverSettingError(string.Empty, "addition must be a JSON object with at least \"refresh_token\""));
            return null;
        }

        var reader = new AdditionReader(addition, errors);
        var options = new Open115Options
        {
            RootFolderId = reader.String(Keys.RootFolderId) is { Length: > 0 } root ? root : "0",
            OrderBy = reader.Select(Keys.OrderBy, OrderByValues),
            OrderDirection = reader.Select(Keys.OrderDirection, OrderDirectionValues),
            LimitRate = reader.Number(Keys.LimitRate, 1, "a number of calls per second (0 or less turns the limit off)"),
            PageSize = ClampPageSize(reader.Number(Keys.PageSize, DefaultPageSize, $"a number of entries per page (1 to {MaxPageSize})")),
            AccessToken = reader.String(Keys.AccessToken),
            RefreshToken = reader.String(Keys.RefreshToken),
            UseOnlineApi = reader.Bool(Keys.UseOnlineApi, false),
            ApiUrlAddress = reader.String(Keys.ApiUrlAddress, DefaultRelayUrl) ?? "",
            OnlineApiPost = reader.Bool(Keys.OnlineApiPost, false),
            ApiBaseUrl = reader.AbsoluteUrl(Keys.ApiBaseUrl, DefaultApiBaseUrl) ?? new Uri(DefaultApiBaseUrl),
            AuthBaseUrl = reader.AbsoluteUrl(Keys.AuthBaseUrl, DefaultAuthBaseUrl) ?? new Uri(DefaultAuthBaseUrl),
        };

        if (options.UsesRelay)
        {
            reader.AbsoluteUrl(Keys.ApiUrlAddress, DefaultRelayUrl);
        }

        if (string.IsNullOrEmpty(options.RefreshToken) && string.IsNullOrEmpty(options.AccessToken))
        {
            errors.Add(new DriverSettingError(
                Keys.RefreshToken,
                $"\"{Keys.RefreshToken}\" is required: paste the refresh token from the 115 authorization page (api.oplist.org, 115 网盘验证), "
                + $"or at least an \"{Keys.AccessToken}\" to use until it expires"));
        }

        return options;
    }

    /// <summary>The JSON keys, as OpenList spells them (the last two are ours).</summary>
    public static class Keys
    {
        public const string RootFolderId = "root_folder_id";
        public const string OrderBy = "order_by";
        public const string OrderDirection = "order_direction";
        public const string LimitRate = "limit_rate";
        public const string PageSize = "page_size";
        public const string AccessToken = "access_token";
        public const string RefreshToken = "refresh_token";
        public const string UseOnlineApi = "use_online_api";
        public const string ApiUrlAddress = "api_url_address";
        public const string OnlineApiPost = "online_api_post";
        public const string ApiBaseUrl = "api_base_url";
        public const string AuthBaseUrl = "auth_base_url";
    }

    /// <summary>Reads typed values and reports each problem once, naming its key.</summary>
    private sealed class AdditionReader(JsonElement addition, List<DriverSettingError> errors) : Settings.AdditionReader(addition, errors)
    {
        /// <summary>A select whose absent and empty values both mean "not sent".</summary>
        public string Select(string key, string[] allowed)
        {
            var value = String(key);
            if (string.IsNullOrEmpty(value))
            {
                return string.Empty;
            }

            if (Array.IndexOf(allowed, value) < 0)
            {
                var options = string.Join(", ", allowed.Where(a => a.Length > 0).Select(a => $"\"{a}\""));
                Errors.Add(new DriverSettingError(key, $"\"{key}\" is \"{value}\"; it must be one of {options}, or empty"));
                return string.Empty;
            }

            return value;
        }
    }
}
