using System.Globalization;
using System.Text.Json;

namespace OpenList.DriverHost.Drivers.Open123;

/// <summary>How a <c>123 Open</c> storage obtains its access token (cloud-apis.md §3.3, in OpenList's order).</summary>
public enum Open123TokenMode
{
    /// <summary><c>use_online_api</c>, a <c>RefreshToken</c> and an <c>api_url_address</c>: the relay renews (rotating refresh token).</summary>
    OnlineApi,

    /// <summary><c>ClientID</c> and <c>ClientSecret</c>: the developer token endpoint issues 30-day tokens (no refresh token).</summary>
    DeveloperCredentials,

    /// <summary>Only a pasted <c>AccessToken</c>: used until 123 refuses it.</summary>
    PastedAccessToken,
}

/// <summary>The <c>addition</c> settings of a <c>123 Open</c> storage (cloud-apis.md §3.4), plus our own overrides.</summary>
public sealed record Open123Options
{
    public const string DefaultApiBaseUrl = "https://open-api.123pan.com";
    public const string DefaultRelayUrl = "https://api.oplist.org/123cloud/renewapi";
    public const int DefaultUploadThread = 3;
    public const int MaxUploadThread = 32;
    public const int DefaultDirectLinkValidDuration = 30;

    public string? ClientId { get; init; }

    public string? ClientSecret { get; init; }

    public string? AccessToken { get; init; }

    public string? RefreshToken { get; init; }

    public bool UseOnlineApi { get; init; } = true;

    /// <summary>The online API relay's renew URL.</summary>
    public string ApiUrlAddress { get; init; } = DefaultRelayUrl;

    /// <summary>
    /// <c>online_api_post</c>: send the refresh token to the relay as a POST form instead of OpenList's GET query, so
    /// it stays out of URLs and access logs. Only relays that take POST (this host's own <c>/relay/…/renewapi</c>) do.
    /// </summary>
    public bool OnlineApiPost { get; init; }

    /// <summary>Slices uploaded at once (1..32; OpenList's Init turns anything else into 3).</summary>
    public int UploadThread { get; init; } = DefaultUploadThread;

    /// <summary>Downloads through the direct-link API instead of <c>download_info</c>.</summary>
    public bool DirectLink { get; init; }

    /// <summary>The direct-link space's signing key; empty leaves direct links unsigned.</summary>
    public string? DirectLinkPrivateKey { get; init; }

    /// <summary>Minutes a signed direct link stays valid.</summary>
    public int DirectLinkValidDuration { get; init; } = DefaultDirectLinkValidDuration;

    /// <summary>The numeric <c>fileId</c> of the folder shown as the root; "0" is the whole drive.</summary>
    public string RootFolderId { get; init; } = "0";

    /// <summary>The Open API's base URL (tests point it at the fake).</summary>
    public Uri ApiBaseUrl { get; init; } = new(DefaultApiBaseUrl);

    /// <summary>Multiplies every per-API client-side rate (cloud-apis.md §3.7); 0 or less turns the limits off.</summary>
    public double RateLimitScale { get; init; } = 1;

    /// <summary>Which of the three token modes applies, in OpenList's order; null when none does.</summary>
    public Open123TokenMode? TokenMode =>
        UseOnlineApi && !string.IsNullOrEmpty(RefreshToken) && !string.IsNullOrWhiteSpace(ApiUrlAddress) ? Open123TokenMode.OnlineApi
        : !string.IsNullOrEmpty(ClientId) && !string.IsNullOrEmpty(ClientSecret) ? Open123TokenMode.DeveloperCredentials
        : !string.IsNullOrEmpty(AccessToken) ? Open123TokenMode.PastedAccessToken
        : null;

    /// <summary>Direct links are signed with <c>auth_key</c> (cloud-apis.md §5).</summary>
    public bool SignsDirectLinks => DirectLink && !string.IsNullOrEmpty(DirectLinkPrivateKey);

    /// <summary>Binds <paramref name="addition"/>; every problem is added to <paramref name="errors"/>.</summary>
    /// <returns>The options, or null when <paramref name="addition"/> is not an object.</returns>
    internal static Open123Options? Bind(JsonElement addition, List<DriverSettingError> errors)
    {
        if (addition.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new DriverSettingError(string.Empty, $"addition must be a JSON object with \"{Keys.ClientId}\" and \"{Keys.ClientSecret}\", a \"{Keys.RefreshToken}\" or an \"{Keys.AccessToken}\""));
            return null;
        }

