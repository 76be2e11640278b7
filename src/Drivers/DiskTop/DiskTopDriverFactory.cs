using System.Text.Json;
using OpenList.DriverHost.Drivers.Authorization;
using OpenList.DriverHost.Drivers.Settings;
using K = OpenList.DriverHost.Drivers.DiskTop.DiskTopOptions.Keys;

namespace OpenList.DriverHost.Drivers.DiskTop;

/// <summary>
/// Creates <see cref="DiskTopDriver"/> instances (Disk.Top's open platform), and obtains their tokens interactively
/// for <c>driverhost auth &lt;mount&gt;</c> (<see cref="IInteractiveAuthorizer"/>: device flow or browser).
/// </summary>
public sealed class DiskTopDriverFactory : IDriverFactory, IInteractiveAuthorizer
{
    /// <summary>The <c>driver</c> value.</summary>
    public const string DriverName = "DiskTop";

    private static readonly DriverSetting[] SettingList =
    [
        new(K.RootFolderPath, "Folder shown as the storage root, as a Disk.Top path: / is the app's own folder (/我的应用数据/<app name>) with the files.app_data scope.", Default: "/"),
        new(K.ClientId, "Client id of your Disk.Top app (created in the Disk.Top console); needed to renew tokens and by `driverhost auth`.", Required: true),
        new(K.ClientSecret, "Client secret of that app; may stay empty for a public (PKCE) app.", Sensitive: true),
        new(K.AccessToken, "An access token to start with; `driverhost auth` stores tokens in the state store instead, so this usually stays empty.", Sensitive: true),
        new(K.RefreshToken, "A refresh token to start with (it rotates on every renewal); usually left empty in favour of `driverhost auth`.", Sensitive: true),
        new(K.Scope, "Scopes `driverhost auth` asks for, space-separated; files.read_all / files.write_all need an app approved for them.", Default: DiskTopOptions.DefaultScope),
        new(K.UseOnlineApi, "Renew tokens through an online API relay (api_url_address) instead of your own app.", Default: "false"),
        new(K.ApiUrlAddress, "The online API relay's renew URL, used when use_online_api is true.", Default: ""),
        new(K.OnlineApiPost, "Send the refresh token to the relay in a POST form instead of OpenList's GET query (keeps it out of URLs and logs); only relays that accept POST, such as this host's /relay/<provider>/renewapi.", Default: "false"),
        new(K.PageSize, $"Entries per listing page, 1 to {DiskTopOptions.MaxPageSize}.", Default: "200"),
        new(K.ApiBaseUrl, "Base URL of the Disk.Top OAuth and file API (for testing against another server).", Default: DiskTopOptions.DefaultApiBaseUrl),
    ];

    public string Name => DriverName;

    public IReadOnlyList<DriverSetting> Settings => SettingList;

    public IReadOnlyList<AuthorizationFlow> Flows { get; } = [AuthorizationFlow.DeviceCode, AuthorizationFlow.Browser];

    public IReadOnlyList<DriverSettingError> Validate(JsonElement addition, DriverContext context)
    {
        var errors = new List<DriverSettingError>();
        DiskTopOptions.Bind(addition, errors);
        return errors;
    }

    public IStorageDriver Create(JsonElement addition, DriverContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new DiskTopDriver(BindOrThrow(addition), context);
    }

    public IReadOnlyList<DriverSettingError> ValidateForAuthorization(JsonElement addition)
    {
        var errors = new List<DriverSettingError>();
        var options = DiskTopOptions.Bind(addition, errors);
        if (options is null)
        {
            return errors;
        }

        errors.RemoveAll(e => e.Key == K.ClientId);
        if (string.IsNullOrEmpty(options.ClientId))
        {
            errors.Add(new DriverSettingError(K.ClientId, $"\"{K.ClientId}\" is required to authorize: create an app in the Disk.Top console (/console) and copy its client id (and \"{K.ClientSecret}\") into this storage's addition"));
        }

        if (options.UseOnlineApi)
        {
            errors.Add(new DriverSettingError(K.UseOnlineApi, $"tokens from `driverhost auth` belong to your own app (\"{K.ClientId}\") and are renewed with it: set \"{K.UseOnlineApi}\" to false"));
        }

        return errors;
    }

    public Task<AuthorizationResult> AuthorizeAsync(
        JsonElement addition, DriverContext context, AuthorizationRequest request, IAuthorizationPrompt prompt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(prompt);
        var errors = ValidateForAuthorization(addition);
        if (errors.Count > 0)
        {
            throw SettingsBinding.Invalid(errors, nameof(addition));
        }

        return new DiskTopAuthorization(BindOrThrow(addition), context).RunAsync(request, prompt, cancellationToken);
    }

    private static DiskTopOptions BindOrThrow(JsonElement addition) => SettingsBinding.BindOrThrow(addition, DiskTopOptions.Bind);
}
