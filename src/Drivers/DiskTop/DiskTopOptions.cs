using System.Globalization;
using System.Text.Json;

namespace OpenList.DriverHost.Drivers.DiskTop;

/// <summary>
/// The <c>addition</c> settings of a <c>DiskTop</c> storage (cloud-apis.md §4.4, a design proposal by analogy with the
/// other drivers: Disk.Top has no OpenList driver to copy keys from), plus <c>api_base_url</c> for tests.
/// </summary>
public sealed record DiskTopOptions
{
    public const string DefaultApiBaseUrl = "https://openapi.disk.top";

    /// <summary>Documented default scopes: profile and the app's sandbox folder.</summary>
    public const string DefaultScope = "user.read files.app_data";

    /// <summary>The relay's <c>driver_txt</c> (no Disk.Top relay is documented; DESIGN PROPOSAL, cloud-apis.md §4.3).</summary>
    public const string DriverTxt = "disktop_go";

    public const int DefaultPageSize = 200;

    /// <summary>The documented largest <c>limit</c> of <c>GET /v1/files</c>.</summary>
    public const int MaxPageSize = 200;

    /// <summary>
    /// The folder shown as the storage root, as an API path: <c>/</c> is the app's sandbox root with
    /// <c>files.app_data</c> (the disk root with <c>files.read_all</c>). Normalised: <c>/</c> or <c>/a/b</c>.
    /// </summary>
    public string RootFolderPath { get; init; } = "/";

    public string? ClientId { get; init; }

    public string? ClientSecret { get; init; }

    public string? AccessToken { get; init; }

    public string? RefreshToken { get; init; }

    /// <summary>Space-separated scopes asked for by <c>driverhost auth</c>.</summary>
    public string Scope { get; init; } = DefaultScope;

    public bool UseOnlineApi { get; init; }

    public string ApiUrlAddress { get; init; } = "";

    /// <summary>
    /// <c>online_api_post</c>: send the refresh token to the relay as a POST form instead of OpenList's GET query, so
    /// it stays out of URLs and access logs. Only relays that take POST (this host's own <c>/relay/…/renewapi</c>) do.
    /// </summary>
    public bool OnlineApiPost { get; init; }

    /// <summary>Entries per listing page, 1..200.</summary>
    public int PageSize { get; init; } = DefaultPageSize;

    /// <summary>OAuth and API base URL (tests point it at the fake).</summary>
    public Uri ApiBaseUrl { get; init; } = new(DefaultApiBaseUrl);

    /// <summary>The relay renews tokens: <c>use_online_api</c> is on and <c>api_url_address</c> is set.</summary>
    public bool UsesRelay => UseOnlineApi && !string.IsNullOrWhiteSpace(ApiUrlAddress);

    /// <summary>≤0 → 200; above 200 → 200.</summary>
    public static int ClampPageSize(double requested) => requested switch
    {
        <= 0 or double.NaN => DefaultPageSize,
        > MaxPageSize => MaxPageSize,
        < 1 => 1,
        _ => (int)requested,
    };

    /// <summary>The API path of <paramref name="path"/> (storage-relative) under <see cref="RootFolderPath"/>.</summary>
    public string ApiPath(StoragePath path) =>
        path.IsRoot ? RootFolderPath : RootFolderPath == "/" ? path.Value : RootFolderPath + path.Value;

    /// <summary>Binds <paramref name="addition"/>; every problem is added to <paramref name="errors"/>.</summary>
    /// <returns>The options, or null when <paramref name="addition"/> is not an object.</returns>
    internal static DiskTopOptions? Bind(JsonElement addition, List<DriverSettingError> errors)
    {
        if (addition.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new DriverSettingError(string.Empty, "addition must be a JSON object with at least \"client_id\""));
            return null;
        }

        var reader = new AdditionReader(addition, errors);
        var options = new DiskTopOptions
        {
            RootFolderPath = RootPath(reader, errors),
            ClientId = reader.String(Keys.ClientId),
            ClientSecret = reader.String(Keys.ClientSecret),
            AccessToken = reader.String(Keys.AccessToken),
            RefreshToken = reader.String(Keys.RefreshToken),
            Scope = reader.String(Keys.Scope) is { Length: > 0 } scope ? string.Join(' ', scope.Split(' ', StringSplitOptions.RemoveEmptyEntries)) : DefaultScope,
            UseOnlineApi = reader.Bool(Keys.UseOnlineApi, false),
            ApiUrlAddress = reader.String(Keys.ApiUrlAddress, "") ?? "",
            OnlineApiPost = reader.Bool(Keys.OnlineApiPost, false),
            PageSize = ClampPageSize(reader.Number(Keys.PageSize, DefaultPageSize, $"a number of entries per page (1 to {MaxPageSize})")),
            ApiBaseUrl = reader.AbsoluteUrl(Keys.ApiBaseUrl, DefaultApiBaseUrl) ?? new Uri(DefaultApiBaseUrl),
        };

        if (options.UseOnlineApi)
        {
            if (string.IsNullOrWhiteSpace(options.ApiUrlAddress))
            {
                errors.Add(new DriverSettingError(Keys.ApiUrlAddress, $"\"{Keys.ApiUrlAddress}\" is required when \"{Keys.UseOnlineApi}\" is true: the online API relay's renew URL"));
            }
            else
            {
                reader.AbsoluteUrl(Keys.ApiUrlAddress, "https://relay.example/disktop/renewapi");
            }
        }
        else if (string.IsNullOrEmpty(options.ClientId) && string.IsNullOrEmpty(options.AccessToken))
        {
            errors.Add(new DriverSettingError(
                Keys.ClientId,
                $"\"{Keys.ClientId}\" is required: create an app in the Disk.Top console (/console) and copy its client id "
                + $"(and \"{Keys.ClientSecret}\"), then run `driverhost auth <mount>`; or set \"{Keys.UseOnlineApi}\" with an online API relay"));
        }

        return options;
    }

    private static string RootPath(AdditionReader reader, List<DriverSettingError> errors)
    {
        var text = reader.String(Keys.RootFolderPath);
        if (string.IsNullOrEmpty(text))
        {
            return "/";
        }

        if (!StoragePath.TryParse(text, out var path, out var reason))
        {
            errors.Add(new DriverSettingError(Keys.RootFolderPath, $"\"{Keys.RootFolderPath}\" is not a usable path ({reason}); use \"/\" for the app folder or \"/Photos\""));
            return "/";
        }

        return path.Value;
    }

    /// <summary>The JSON keys (cloud-apis.md §4.4; <c>api_base_url</c> is ours).</summary>
    public static class Keys
    {
        public const string RootFolderPath = "root_folder_path";
        public const string ClientId = "client_id";
        public const string ClientSecret = "client_secret";
        public const string AccessToken = "access_token";
        public const string RefreshToken = "refresh_token";
        public const string Scope = "scope";
        public const string UseOnlineApi = "use_online_api";
        public const string ApiUrlAddress = "api_url_address";
        public const string OnlineApiPost = "online_api_post";
        public const string PageSize = "page_size";
        public const string ApiBaseUrl = "api_base_url";
    }

    /// <summary>Reads typed values and reports each problem once, naming its key.</summary>
    private sealed class AdditionReader(JsonElement addition, List<DriverSettingError> errors) : Settings.AdditionReader(addition, errors)
    {
    }
}