        var reader = new AdditionReader(addition, errors);
        var uploadThread = reader.Integer(Keys.UploadThread, DefaultUploadThread);
        var options = new Open123Options
        {
            ClientId = reader.String(Keys.ClientId),
            ClientSecret = reader.String(Keys.ClientSecret),
            AccessToken = reader.String(Keys.AccessToken),
            RefreshToken = reader.String(Keys.RefreshToken),
            UseOnlineApi = reader.Bool(Keys.UseOnlineApi, true),
            ApiUrlAddress = reader.String(Keys.ApiUrlAddress, DefaultRelayUrl) ?? "",
            OnlineApiPost = reader.Bool(Keys.OnlineApiPost, false),
            UploadThread = uploadThread is >= 1 and <= MaxUploadThread ? (int)uploadThread : DefaultUploadThread,
            DirectLink = reader.Bool(Keys.DirectLink, false),
            DirectLinkPrivateKey = reader.String(Keys.DirectLinkPrivateKey),
            DirectLinkValidDuration = (int)Math.Clamp(reader.Integer(Keys.DirectLinkValidDuration, DefaultDirectLinkValidDuration), int.MinValue, int.MaxValue),
            RootFolderId = reader.FolderId(Keys.RootFolderId) ?? "0",
            ApiBaseUrl = reader.AbsoluteUrl(Keys.ApiBaseUrl, DefaultApiBaseUrl) ?? new Uri(DefaultApiBaseUrl),
            RateLimitScale = reader.Number(Keys.RateLimitScale, 1),
        };

        if (options.TokenMode == Open123TokenMode.OnlineApi)
        {
            reader.AbsoluteUrl(Keys.ApiUrlAddress, DefaultRelayUrl);
        }

        if (options.TokenMode is null)
        {
            var key = !string.IsNullOrEmpty(options.ClientId) ? Keys.ClientSecret : Keys.ClientId;
            errors.Add(new DriverSettingError(
                key,
                "no valid authentication method: set your own \"ClientID\" and \"ClientSecret\" (123pan.com/developer), "
                + $"or a \"{Keys.RefreshToken}\" with \"{Keys.UseOnlineApi}\" on, or paste an \"{Keys.AccessToken}\""));
        }

        if (options.SignsDirectLinks && options.DirectLinkValidDuration <= 0)
        {
            errors.Add(new DriverSettingError(
                Keys.DirectLinkValidDuration,
                $"\"{Keys.DirectLinkValidDuration}\" must be a positive number of minutes (signed direct links expire after it); the default is {DefaultDirectLinkValidDuration}"));
        }

        return options;
    }

    /// <summary>The JSON keys, as OpenList spells them.</summary>
    public static class Keys
    {
        public const string ClientId = "ClientID";
        public const string ClientSecret = "ClientSecret";
        public const string AccessToken = "AccessToken";
        public const string RefreshToken = "RefreshToken";
        public const string UseOnlineApi = "use_online_api";
        public const string ApiUrlAddress = "api_url_address";
        public const string OnlineApiPost = "online_api_post";
        public const string UploadThread = "UploadThread";
        public const string DirectLink = "DirectLink";
        public const string DirectLinkPrivateKey = "DirectLinkPrivateKey";
        public const string DirectLinkValidDuration = "DirectLinkValidDuration";
        public const string RootFolderId = "root_folder_id";
        public const string ApiBaseUrl = "api_base_url";
        public const string RateLimitScale = "rate_limit_scale";
    }

    /// <summary>Reads typed values and reports each problem once, naming its key.</summary>
    private sealed class AdditionReader(JsonElement addition, List<DriverSettingError> errors) : Settings.AdditionReader(addition, errors)
    {
        /// <summary>A whole number, written as a number or as a string of digits (OpenList's UI stores both).</summary>
        public long Integer(string key, long absent)
        {
            if (!Addition.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return absent;
            }

            if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number))
            {
                return number;
            }

            if (value.ValueKind == JsonValueKind.String
                && long.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed))
            {
                return parsed;
            }

            Errors.Add(new DriverSettingError(key, $"\"{key}\" must be a whole number, not {Describe(value.ValueKind)}"));
            return absent;
        }

        public double Number(string key, double absent) => Number(key, absent, "a number (1 keeps the documented rates, 0 or less turns the limits off)");

        /// <summary>A 123 <c>fileId</c>: a non-negative integer, as a string or a number; "" means the drive's root.</summary>
        public string? FolderId(string key)
        {
            if (!Addition.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            var text = value.ValueKind == JsonValueKind.Number ? value.GetRawText() : String(key);
            if (string.IsNullOrEmpty(text))
            {
                return null;
            }

            if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                return id.ToString(CultureInfo.InvariantCulture);
            }

            Errors.Add(new DriverSettingError(key, $"\"{key}\" is \"{text}\"; it must be a folder's numeric id (the number after homeFilePath= in the web URL), or \"0\" for the whole drive"));
            return null;
        }
    }
}
